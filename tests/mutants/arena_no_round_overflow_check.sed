# arena_no_round_overflow_check - arena_alloc without an overflow check on
# the rounding.  The real code tests the rounded value for 0, which catches
# both n = 0 and a Round8 that wrapped; deleting that test alone would be
# caught by the zero check's twin below, so this mutant tests n itself for 0
# (before rounding) and drops the test of the rounded value: n > 2^64 - 8
# then rounds to 0 and "fits".
# mutates: arena.s
# changes: 2
# signature: MF-DIVERGENCE target=arena op=arena_alloc field=the_result_differs
# checks: proof=arena_alloc replay=counterexample
/^arena_alloc:/,/\.size arena_alloc/ {
  s/^\([[:space:]]*\)movq\([[:space:]]*\)%rsi, %rax.*/\1testq   %rsi, %rsi                      # MUTANT: n tested before rounding\n\1jz      .Lalloc_none\n\1movq\2%rsi, %rax/
  s/^\([[:space:]]*\)jz[[:space:]]*\.Lalloc_none.*Round8.*$/\1# MUTANT: the test of Round8(n) for 0 is dropped/
}
