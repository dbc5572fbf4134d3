// pool_bench.cpp - asm pool_alloc + pool_free against the same algorithm in
// C++ (bench/reference/pool.cpp).  Target: asm/C++ <= 1.2 (ci/bench.sh).
// One op is one pool_alloc and one pool_free.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench_common.h"
#include "morph_abi.h"
#include "reference_allocators.h"

namespace {

struct AsmPool {
  static MfPoolHeader* create(std::uint64_t obj_size, std::uint64_t capacity) {
    return ::pool_create(obj_size, capacity);
  }
  static void* alloc(MfPoolHeader* pool) { return ::pool_alloc(pool); }
  static void free(MfPoolHeader* pool, void* obj) { ::pool_free(pool, obj); }
  static void destroy(MfPoolHeader* pool) { ::pool_destroy(pool); }
};

struct CppPool {
  static MfPoolHeader* create(std::uint64_t obj_size, std::uint64_t capacity) {
    return mf::bench_ref::pool_create(obj_size, capacity);
  }
  static void* alloc(MfPoolHeader* pool) { return mf::bench_ref::pool_alloc(pool); }
  static void free(MfPoolHeader* pool, void* obj) { mf::bench_ref::pool_free(pool, obj); }
  static void destroy(MfPoolHeader* pool) { mf::bench_ref::pool_destroy(pool); }
};

// alloc then free the same object: after the first iteration every alloc
// pops the free list (bit clear + zero fill) and every free pushes it back
// (full validation + bit set).
template <class Pool>
void lifo_pair(benchmark::State& state, std::uint64_t obj_size) {
  MfPoolHeader* pool = Pool::create(obj_size, 1024);
  if (pool == nullptr) {
    state.SkipWithError("pool_create failed");
    return;
  }
  for (auto _ : state) {
    void* obj = Pool::alloc(pool);
    benchmark::DoNotOptimize(obj);
    Pool::free(pool, obj);
  }
  benchmark::ClobberMemory();
  mf::bench::report_ops_per_iteration(state, 1);
  Pool::destroy(pool);
}

// n allocs, then n frees in allocation order: the free list is rebuilt in
// reverse each time, and the bitmap words of n slots are all touched.
template <class Pool>
void batch(benchmark::State& state, std::uint64_t obj_size, std::uint64_t n) {
  MfPoolHeader* pool = Pool::create(obj_size, n);
  if (pool == nullptr) {
    state.SkipWithError("pool_create failed");
    return;
  }
  std::vector<void*> objs(n);
  for (auto _ : state) {
    for (auto& obj : objs) obj = Pool::alloc(pool);
    benchmark::ClobberMemory();
    for (void* obj : objs) Pool::free(pool, obj);
  }
  mf::bench::report_ops_per_iteration(state, static_cast<double>(n));
  Pool::destroy(pool);
}

// Each workload registers asm then C++ next to each other, so that both run
// under the same machine conditions (the box is shared).
template <class Workload>
void register_both(const std::string& workload, Workload run) {
  benchmark::RegisterBenchmark(mf::bench::benchmark_name(workload, "asm").c_str(),
                               [run](benchmark::State& state) { run.template operator()<AsmPool>(state); });
  benchmark::RegisterBenchmark(mf::bench::benchmark_name(workload, "cpp").c_str(),
                               [run](benchmark::State& state) { run.template operator()<CppPool>(state); });
}

const bool registered = [] {
  for (std::uint64_t obj_size : {16, 64, 256}) {
    register_both("pool_lifo/obj" + std::to_string(obj_size),
                  [obj_size]<class Pool>(benchmark::State& state) { lifo_pair<Pool>(state, obj_size); });
  }
  for (std::uint64_t n : {64, 1024}) {
    register_both("pool_batch" + std::to_string(n) + "/obj32",
                  [n]<class Pool>(benchmark::State& state) { batch<Pool>(state, 32, n); });
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
