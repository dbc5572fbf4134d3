# arena_create_clobbers_rbx - arena_create keeps the size in rbx across its
# call of mem_alloc but no longer saves and restores it: the caller's rbx is
# lost.  Nothing the model sees changes; only the call-boundary check
# (harness/runner/call_boundary.h) can catch it.  The stack stays aligned
# (sub/add in place of push/pop), so the mutant breaks only the register.
# mutates: arena.s
# changes: 2
# signature: MF-DIVERGENCE target=arena op=arena_create field=the_sut_broke_the_calling_convention
# checks: property=ArenaProperty.Simulated fuzz proof=arena_create replay=corpus/regressions/arena_create_clobbers_rbx.trace
/^arena_create:/,/\.size arena_create/ {
  s/^\([[:space:]]*\)pushq[[:space:]]*%rbx.*$/\1subq    $8, %rsp                        # MUTANT: rbx is not saved/
  s/^\([[:space:]]*\)popq[[:space:]]*%rbx.*$/\1addq    $8, %rsp                        # MUTANT: nor restored/
}
