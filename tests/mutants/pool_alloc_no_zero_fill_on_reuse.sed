# pool_alloc_no_zero_fill_on_reuse - pool_alloc returns an object popped from
# the free list without zero-filling it: it still holds the free-list link
# and its old contents.
# mutates: pool.s
# caught-by: PoolProperty.Simulated
# diverges-at: pool_alloc
# changes: 1
/btrq[[:space:]]*%rax, %r9/{
n
s/$/\n        movq    %rsi, %rax              # MUTANT: a reused object is not zero-filled\n        ret/
}
