# alloc_reopened_slab_not_listed - a free into a full slab does not put the
# slab back on its class's open list (jmp for jbe), so its free blocks are
# never handed out again and mem_alloc maps new slabs instead.  It shows at
# the free when another slab of the class is open (the open links differ),
# else at the next mem_alloc, which maps a slab where the model reuses the
# freed block; a generated run shrinks to either.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_free field=page_N_header_open_next_differs
# checks: property=AllocProperty.Simulated@mem_free|mem_alloc fuzz replay=corpus/regressions/alloc_reopened_slab_not_listed.trace
/^\.Lfree_list_was_empty:/,/jbe/{
s/^\([[:space:]]*\)jbe\([[:space:]]*\)\.Lfree_counted.*$/\1jmp\2.Lfree_counted                   # MUTANT: a reopened slab is not listed/
}
