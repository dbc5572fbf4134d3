// libfuzzer_entry.cpp - the libFuzzer entry point of one target.  The build
// compiles this file once per target with MF_FUZZ_TARGET set to its name
// (fuzz_arena, fuzz_pool, ...).
#include <cstddef>
#include <cstdint>

#include "fuzz_run.h"

#ifndef MF_FUZZ_TARGET
#error "MF_FUZZ_TARGET must name the target (arena, pool, alloc, builtins, mixed)"
#endif

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  mf::fuzz::require_in_process_runs();
  mf::fuzz::keep_freed_heap_memory();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto verdict = mf::fuzz::run_one_input(mf::ops::Target::MF_FUZZ_TARGET, data, size);
  // -1 keeps an input that the runner could not judge out of the corpus.
  return verdict == mf::fuzz::InputVerdict::agree ? 0 : -1;
}
