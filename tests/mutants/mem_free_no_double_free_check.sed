# mem_free_no_double_free_check - mem_free no longer tests the bit it sets
# in its slab's bitmap, so a second free of the same small block pushes it
# on the free list again (and counts it again in live) instead of exiting
# 111.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_free field=the_sut_did_not_exit_as_the_contract_says
# checks: proof=mem_free replay=counterexample
/^mem_free:/,/\.size mem_free/{
/btsq[[:space:]]*%r9, %r11/{
n
s/^\([[:space:]]*\)jc[[:space:]]*\.Lfree_bounds.*$/\1nop                                     # MUTANT: a double free is not detected/
}
}
