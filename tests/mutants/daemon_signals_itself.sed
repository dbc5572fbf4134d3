# daemon_signals_itself - a sandbox file naming the cleaner's own pid is no
# longer refused, so one planted file makes the cleaner send itself SIGUSR2
# (whose default action ends the process).
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=daemon op=clean_sandboxes field=the_sut_signalled_other_processes_than_the_model
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_signals_itself.trace test=SandboxPass.TheCleanerNeverSignalsItself
/cmpq[[:space:]]*PASS_PID(%rsp), %rax/{n;s/^\([[:space:]]*\)je[[:space:]]*\.Lpass_not_signalled$/\1nop                             # MUTANT: its own pid signalled/;}
