# memcpy_dst_wrap_unchecked - __mf_memcpy no longer tests whether dst + n
# wraps past 2^64 (the jc after the sum is dropped): a dst near the top of
# the address space with a small n passes the check.
# mutates: builtins.s
# changes: 1
# signature: MF-DIVERGENCE target=builtins op=memcpy field=the_sut_did_not_exit_as_the_contract_says
# checks: proof=__mf_memcpy replay=counterexample
/^__mf_memcpy:/,/\.size __mf_memcpy/ {
  /addq[[:space:]]*%rdx, %r8[[:space:]]*# end of dst/ {
    n
    s/^\([[:space:]]*\)jc[[:space:]]*2f.*$/\1# MUTANT: the wrap of dst + n is not tested/
  }
}
