# alloc_trim_keeps_page_map - mem_trim never gives back the page map, even
# when no page is live (jmp for jne): the bytes it returns and the OS's
# mapped bytes are off by the table's size.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_trim field=the_result_differs
# checks: property=AllocProperty.Simulated fuzz replay=corpus/regressions/alloc_trim_keeps_page_map.trace
/cmpq[[:space:]]*\$0, page_count(%rip)/{
n
s/^\([[:space:]]*\)jne\([[:space:]]*\)6f.*$/\1jmp\26f                      # MUTANT: the page map is kept/
}
