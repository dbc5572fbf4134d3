# pool_zero_fill_off_by_8 - the zero-fill of objects under 32 bytes uses the
# wrong offset: it clears bytes 8 .. size + 8 instead of 0 .. size, leaving
# the first quad (the free-list link of a reused object) and clobbering the
# next slot or the bitmap.
# mutates: pool.s
# caught-by: PoolProperty.Simulated
# diverges-at: pool_alloc
# changes: 1
s/^\([[:space:]]*movq[[:space:]]*%rdx, \)-8(%rsi,%rcx).*$/\1(%rsi,%rcx)                # MUTANT: zeroes 8 bytes too high/
