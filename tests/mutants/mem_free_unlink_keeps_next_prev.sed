# mem_free_unlink_keeps_next_prev - mem_free unlinks an emptied slab S that
# is not the first open slab, and sets its open prev's open next past it,
# but never sets its open next's open prev back to S's open prev: the next
# slab keeps naming S, a page that is released.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_free field=page_N_header_open_prev_differs
# checks: proof=mem_free replay=counterexample
/^mem_free:/,/\.size mem_free/{
/^\.Lfree_slab_empty:/,/jmp[[:space:]]*release_page/{
s/^\([[:space:]]*\)movq[[:space:]]*%r10, SLAB_OPEN_PREV(%r9).*$/\1nop                                     # MUTANT: the next slab's open prev is not set/
}
}
