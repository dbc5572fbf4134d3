# pool_free_no_double_free_check - pool_free no longer looks at the free
# bit, so a double free pushes the object on the free list a second time.
# mutates: pool.s
# caught-by: PoolProperty.Simulated
# diverges-at: pool_free
# changes: 1
s/^\([[:space:]]*\)jc[[:space:]]*\.Lfree_bounds[[:space:]]*# already free: double free.*$/\1nop                                     # MUTANT: a double free is not detected/
