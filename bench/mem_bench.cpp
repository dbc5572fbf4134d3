// mem_bench.cpp - asm mem_alloc + mem_free against glibc malloc + free.
// Targets (ci/bench.sh): asm/glibc <= 1.0 for the 16..1024-byte pairs and the
// 16 KiB..1 MiB pairs (a kept page serves those without a system call).
// One op is one alloc and one free.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_common.h"
#include "morph_abi.h"

namespace {

struct AsmMem {
  static void* alloc(std::uint64_t size) { return ::mem_alloc(size); }
  static void free(void* ptr, std::uint64_t size) { ::mem_free(ptr, size); }
};

struct GlibcMem {
  static void* alloc(std::uint64_t size) { return std::malloc(size); }
  static void free(void* ptr, std::uint64_t) { std::free(ptr); }
};

// alloc then free the same size: small sizes stay on the class's first open
// slab (which stays live when its live count drops to 0); large sizes take
// back their kept page.  DoNotOptimize keeps the compiler from deleting a
// malloc/free pair whose block is unused.
template <class Mem>
void pair(benchmark::State& state, std::uint64_t size) {
  void* probe = Mem::alloc(size);
  if (probe == nullptr) {
    state.SkipWithError("alloc returned 0");
    return;
  }
  Mem::free(probe, size);
  for (auto _ : state) {
    void* block = Mem::alloc(size);
    benchmark::DoNotOptimize(block);
    Mem::free(block, size);
  }
  benchmark::ClobberMemory();
  mf::bench::report_ops_per_iteration(state, 1);
}

// n allocs, then n frees in allocation order: for 1024-byte blocks (63 per
// slab) this spans several slabs, so frees outside the first open slab find
// their slab through the page map, and emptied slabs are kept and taken back.
template <class Mem>
void batch(benchmark::State& state, std::uint64_t size, std::uint64_t n) {
  std::vector<void*> blocks(n);
  for (auto _ : state) {
    for (auto& block : blocks) block = Mem::alloc(size);
    benchmark::ClobberMemory();
    for (void* block : blocks) {
      if (block == nullptr) {
        state.SkipWithError("alloc returned 0");
        return;
      }
      Mem::free(block, size);
    }
  }
  mf::bench::report_ops_per_iteration(state, static_cast<double>(n));
}

// The implementations of one workload are registered next to each
// other, so that they run under the same machine conditions.
template <class Workload>
void register_all(const std::string& workload, Workload run) {
  benchmark::RegisterBenchmark(mf::bench::benchmark_name(workload, "asm").c_str(),
                               [run](benchmark::State& state) { run.template operator()<AsmMem>(state); });
  benchmark::RegisterBenchmark(mf::bench::benchmark_name(workload, "glibc").c_str(),
                               [run](benchmark::State& state) { run.template operator()<GlibcMem>(state); });
}

const bool registered = [] {
  for (std::uint64_t size : {16, 64, 256, 1024, 4096, 16 << 10, 256 << 10, 1 << 20}) {
    register_all("mem_pair/" + std::to_string(size),
                 [size]<class Mem>(benchmark::State& state) { pair<Mem>(state, size); });
  }
  for (std::uint64_t size : {64, 1024}) {
    register_all("mem_batch512/" + std::to_string(size),
                 [size]<class Mem>(benchmark::State& state) { batch<Mem>(state, size, 512); });
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
