# pool_destroy_frees_size_0 - pool_destroy asks mem_free to free 0 bytes
# instead of the pool's total, so mem_free refuses every pool (exit 111).
# mutates: pool.s
# changes: 1
# signature: MF-DIVERGENCE target=pool op=pool_destroy field=the_sut_exited_where_the_contract_says_it_returns
# checks: proof=pool_destroy replay=counterexample
/^pool_destroy:/,/\.size pool_destroy/ s/^\([[:space:]]*\)leaq[[:space:]]*POOL_HDR_SIZE(%r8,%rax,8), %rsi.*$/\1xorl    %esi, %esi                      # MUTANT: total 0/
