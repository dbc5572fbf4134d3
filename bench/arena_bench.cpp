// arena_bench.cpp - asm arena_alloc against the same algorithm in C++
// (bench/reference/arena.cpp).  Target: asm/C++ <= 1.2 (ci/bench.sh).

#include <benchmark/benchmark.h>

#include <cstdint>

#include "bench_common.h"
#include "morph_abi.h"
#include "reference_allocators.h"

namespace {

struct AsmArena {
  static MfArenaHeader* create(std::uint64_t size) { return ::arena_create(size); }
  static void* alloc(MfArenaHeader* arena, std::uint64_t size) { return ::arena_alloc(arena, size); }
  static void reset(MfArenaHeader* arena) { ::arena_reset(arena); }
  static void destroy(MfArenaHeader* arena) { ::arena_destroy(arena); }
};

struct CppArena {
  static MfArenaHeader* create(std::uint64_t size) { return mf::bench_ref::arena_create(size); }
  static void* alloc(MfArenaHeader* arena, std::uint64_t size) {
    return mf::bench_ref::arena_alloc(arena, size);
  }
  static void reset(MfArenaHeader* arena) { mf::bench_ref::arena_reset(arena); }
  static void destroy(MfArenaHeader* arena) { mf::bench_ref::arena_destroy(arena); }
};

// Big enough that the reset is rare (about one in 29000 requests), small
// enough that nothing here depends on the OS: the arena's memory is never
// touched, only its header.
constexpr std::uint64_t kArenaCapacity = std::uint64_t{1} << 20;

// One op: arena_alloc of a size in 8..64 (not all multiples of 8, so the
// rounding is exercised); a full arena is reset and the request retried.
template <class Arena>
void small_requests(benchmark::State& state) {
  static const auto sizes = mf::bench::request_sizes<256>(8, 64);
  MfArenaHeader* arena = Arena::create(kArenaCapacity);
  if (arena == nullptr) {
    state.SkipWithError("arena_create failed");
    return;
  }
  std::uint64_t i = 0;
  for (auto _ : state) {
    const std::uint64_t size = sizes[i++ % sizes.size()];
    void* block = Arena::alloc(arena, size);
    if (block == nullptr) {
      Arena::reset(arena);
      block = Arena::alloc(arena, size);
    }
    benchmark::DoNotOptimize(block);
  }
  benchmark::ClobberMemory();
  mf::bench::report_ops_per_iteration(state, 1);
  Arena::destroy(arena);
}

const bool registered = [] {
  using mf::bench::benchmark_name;
  benchmark::RegisterBenchmark(benchmark_name("arena_alloc_8-64", "asm").c_str(), small_requests<AsmArena>);
  benchmark::RegisterBenchmark(benchmark_name("arena_alloc_8-64", "cpp").c_str(), small_requests<CppArena>);
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
