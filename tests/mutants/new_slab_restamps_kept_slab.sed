# new_slab_restamps_kept_slab - a kept slab taken back is stamped anew (a
# call of __mf_os_time added on the pop), where the contract says it keeps
# its mapping's timestamp: the cleaner's aging by timestamp would then take
# an old mapping for a new one.
# mutates: alloc.s
# changes: 1
# signature: MF-DIVERGENCE target=alloc op=mem_alloc field=page_N_header_timestamp_differs
# checks: proof=new_slab replay=counterexample
/^new_slab:/,/\.size new_slab/ {
  /subq[[:space:]]*\$SLAB_SIZE, kept_bytes(%rip)/ {
    n
    s/^\([[:space:]]*\)jmp[[:space:]]*\.Lnew_slab_mapped.*$/\1call    __mf_os_time            # MUTANT: the kept slab gets a new timestamp\n\1movq    %rax, PAGE_TIMESTAMP(%r12)\n\1jmp     .Lnew_slab_mapped/
  }
}
