# daemon_follows_entry_symlinks - the entry's type is no longer looked at
# and entries are opened without O_NOFOLLOW, so a snapshot or sandbox name
# that is a symlink is judged by the file it points to (and unlinked).
# mutates: daemon_cleaner.s
# changes: 2
# signature: no-model
# checks: test=EntryTypes.ASnapshotSymlinkIsNotFollowed:EntryTypes.ASandboxSymlinkIsNotFollowed test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpl[[:space:]]*\$LINUX_DT_UNKNOWN, %eax/{n;s/^\([[:space:]]*\)jne[[:space:]]*\.Lpass_skip$/\1nop                             # MUTANT: any type is opened/;}
s/^\(\.equ OPEN_ENTRY_FLAGS,[[:space:]]*\)LINUX_O_NOFOLLOW | \(.*\)$/\1\2  # MUTANT: links followed/
