# daemon_log_unescaped - control bytes of a name go into the log as they
# are, so a name holding a newline forges a second log line.
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=daemon op=clean_snapshots field=the_sut_s_log_differs_from_the_model_s
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_log_unescaped.trace test=CleanerLog.ANewlineAndABackslashAreEscaped:CleanerLog.ALineThatCouldForgeAnotherIsOneLine test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpb[[:space:]]*\$0x20, %al/{n;s/^\([[:space:]]*\)jb[[:space:]]*\.Lescaped_hex$/\1nop                             # MUTANT: control bytes written raw/;}
