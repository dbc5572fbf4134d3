# arena_exact_fit_refused - arena_alloc refuses a request that fits exactly:
# the fit test is off by one (jae for ja).
# mutates: arena.s
# changes: 1
# signature: MF-DIVERGENCE target=arena op=arena_alloc field=the_result_differs
# checks: property=ArenaProperty.Simulated fuzz replay=corpus/regressions/arena_exact_fit_refused.trace
s/^\([[:space:]]*\)ja\([[:space:]]*\.Lalloc_none[[:space:]]*\)# Round8(n) > room.*$/\1jae\2# MUTANT: an exact fit is refused/
