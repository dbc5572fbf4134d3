# alloc_kept_page_from_the_wrong_bin - mem_alloc looks for a kept large page
# in the bin of one page fewer than its request's page (the bin's index off
# by one on the read; the pop still writes the right bin): a kept page of
# the right size is not taken back, and one of the wrong size would be.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_alloc field=the_sut_took_back_another_kept_page_than_the_contract_s
# checks: proof=mem_alloc replay=counterexample
/^alloc_large:/,/\.size alloc_large/ {
  s/^\([[:space:]]*\)movq[[:space:]]*(%rcx,%rax,8), %r12.*$/\1movq    -8(%rcx,%rax,8), %r12   # MUTANT: the bin of one page fewer/
}
