# alloc_reuse_keeps_free_bit - mem_alloc reuses a freed block without
# clearing its bit in the slab's bitmap (btq for btrq), so the block counts
# as free while it is live and freeing it later looks like a double free.
# mutates: alloc.s
# caught-by: AllocProperty.Simulated
# diverges-at: mem_alloc
# changes: 1
s/^\([[:space:]]*\)btrq\([[:space:]]*%r9, %r11\).*$/\1btq \2               # MUTANT: a reused block keeps its free bit/
