# daemon_follows_entry_symlinks - the entry's type is no longer looked at
# and entries are opened without O_NOFOLLOW, so a snapshot or sandbox name
# that is a symlink is judged by the file it points to (and unlinked).
# mutates: daemon_cleaner.s
# changes: 2
# signature: MF-DIVERGENCE target=daemon op=clean_snapshots field=the_sut_s_log_differs_from_the_model_s
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_follows_entry_symlinks.trace test=EntryTypes.ASnapshotSymlinkIsNotFollowed:EntryTypes.ASandboxSymlinkIsNotFollowed test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpl[[:space:]]*\$LINUX_DT_UNKNOWN, %eax/{n;s/^\([[:space:]]*\)jne[[:space:]]*\.Lpass_skip$/\1nop                             # MUTANT: any type is opened/;}
s/^\(\.equ OPEN_ENTRY_FLAGS,[[:space:]]*\)LINUX_O_NOFOLLOW | \(.*\)$/\1\2  # MUTANT: links followed/
