# link_page_reads_null_head - link_page reads the old head's prev field
# before it tests the head for 0, so the first page of the process reads
# address 8: a wild read whose value is thrown away, invisible to every
# check of results, which the code proof refuses (a heap read must lie in
# memory the function owns) and the simulated OS faults on.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_alloc field=the_sut_faulted
# checks: proof=mem_alloc replay=counterexample
/^link_page:/,/\.size link_page/ s/^\([[:space:]]*\)testq[[:space:]]*%rax, %rax.*$/\1cmpq    $0, PAGE_PREV(%rax)             # MUTANT: reads the head before testing it\n\1testq   %rax, %rax/
