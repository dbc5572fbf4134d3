# alloc_release_current_slab - the test that keeps the first open slab of a
# class when it empties is inverted (jne for je): an emptied slab that is not
# first stays live, and an emptied first open slab is unlinked from its open
# list through its open prev, which is 0 for the first: a write near address
# 0, a fault.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_free field=the_sut_faulted
# checks: property=AllocProperty.Simulated fuzz replay=corpus/regressions/alloc_release_current_slab.trace
/^[[:space:]]*cmpq[[:space:]]*%rdx, (%rcx,%rax,8)/{
n
s/^\([[:space:]]*\)je\([[:space:]]*\)2f.*$/\1jne\22f                      # MUTANT: the wrong slab is kept/
}
