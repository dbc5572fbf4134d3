# alloc_release_current_slab - the test that keeps the current slab of a
# class when it empties is inverted (jne for je): an emptied slab that is not
# current stays mapped, and an emptied current slab is unmapped while
# current_slab still points at it.
# mutates: alloc.s
# caught-by: AllocProperty.Simulated
# diverges-at: mem_free
# changes: 1
/^[[:space:]]*cmpq[[:space:]]*%rdx, (%rcx,%rax,8)/{
n
s/^\([[:space:]]*\)je\([[:space:]]*\)1f.*$/\1jne\21f                      # MUTANT: the wrong slab is kept/
}
