# arena_signed_compare - arena_alloc compares Round8(n) with the room left as
# signed numbers: a request of 2^63 bytes or more then "fits" in a small
# arena.
# mutates: arena.s
# changes: 1
# signature: MF-DIVERGENCE target=arena op=arena_alloc field=the_result_differs
# checks: proof=arena_alloc replay=counterexample
/^arena_alloc:/,/\.size arena_alloc/ s/\bja\([[:space:]]*\)\.Lalloc_none.*$/jg\1.Lalloc_none                    # MUTANT: a signed comparison/
