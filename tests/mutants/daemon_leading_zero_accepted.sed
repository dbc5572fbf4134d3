# daemon_leading_zero_accepted - a decimal with a leading zero parses, so
# "0012" is a timestamp and sandbox_007 names pid 7: two spellings of one
# value, and a name the runtime never writes is acted on.
# mutates: daemon_cleaner.s
# changes: 1
# signature: no-model
# checks: test=Contents/SnapshotContent.*:SandboxNames.CraftedPidsAreSkippedNeverSignalledNeverDeleted test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpb[[:space:]]*\$'0', (%rdi)/{n;s/^\([[:space:]]*\)je[[:space:]]*\.Lparse_bad$/\1nop                             # MUTANT: leading zeros accepted/;}
