# meminfo_more_available_than_total - MemAvailable above MemTotal is no
# longer refused: the used amount wraps around, and the division by
# MemTotal overflows (a divide error ends the process).
# mutates: daemon_cleaner.s
# changes: 1
# signature: no-model
# checks: test=MemoryMonitor.MoreAvailableThanTotalIsMinusOne test=ModelAgreement_RapidCheck.MeminfoAgreesWithTheModel
s/^\([[:space:]]*\)ja[[:space:]]*\.Lmem_unparsed[[:space:]]*# more available than there is$/\1nop                             # MUTANT: available above total accepted/
