# mem_free_no_class_check - mem_free skips the size-class check for a block
# outside the current slab of the size's class, so mem_free(p, n) with an n
# of another class frees p instead of exiting 111.
# mutates: alloc.s
# caught-by: AllocProperty.Simulated
# diverges-at: mem_free
# changes: 1
/^\.Lfree_find_slab:/,/^\.Lfree_large_or_bad:/{
/cmpq[[:space:]]*%rax, PAGE_CLASS(%rdx)/{
n
s/^\([[:space:]]*\)jne[[:space:]]*\.Lfree_bounds.*$/\1nop                                     # MUTANT: the size class is not checked/
}
}
