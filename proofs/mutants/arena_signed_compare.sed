# (a) arena_alloc compares Round8(n) with the room left as signed numbers:
# a request of 2^63 bytes or more then "fits" in a small arena.
/^arena_alloc:/,/\.size arena_alloc/ s/\bja\([[:space:]]*\)\.Lalloc_none/jg\1.Lalloc_none/
