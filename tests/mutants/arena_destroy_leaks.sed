# arena_destroy_leaks - arena_destroy returns without calling mem_free (the
# tail call became a return): every destroyed arena's block stays live.
# mutates: arena.s
# changes: 1
# signature: MF-DIVERGENCE target=arena op=arena_destroy field=page_N_header_live_differs
# checks: proof=arena_destroy replay=counterexample
/^arena_destroy:/,/\.size arena_destroy/ s/^\([[:space:]]*\)jmp[[:space:]]*mem_free.*$/\1ret                             # MUTANT: no mem_free/
