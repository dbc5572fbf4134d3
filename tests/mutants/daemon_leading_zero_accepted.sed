# daemon_leading_zero_accepted - a decimal with a leading zero parses, so
# "0012" is a timestamp and sandbox_007 names pid 7: two spellings of one
# value, and a name the runtime never writes is acted on.
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=daemon op=clean_snapshots field=the_result_differs
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_leading_zero_accepted.trace test=Contents/SnapshotContent.*:SandboxNames.CraftedPidsAreSkippedNeverSignalledNeverDeleted test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpb[[:space:]]*\$'0', (%rdi)/{n;s/^\([[:space:]]*\)je[[:space:]]*\.Lparse_bad$/\1nop                             # MUTANT: leading zeros accepted/;}
