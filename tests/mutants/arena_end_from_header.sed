# arena_end_from_header - arena_create computes end from the header instead
# of from start: end = header + size, 32 bytes short of start + size.
# mutates: arena.s
# changes: 1
# signature: MF-DIVERGENCE target=arena op=arena_create field=aN_header_end_differs
# checks: proof=arena_create replay=counterexample
/^arena_create:/,/\.size arena_create/ s/^\([[:space:]]*\)addq[[:space:]]*%rbx, %rcx.*/\1leaq    (%rax,%rbx), %rcx       # MUTANT: end = header + size/
