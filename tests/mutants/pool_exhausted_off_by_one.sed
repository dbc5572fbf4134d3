# pool_exhausted_off_by_one - pool_alloc's exhausted test is off by one: a
# room of exactly obj_size bytes (the last slot) counts as exhausted.
# mutates: pool.s
# changes: 1
# signature: MF-DIVERGENCE target=pool op=pool_alloc field=the_result_differs
# checks: proof=pool_alloc replay=counterexample
/^pool_alloc:/,/\.size pool_alloc/ s/\bjb\([[:space:]]*\)\.Lalloc_none.*$/jbe\1.Lalloc_none                    # MUTANT: the last slot counts as exhausted/
