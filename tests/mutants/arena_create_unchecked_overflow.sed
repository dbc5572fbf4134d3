# arena_create_unchecked_overflow - arena_create no longer refuses a size
# whose 32 + size wraps, so arena_create(2^64 - 1) asks mem_alloc for 31
# bytes and returns an arena with end below start.
# mutates: arena.s
# changes: 1
# signature: MF-DIVERGENCE target=arena op=arena_create field=the_result_differs
# checks: property=ArenaProperty.Simulated fuzz replay=corpus/regressions/arena_create_unchecked_overflow.trace
s/^\([[:space:]]*\)ja[[:space:]]*\.Lcreate_fail[[:space:]]*# size > 2^64 - 33.*$/\1nop                                     # MUTANT: 32 + size may wrap/
