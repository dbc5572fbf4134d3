# alloc_pop_not_counted - mem_alloc hands out the head of a slab's free list
# without counting it (the pop's increment of live dropped): the slab looks
# emptier than it is, so mem_free of its blocks can release it while blocks
# are still live.  A block freed and allocated again shows it.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_alloc field=page_N_header_live_differs
# checks: proof=mem_alloc replay=counterexample
/^\.Lalloc_from_slab:/,/^\.Lalloc_bump:/ s/^\([[:space:]]*\)incq[[:space:]]*PAGE_LIVE(%rdx).*$/\1# MUTANT: the popped block is not counted in live/
