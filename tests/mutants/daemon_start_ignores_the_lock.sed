# daemon_start_ignores_the_lock - a refused flock no longer stops
# daemon_start, so a second daemon starts on a directory one already cleans.
# mutates: daemon_cleaner.s
# changes: 1
# signature: no-model
# checks: test=DaemonStart.ASecondStartIsRefusedWhileOneRuns
/call[[:space:]]*__mf_os_flock/,/js/ s/^\([[:space:]]*\)js[[:space:]]*\.Lstart_locked$/\1nop                             # MUTANT: the lock is not required/
