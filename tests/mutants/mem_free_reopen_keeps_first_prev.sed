# mem_free_reopen_keeps_first_prev - mem_free reopens a full slab S before
# an old first open slab that stays (not empty), and sets S's open next to
# it, but never sets that slab's open prev to S: the open list's back link
# is lost (the old first keeps open prev 0, as if still first).  The runner
# compares the old first's header at the end of the run (after a mem_free
# that releases no page it compares only the freed block's page), hence the
# signature's op.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=end_of_run field=page_N_header_open_prev_differs
# checks: proof=mem_free replay=counterexample
/^mem_free:/,/\.size mem_free/{
/je[[:space:]]*\.Lfree_open_replacing/,/^\.Lfree_open_alone:/{
s/^\([[:space:]]*\)movq[[:space:]]*%rdx, SLAB_OPEN_PREV(%r9).*$/\1nop                                     # MUTANT: the old first's open prev is not set/
}
}
