# pool_free_no_double_free_check - pool_free no longer looks at the free
# bit, so a double free pushes the object on the free list a second time.
# mutates: pool.s
# changes: 1
# signature: MF-DIVERGENCE target=pool op=pool_free field=the_sut_did_not_exit_as_the_contract_says
# checks: property=PoolProperty.Simulated fuzz replay=corpus/regressions/pool_free_no_double_free_check.trace
s/^\([[:space:]]*\)jc[[:space:]]*\.Lfree_bounds[[:space:]]*# already free: double free.*$/\1nop                                     # MUTANT: a double free is not detected/
