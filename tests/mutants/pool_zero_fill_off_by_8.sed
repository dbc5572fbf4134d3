# pool_zero_fill_off_by_8 - the zero-fill of objects under 32 bytes uses the
# wrong offset: it clears bytes 8 .. size + 8 instead of 0 .. size, leaving
# the first quad (the free-list link of a reused object) and clobbering the
# next slot or the bitmap.
# mutates: pool.s
# changes: 1
# signature: MF-DIVERGENCE target=pool op=pool_alloc field=pN_object_N_N_bytes_was_overwritten_at_N
# checks: property=PoolProperty.Simulated fuzz proof=pool_alloc replay=corpus/regressions/pool_zero_fill_off_by_8.trace
s/^\([[:space:]]*movq[[:space:]]*%rdx, \)-8(%rsi,%rcx).*$/\1(%rsi,%rcx)                # MUTANT: zeroes 8 bytes too high/
