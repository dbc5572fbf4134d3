# alloc_large_page_not_mapped - a large page is not entered in the page map
# (its call to page_map_insert deleted), so mem_free cannot find it: freeing
# any large block exits 111, and the page map's probes no longer reach it.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_free field=the_sut_exited_where_the_contract_says_it_returns
# checks: property=AllocProperty.Simulated fuzz replay=corpus/regressions/alloc_large_page_not_mapped.trace
/^\.Lalloc_large_mapped:/,/call[[:space:]]*page_map_insert/{
s/^\([[:space:]]*\)call\([[:space:]]*\)page_map_insert.*$/\1nop                                     # MUTANT: the page is not in the page map/
}
