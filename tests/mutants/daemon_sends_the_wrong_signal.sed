# daemon_sends_the_wrong_signal - the cleaner signals an expired sandbox's
# process with SIGUSR1 instead of the SIGUSR2 the contract names (whose
# handler in the sandbox is what makes it exit cleanly).
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=daemon op=clean_sandboxes field=the_sut_misused_the_os
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/traces/daemon/sandbox_signals.trace
s/^\([[:space:]]*\)movl[[:space:]]*\$LINUX_SIGUSR2, %esi$/\1movl    $10, %esi                       # MUTANT: SIGUSR1/
