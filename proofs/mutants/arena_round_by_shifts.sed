# An equivalent rewrite, which the proof must still accept: Round8 by two
# shifts instead of a mask.  (A prover that refutes everything fails here.)
/^arena_alloc:/,/\.size arena_alloc/ s/^\([[:space:]]*\)andq[[:space:]]*\$-ARENA_ALIGN, %rax.*/\1shrq    $3, %rax\n\1shlq    $3, %rax/
