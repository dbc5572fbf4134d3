// afl_entry.cpp - the AFL++ entry point of one target: persistent mode with
// test cases in shared memory.  Compiled with afl-clang-fast++ once per
// target (MF_FUZZ_TARGET, as for libfuzzer_entry.cpp).  Outside afl-fuzz the
// same binary reads one input from stdin, which is how findings replay.
#include <cstddef>
#include <cstdint>
#include <unistd.h>

#include "afl_fold.h"
#include "asm_cov_runtime.h"
#include "fuzz_run.h"

#ifndef MF_FUZZ_TARGET
#error "MF_FUZZ_TARGET must name the target (arena, pool, alloc, builtins, mixed)"
#endif

__AFL_FUZZ_INIT();

int main() {
  mf::fuzz::require_in_process_runs();
  mf::fuzz::keep_freed_heap_memory();
#ifdef __AFL_HAVE_MANUAL_CONTROL
  __AFL_INIT();
#endif
  const unsigned char* buffer = __AFL_FUZZ_TESTCASE_BUF;
  // Counters bumped before the first input (none expected) must not be
  // credited to it.
  mf_asm_cov_reset();
  while (__AFL_LOOP(100000)) {
    const std::size_t length = __AFL_FUZZ_TESTCASE_LEN;
    mf::fuzz::run_one_input(mf::ops::Target::MF_FUZZ_TARGET, buffer, length);
    mf_fuzz_fold_asm_coverage_into_afl();
  }
  return 0;
}
