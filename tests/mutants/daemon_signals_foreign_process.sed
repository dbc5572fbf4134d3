# daemon_signals_foreign_process - the owner of /proc/<pid> is no longer
# compared with the running user, so a cleaner running as root signals any
# process whose pid a file names.
# mutates: daemon_cleaner.s
# changes: 1
# signature: no-model
# checks: test=SandboxPass.AProcessOfAnotherUserIsNeverSignalled test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpl[[:space:]]*PASS_STAT + LINUX_STAT_UID(%rsp), %eax/{n;s/^\([[:space:]]*\)jne[[:space:]]*\.Lpass_not_signalled$/\1nop                             # MUTANT: any owner signalled/;}
