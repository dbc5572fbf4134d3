# (e) arena_create computes end from the header instead of from start:
# end = header + size, 32 bytes short of start + size.
/^arena_create:/,/\.size arena_create/ s/^\([[:space:]]*\)addq[[:space:]]*%rbx, %rcx.*/\1leaq    (%rax,%rbx), %rcx       # MUTANT: end = header + size/
