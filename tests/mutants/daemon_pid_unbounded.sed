# daemon_pid_unbounded - a sandbox name's pid is no longer checked against
# 2, 2^31 - 1 and daemon_pid_max, so sandbox_0, sandbox_1 and
# sandbox_4294967295 (kill(-1) for the kernel) are acted on.
# mutates: daemon_cleaner.s
# changes: 3
# signature: MF-DIVERGENCE target=daemon op=clean_sandboxes field=the_sut_s_log_differs_from_the_model_s
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_pid_unbounded.trace test=SandboxNames.CraftedPidsAreSkippedNeverSignalledNeverDeleted test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpq[[:space:]]*\$2, %rax/{n;s/^\([[:space:]]*\)jl[[:space:]]*\.Lpass_skip$/\1nop                             # MUTANT: pids below 2 accepted/;}
/cmpq[[:space:]]*\$PID_INT_MAX, %rax/{n;s/^\([[:space:]]*\)ja[[:space:]]*\.Lpass_skip$/\1nop                             # MUTANT: pids above 2^31 - 1 accepted/;}
/cmpq[[:space:]]*daemon_pid_max(%rip), %rax/{n;s/^\([[:space:]]*\)jg[[:space:]]*\.Lpass_skip$/\1nop                             # MUTANT: pids above pid_max accepted/;}
