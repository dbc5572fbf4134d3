# meminfo_reads_a_cut_line - the last line of a meminfo text longer than
# the 8192-byte limit is parsed although the limit may have cut its digits.
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=meminfo op=monitor_memory field=the_result_differs
# checks: property=MeminfoProperty.Simulated fuzz replay=corpus/regressions/meminfo_reads_a_cut_line.trace test=MemoryMonitor.ALineCutByTheLimitIsIgnored test=ModelAgreement_RapidCheck.MeminfoAgreesWithTheModel
/cmpq[[:space:]]*\$0, MEM_WHOLE_FILE(%rsp)/{n;s/^\([[:space:]]*\)je[[:space:]]*\.Lmem_parsed.*$/\1nop                             # MUTANT: a cut line is read/;}
