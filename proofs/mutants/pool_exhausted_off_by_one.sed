# (c) pool_alloc's exhausted test is off by one: a room of exactly obj_size
# bytes (the last slot) counts as exhausted.
/^pool_alloc:/,/\.size pool_alloc/ s/\bjb\([[:space:]]*\)\.Lalloc_none/jbe\1.Lalloc_none/
