// check_fuzz_entry.cpp - the libFuzzer entry point of `mfh check`: one
// driver for every target, which it takes from MF_CHECK_TARGET at start, so
// that one link serves every target the checked files touch.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "fuzz_run.h"
#include "op_table.h"

namespace {
mf::ops::Target g_target = mf::ops::Target::mixed;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* name = std::getenv("MF_CHECK_TARGET");
  const std::optional<mf::ops::Target> target = name ? mf::ops::target_from_name(name) : std::nullopt;
  if (!target) {
    std::fprintf(stderr, "mfh check's fuzzer: MF_CHECK_TARGET must name a target (arena, pool, alloc, builtins, mixed)\n");
    std::exit(2);
  }
  g_target = *target;
  mf::fuzz::require_in_process_runs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto verdict = mf::fuzz::run_one_input(g_target, data, size);
  return verdict == mf::fuzz::InputVerdict::agree ? 0 : -1;
}
