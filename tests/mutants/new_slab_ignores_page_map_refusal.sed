# new_slab_ignores_page_map_refusal - new_slab goes on when page_map_reserve
# refuses (the jz after it dropped): it maps a slab and enters it in a page
# map that has no room, breaking page_map_insert's precondition.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_alloc field=the_sut_faulted
# checks: proof=new_slab replay=counterexample
/^new_slab:/,/\.size new_slab/ {
  /call[[:space:]]*page_map_reserve/ {
    n
    n
    s/^\([[:space:]]*\)jz[[:space:]]*\.Lnew_slab_refused.*$/\1# MUTANT: a refused page map is not noticed/
  }
}
