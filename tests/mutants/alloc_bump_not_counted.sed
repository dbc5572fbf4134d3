# alloc_bump_not_counted - mem_alloc hands out the block at a slab's bump
# without counting it (the bump path's increment of live dropped): the slab
# looks emptier than it is, so mem_free of its blocks can release it while
# blocks are still live.  The first small allocation of the process shows it.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_alloc field=page_N_header_live_differs
# checks: proof=mem_alloc replay=counterexample
/^\.Lalloc_bump:/,/^\.Lalloc_list_emptied:/ s/^\([[:space:]]*\)incq[[:space:]]*PAGE_LIVE(%rdx).*$/\1# MUTANT: the block at bump is not counted in live/
