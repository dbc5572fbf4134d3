# pool_free_accepts_inner_address - pool_free no longer rejects an address
# inside a slot: the remainder test of (obj - start) / obj_size is dropped.
# mutates: pool.s
# changes: 1
# signature: MF-DIVERGENCE target=pool op=pool_free field=the_sut_did_not_exit_as_the_contract_says
# checks: proof=pool_free replay=counterexample
/^pool_free:/,/\.size pool_free/ s/^\([[:space:]]*\)jnz[[:space:]]*\.Lfree_bounds.*$/\1# MUTANT: the remainder test is dropped/
