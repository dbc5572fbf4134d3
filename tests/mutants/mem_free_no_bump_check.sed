# mem_free_no_bump_check - mem_free no longer compares p with its slab's
# bump, so a block boundary at or past bump (a block never handed out) is
# freed, pushed on the free list and counted, instead of exiting 111.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_free field=the_sut_did_not_exit_as_the_contract_says
# checks: proof=mem_free replay=counterexample
/^mem_free:/,/\.size mem_free/{
/cmpq[[:space:]]*PAGE_BUMP(%rdx), %rdi/{
n
s/^\([[:space:]]*\)jae[[:space:]]*\.Lfree_bounds.*$/\1# MUTANT: the bump check is dropped/
}
}
