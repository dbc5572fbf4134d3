# daemon_pass_clobbers_rbx - the cleaning pass no longer saves and restores
# rbx, a callee-saved register it uses for the current record (upstream
# Morph's daemon_monitor_memory had the same kind of bug).
# mutates: daemon_cleaner.s
# changes: 2
# signature: MF-DIVERGENCE target=daemon op=clean_snapshots field=the_sut_broke_the_calling_convention
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_pass_clobbers_rbx.trace test=CallingConvention.CleanSnapshotsPreservesTheCalleeSavedRegisters:CallingConvention.CleanSandboxesPreservesTheCalleeSavedRegisters
/^clean_pass:/,/\.size clean_pass/ s/^\([[:space:]]*\)\(pushq\|popq\)[[:space:]]*%rbx$/\1nop                             # MUTANT: rbx not preserved/
