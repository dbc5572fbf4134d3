# mem_free_push_keeps_bit_clear - mem_free pushes a freed small block on its
# slab's free list without storing the bitmap quad whose bit it set, so the
# block stays marked live while it is free: a second free of it is not seen
# as a double free, and mem_alloc's check of the free head rejects it.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_free field=page_N_bitmap_bit_of_block_N_differs
# checks: proof=mem_free replay=counterexample
/^mem_free:/,/\.size mem_free/{
/btsq[[:space:]]*%r9, %r11/,/movq[[:space:]]*%r11, PAGE_BITMAP(%rdx,%r10,8)/{
s/^\([[:space:]]*\)movq[[:space:]]*%r11, PAGE_BITMAP(%rdx,%r10,8).*$/\1nop                                     # MUTANT: the set bit is not stored/
}
}
