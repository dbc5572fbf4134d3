# alloc_release_current_slab - the test that keeps the current slab of a
# class when it empties is inverted (jne for je): an emptied slab that is not
# current stays mapped, and an emptied current slab is unmapped while
# current_slab still points at it.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_free field=the_number_of_munmap_calls_differs
# checks: property=AllocProperty.Simulated fuzz replay=corpus/regressions/alloc_release_current_slab.trace
/^[[:space:]]*cmpq[[:space:]]*%rdx, (%rcx,%rax,8)/{
n
s/^\([[:space:]]*\)je\([[:space:]]*\)1f.*$/\1jne\21f                      # MUTANT: the wrong slab is kept/
}
