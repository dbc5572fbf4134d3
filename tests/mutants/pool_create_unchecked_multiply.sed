# pool_create_unchecked_multiply - pool_create ignores the carry of
# obj_size * capacity, so pool_create(2^63, 2) allocates a 56-byte pool.
# mutates: pool.s
# changes: 1
# signature: MF-DIVERGENCE target=pool op=pool_create field=the_result_differs
# checks: property=PoolProperty.Simulated fuzz replay=corpus/regressions/pool_create_unchecked_multiply.trace
s/^\([[:space:]]*\)jc[[:space:]]*\.Lcreate_fail[[:space:]]*# CF set iff the high half.*$/\1nop                                     # MUTANT: obj_size * capacity may overflow/
