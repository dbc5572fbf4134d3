# daemon_log_unescaped - control bytes of a name go into the log as they
# are, so a name holding a newline forges a second log line.
# mutates: daemon_cleaner.s
# changes: 1
# signature: no-model
# checks: test=CleanerLog.ANewlineAndABackslashAreEscaped:CleanerLog.ALineThatCouldForgeAnotherIsOneLine test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpb[[:space:]]*\$0x20, %al/{n;s/^\([[:space:]]*\)jb[[:space:]]*\.Lescaped_hex$/\1nop                             # MUTANT: control bytes written raw/;}
