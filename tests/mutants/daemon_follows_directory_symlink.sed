# daemon_follows_directory_symlink - the monitor directory is opened
# without O_NOFOLLOW, so a symlink put in its place redirects the cleaner.
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=daemon op=clean_snapshots field=the_result_differs
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_follows_directory_symlink.trace test=DirectoryChecks.ASymlinkToAGoodDirectoryIsRefused
s/^\(\.equ OPEN_DIR_FLAGS,[[:space:]]*LINUX_O_DIRECTORY | \)LINUX_O_NOFOLLOW | \(.*\)$/\1\2  # MUTANT: a final link followed/
