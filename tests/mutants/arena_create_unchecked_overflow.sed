# arena_create_unchecked_overflow - arena_create no longer refuses a size
# whose 32 + size wraps, so arena_create(2^64 - 1) asks mem_alloc for 31
# bytes and returns an arena with end below start.
# mutates: arena.s
# caught-by: ArenaProperty.Simulated
# diverges-at: arena_create
# changes: 1
s/^\([[:space:]]*\)ja[[:space:]]*\.Lcreate_fail[[:space:]]*# size > 2^64 - 33.*$/\1nop                                     # MUTANT: 32 + size may wrap/
