// afl_fold.cpp - the assembly's counters in AFL++'s coverage map.
//
// Compiled by the project's compiler, not afl-clang-fast++: AFL++'s
// instrumentation pass declares __afl_area_ptr itself and renames a second
// declaration in the same file, which then no longer links.  The symbols
// come from AFL++'s runtime, linked into afl_fuzz_<target> only.
#include "afl_fold.h"

#include <cstdint>
#include <vector>

#include "asm_cov_runtime.h"

extern "C" unsigned char* __afl_area_ptr;
extern "C" unsigned int __afl_map_size;
extern "C" void __sanitizer_cov_trace_pc_guard_init(std::uint32_t* start, std::uint32_t* stop);

namespace {

void reserve_afl_map_for_asm() {
  // AFL++ sizes its map by the edges the compiler instrumented, here only the
  // thin entry point's dozen: every counter of the assembly would fold into
  // those few cells.  Registering guards the way an instrumented module does
  // makes the map room for the assembly; four cells per counter keep the
  // fold's hash collisions rare.  The guards themselves are never hit.
  static std::vector<std::uint32_t> guards;
  const std::size_t cells = 4 * mf_asm_cov_total_counters() + 1024;
  guards.assign(cells, 0);
  __sanitizer_cov_trace_pc_guard_init(guards.data(), guards.data() + guards.size());
}

// The guards must be in before AFL++'s runtime maps the map or starts its
// fork server (which it does from constructors of priority 3 when the binary
// runs outside afl-fuzz, and then refuses new guards), hence a priority below
// its own.
__attribute__((constructor(2))) void reserve_at_load() { reserve_afl_map_for_asm(); }

}  // namespace

void mf_fuzz_fold_asm_coverage_into_afl() { mf_asm_cov_fold_into_afl(__afl_area_ptr, __afl_map_size); }
