# arena_reset_never_returns - arena_reset loops back to its start instead of
# returning: a mutated loop condition's classic effect, a call that never
# ends.  The per-op budget of the runner (harness/runner/sut_call.h,
# HangWatch) stops it and reports a hang instead of hanging the harness.
# mutates: arena.s
# changes: 1
# signature: MF-DIVERGENCE target=arena op=arena_reset field=the_sut_call_did_not_return_within_the_per_op_budget
# checks: property=ArenaProperty.Simulated fuzz replay=corpus/regressions/arena_reset_never_returns.trace
/^arena_reset:/,/\.size arena_reset/ s/^\([[:space:]]*\)ret[[:space:]]*$/\1jmp     arena_reset                     # MUTANT: never returns/
