# meminfo_key_test_with_a_stale_length - the line's end is no longer loaded
# before a key is looked for, so has_prefix takes whatever rsi held for the
# line's length.  With the real os.s, whose syscall keeps rsi, that is the
# buffer of the last read: the text's start when one read brought in more
# than the limit, a length of 0, and a MemTotal on the first line of a long
# file is missed.  The simulated OS's calls (C++) leave other values in
# rsi, so no simulated run shows it: only the real-OS suite.
# mutates: daemon_cleaner.s
# changes: 1
# signature: no-model
# checks: test=MemoryMonitor.ALineCutByTheLimitIsIgnored
/^[[:space:]]*movq[[:space:]]*%rbx, %rdi$/{n;s/^\([[:space:]]*\)movq[[:space:]]*MEM_LINE_END(%rsp), %rsi$/\1nop                             # MUTANT: a stale length/;}
