# pool_alloc_no_zero_fill_on_reuse - pool_alloc returns an object popped from
# the free list without zero-filling it: it still holds the free-list link
# and its old contents.
# mutates: pool.s
# changes: 1
# signature: MF-DIVERGENCE target=pool op=pool_alloc field=pN_object_N_is_not_zero_filled_at_N
# checks: property=PoolProperty.Simulated fuzz proof=pool_alloc replay=corpus/regressions/pool_alloc_no_zero_fill_on_reuse.trace
/btrq[[:space:]]*%rax, %r9/{
n
s/$/\n        movq    %rsi, %rax              # MUTANT: a reused object is not zero-filled\n        ret/
}
