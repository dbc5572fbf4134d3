# arena_reset_reads_end - arena_reset loads the wrong header field (end at
# offset 0x10 instead of start at 0x00), so a reset arena is full.
# mutates: arena.s
# changes: 1
# signature: MF-DIVERGENCE target=arena op=arena_reset field=aN_header_current_differs
# checks: property=ArenaProperty.Simulated fuzz replay=corpus/regressions/arena_reset_reads_end.trace
/^arena_reset:/,/^\.Lreset_null:/s/^\([[:space:]]*movq[[:space:]]*\)ARENA_START(%rdi), %rax.*$/\1ARENA_END(%rdi), %rax        # MUTANT: reset moves current to the end/
