# alloc_reuse_keeps_free_bit - mem_alloc reuses a freed block without
# clearing its bit in the slab's bitmap (btq for btrq), so the block counts
# as free while it is live and freeing it later looks like a double free.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_alloc field=page_N_bitmap_bit_of_block_N_differs
# checks: property=AllocProperty.Simulated fuzz replay=corpus/regressions/alloc_reuse_keeps_free_bit.trace
s/^\([[:space:]]*\)btrq\([[:space:]]*%r9, %r11\).*$/\1btq \2               # MUTANT: a reused block keeps its free bit/
