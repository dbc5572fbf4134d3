# arena_exact_fit_refused - arena_alloc refuses a request that fits exactly:
# the fit test is off by one (jae for ja).
# mutates: arena.s
# caught-by: ArenaProperty.Simulated
# diverges-at: arena_alloc
# changes: 1
s/^\([[:space:]]*\)ja\([[:space:]]*\.Lalloc_none[[:space:]]*\)# Round8(n) > room.*$/\1jae\2# MUTANT: an exact fit is refused/
