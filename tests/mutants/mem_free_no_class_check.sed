# mem_free_no_class_check - mem_free skips the size-class check for a block
# outside the current slab of the size's class, so mem_free(p, n) with an n
# of another class frees p instead of exiting 111.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_free field=the_sut_did_not_exit_as_the_contract_says
# checks: property=AllocProperty.Simulated fuzz replay=corpus/regressions/mem_free_no_class_check.trace
/^\.Lfree_find_slab:/,/^\.Lfree_large_or_bad:/{
/cmpq[[:space:]]*%rax, PAGE_CLASS(%rdx)/{
n
s/^\([[:space:]]*\)jne[[:space:]]*\.Lfree_bounds.*$/\1nop                                     # MUTANT: the size class is not checked/
}
}
