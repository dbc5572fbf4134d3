# arena_round_by_shifts - an equivalent rewrite, which the proof must still
# accept: Round8 by two shifts instead of a mask.  (A prover that refutes
# everything fails here.)
# mutates: arena.s
# changes: 1
# signature: none
# checks: proof=arena_alloc
/^arena_alloc:/,/\.size arena_alloc/ s/^\([[:space:]]*\)andq[[:space:]]*\$-ARENA_ALIGN, %rax.*/\1shrq    $3, %rax                        # MUTANT: Round8 by shifts\n\1shlq    $3, %rax/
