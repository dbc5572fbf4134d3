# daemon_signals_foreign_process - the owner of /proc/<pid> is no longer
# compared with the running user, so a cleaner running as root signals any
# process whose pid a file names.
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=daemon op=clean_sandboxes field=the_sut_signalled_other_processes_than_the_model
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_signals_foreign_process.trace test=SandboxPass.AProcessOfAnotherUserIsNeverSignalled test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpl[[:space:]]*PASS_STAT + LINUX_STAT_UID(%rsp), %eax/{n;s/^\([[:space:]]*\)jne[[:space:]]*\.Lpass_not_signalled$/\1nop                             # MUTANT: any owner signalled/;}
