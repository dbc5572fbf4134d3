# meminfo_more_available_than_total - MemAvailable above MemTotal is no
# longer refused: the used amount wraps around, and the division by
# MemTotal overflows (a divide error ends the process).
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=meminfo op=monitor_memory field=the_result_differs
# checks: property=MeminfoProperty.Simulated fuzz replay=corpus/regressions/meminfo_more_available_than_total.trace test=MemoryMonitor.MoreAvailableThanTotalIsMinusOne test=ModelAgreement_RapidCheck.MeminfoAgreesWithTheModel
s/^\([[:space:]]*\)ja[[:space:]]*\.Lmem_unparsed[[:space:]]*# more available than there is$/\1nop                             # MUTANT: available above total accepted/
