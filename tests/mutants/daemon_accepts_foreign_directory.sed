# daemon_accepts_foreign_directory - the monitor directory's owner is no
# longer compared with the running user, so whoever created the directory
# first decides what the cleaner unlinks and signals.
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=daemon op=clean_snapshots field=the_sut_s_log_differs_from_the_model_s
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_accepts_foreign_directory.trace test=DirectoryChecks.ADirectoryOfAnotherUserIsRefused
/cmpl[[:space:]]*OPEN_DIR_STAT + LINUX_STAT_UID(%rsp), %eax/{n;s/^\([[:space:]]*\)jne[[:space:]]*\.Lrefuse_open_dir$/\1nop                             # MUTANT: any owner/;}
