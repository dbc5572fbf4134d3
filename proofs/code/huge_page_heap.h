// huge_page_heap.h - runs the prover with its heap on transparent huge
// pages.
//
// Z3 allocates and frees terms, clauses and watch lists through malloc at a
// high rate, and a proof's heap grows to some hundred megabytes: on 4 KiB
// pages the kernel's page faults were a tenth of mf_code_proof's CPU
// (perf over all proofs: 11.6 % in the kernel, 8 % in its page-fault
// path alone, on a virtual machine where each fault is dear).  glibc's
// malloc puts its heap on transparent huge pages when its tunable
// glibc.malloc.hugetlb is 1, and a tunable is read only when a process
// starts, so the program runs itself again once with it set.  Pages
// change the time only: Z3's resource units, and so every verdict, do
// not depend on where memory lies.
#pragma once

namespace mf::proof {

// Re-executes the running program with glibc.malloc.hugetlb=1 unless the
// environment already sets that tunable; returns (and the program goes on
// as it is) when it is set or the re-execution fails.
void run_on_huge_page_heap(char** argv);

}  // namespace mf::proof
