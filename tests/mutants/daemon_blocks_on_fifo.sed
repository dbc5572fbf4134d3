# daemon_blocks_on_fifo - the entry's type is no longer looked at and
# entries are opened without O_NONBLOCK, so a FIFO named snapshot_x blocks
# the pass until a writer comes (upstream Morph's cleaner: forever).
# mutates: daemon_cleaner.s
# changes: 2
# signature: MF-DIVERGENCE target=daemon op=clean_snapshots field=the_sut_misused_the_os
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_blocks_on_fifo.trace test=EntryTypes.AFifoDoesNotBlockThePass
/cmpl[[:space:]]*\$LINUX_DT_UNKNOWN, %eax/{n;s/^\([[:space:]]*\)jne[[:space:]]*\.Lpass_skip$/\1nop                             # MUTANT: any type is opened/;}
s/^\(\.equ OPEN_ENTRY_FLAGS,[[:space:]]*LINUX_O_NOFOLLOW | \)LINUX_O_NONBLOCK | \(.*\)$/\1\2  # MUTANT: opens block/
