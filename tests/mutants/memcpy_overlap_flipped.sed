# memcpy_overlap_flipped - __mf_memcpy's choice of direction is inverted (jae
# for jb): a destination that starts inside the source is copied forwards,
# overwriting source bytes before they are read.
# mutates: builtins.s
# changes: 1
# signature: MF-DIVERGENCE target=builtins op=memcpy field=mN_holds_a_wrong_byte_at_N
# checks: property=BuiltinsProperty.Simulated fuzz replay=corpus/regressions/memcpy_overlap_flipped.trace
/^__mf_memcpy:/,/\.size __mf_memcpy/{
/cmpq[[:space:]]*%rdx, %r8/{
n
s/^\([[:space:]]*\)jb\([[:space:]]*\)3f.*$/\1jae\23f                      # MUTANT: overlapping copies go the wrong way/
}
}
