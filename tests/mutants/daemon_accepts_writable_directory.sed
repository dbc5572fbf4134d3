# daemon_accepts_writable_directory - the monitor directory's mode is no
# longer checked, so anyone allowed to write into it can plant names.
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=daemon op=clean_sandboxes field=the_result_differs
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_accepts_writable_directory.trace test=DirectoryChecks.AGroupWritableDirectoryIsRefused:DirectoryChecks.AnOthersWritableDirectoryIsRefused
/testl[[:space:]]*\$LINUX_S_IWGRP_IWOTH/{n;s/^\([[:space:]]*\)jnz[[:space:]]*\.Lrefuse_open_dir$/\1nop                             # MUTANT: any mode/;}
