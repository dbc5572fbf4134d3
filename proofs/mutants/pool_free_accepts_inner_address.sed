# (d) pool_free no longer rejects an address inside a slot: the remainder
# test of (obj - start) / obj_size is dropped.
/^pool_free:/,/\.size pool_free/ {
  /^[[:space:]]*jnz[[:space:]]*\.Lfree_bounds/d
}
