// churn_bench.cpp - the page allocator under a realistic workload: N live
// blocks in steady state, each step frees a block chosen at random and
// allocates a new one in its place.  asm mem_alloc/mem_free against glibc
// malloc/free and against mimalloc, all in one run, with the resident
// memory each one needs.
//
// The workload, the same for every implementation (fixed seeds):
//   * sizes from one fixed distribution: 90 % uniform in 8..256 bytes, 9 %
//     log-uniform in 257..8192, 1 % log-uniform in 8193..65536;
//   * N = 1k, 10k, 100k, 1M live blocks, filled before timing;
//   * one op is one free and one alloc (a pair); the new block's first 16
//     bytes (all of an 8-byte block) and last byte are written, as a program initialising a header
//     and touching its end would;
//   * counter rss_MiB: resident memory grown from before the fill to the
//     larger of after the fill and after the timed steps (/proc/self/statm).
//     Each implementation gives its memory back after its run (glibc by
//     malloc_trim, mimalloc by mi_collect) so that the next starts level.
//
// mimalloc is loaded with dlopen(RTLD_LOCAL) and called through mi_malloc /
// mi_free: Debian's libmimalloc.so also defines malloc and free, and linking
// it would make it the process's malloc, glibc's benchmark included.  When
// the library is absent its rows are skipped with a message.

#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_common.h"
#include "morph_abi.h"

namespace {

// ---- the workload ----

// A 64-bit LCG (Knuth's constants); the high bits are the random ones.
struct Lcg {
  std::uint64_t state;
  std::uint64_t next() {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return state >> 11;  // 53 bits
  }
  double unit() { return static_cast<double>(next()) / static_cast<double>(std::uint64_t{1} << 53); }
};

std::uint64_t log_uniform(Lcg& rng, double low, double high) {
  return static_cast<std::uint64_t>(low * std::pow(high / low, rng.unit()));
}

// 64 Ki sizes drawn once from the distribution above; the steps cycle
// through them.
const std::vector<std::uint64_t>& size_table() {
  static const std::vector<std::uint64_t> table = [] {
    std::vector<std::uint64_t> sizes(std::size_t{1} << 16);
    Lcg rng{0x5DEECE66Du};
    for (auto& size : sizes) {
      const std::uint64_t bucket = rng.next() % 100;
      if (bucket < 90) {
        size = 8 + rng.next() % (256 - 8 + 1);
      } else if (bucket < 99) {
        size = std::clamp<std::uint64_t>(log_uniform(rng, 257, 8192), 257, 8192);
      } else {
        size = std::clamp<std::uint64_t>(log_uniform(rng, 8193, 65536), 8193, 65536);
      }
    }
    return sizes;
  }();
  return table;
}

std::uint64_t resident_bytes() {
  long pages_total = 0, pages_resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = 0;
  std::fclose(f);
  return static_cast<std::uint64_t>(pages_resident) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

// ---- the implementations ----

struct AsmMem {
  static constexpr const char* name = "asm";
  static bool available(std::string&) { return true; }
  static void* alloc(std::uint64_t size) { return ::mem_alloc(size); }
  static void free(void* ptr, std::uint64_t size) { ::mem_free(ptr, size); }
  static void give_back() {}  // an emptied page goes back to the OS at once
};

struct GlibcMem {
  static constexpr const char* name = "glibc";
  static bool available(std::string&) { return true; }
  static void* alloc(std::uint64_t size) { return std::malloc(size); }
  static void free(void* ptr, std::uint64_t) { std::free(ptr); }
  static void give_back() { malloc_trim(0); }
};

struct Mimalloc {
  using Malloc = void* (*)(std::size_t);
  using Free = void (*)(void*);
  using Collect = void (*)(bool);
  static inline Malloc mi_malloc = nullptr;
  static inline Free mi_free = nullptr;
  static inline Collect mi_collect = nullptr;

  static constexpr const char* name = "mimalloc";
  static bool available(std::string& why) {
    if (mi_malloc != nullptr) return true;
    void* lib = dlopen("libmimalloc.so.2", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      why = "libmimalloc.so.2 not found (Debian: libmimalloc-dev; ci/setup.sh installs it)";
      return false;
    }
    mi_malloc = reinterpret_cast<Malloc>(dlsym(lib, "mi_malloc"));
    mi_free = reinterpret_cast<Free>(dlsym(lib, "mi_free"));
    mi_collect = reinterpret_cast<Collect>(dlsym(lib, "mi_collect"));
    auto process_init = reinterpret_cast<void (*)()>(dlsym(lib, "mi_process_init"));
    auto thread_init = reinterpret_cast<void (*)()>(dlsym(lib, "mi_thread_init"));
    if (mi_malloc == nullptr || mi_free == nullptr || mi_collect == nullptr || process_init == nullptr ||
        thread_init == nullptr) {
      why = "libmimalloc.so.2 lacks mi_malloc, mi_free, mi_collect or its init functions";
      mi_malloc = nullptr;
      return false;
    }
    // Loaded late: make sure mimalloc has set up the process and this thread.
    process_init();
    thread_init();
    return true;
  }
  static void* alloc(std::uint64_t size) { return mi_malloc(size); }
  static void free(void* ptr, std::uint64_t) { mi_free(ptr); }
  static void give_back() { mi_collect(true); }
};

struct Block {
  void* ptr;
  std::uint64_t size;
};

inline void touch(void* ptr, std::uint64_t size) {
  auto* bytes = static_cast<unsigned char*>(ptr);
  std::memset(bytes, 0xA5, std::min<std::uint64_t>(size, 16));
  bytes[size - 1] = 0x5A;
}

template <class Mem>
void churn(benchmark::State& state, std::size_t live) {
  std::string why;
  if (!Mem::available(why)) {
    state.SkipWithError(why.c_str());
    return;
  }
  const std::vector<std::uint64_t>& sizes = size_table();
  const std::size_t size_mask = sizes.size() - 1;
  const std::uint64_t rss_before = resident_bytes();

  std::vector<Block> blocks(live);
  std::size_t next_size = 0;
  // The next size of the table into b, allocated and touched; false when
  // the allocator returned 0.
  auto allocate = [&](Block& b) {
    b.size = sizes[next_size++ & size_mask];
    b.ptr = Mem::alloc(b.size);
    if (b.ptr == nullptr) return false;
    touch(b.ptr, b.size);
    return true;
  };
  bool failed = false;
  for (Block& b : blocks) {
    if (!allocate(b)) {
      failed = true;
      break;
    }
  }
  const std::uint64_t rss_filled = resident_bytes();

  Lcg victims{0xC0FFEEu + live};
  if (!failed) {
    for (auto _ : state) {
      Block& b = blocks[victims.next() % live];
      Mem::free(b.ptr, b.size);
      if (!allocate(b)) {
        failed = true;
        break;
      }
    }
  }
  const std::uint64_t rss_after = resident_bytes();

  for (const Block& b : blocks) {
    if (b.ptr != nullptr) Mem::free(b.ptr, b.size);
  }
  Mem::give_back();
  if (failed) {
    state.SkipWithError("alloc returned 0");
    return;
  }
  const std::uint64_t peak = std::max(rss_filled, rss_after);
  state.counters["rss_MiB"] = static_cast<double>(peak > rss_before ? peak - rss_before : 0) / (1 << 20);
  mf::bench::report_ops_per_iteration(state, 1);
}

// The implementations of one N run next to each other, under the same
// machine conditions.
template <class Mem>
void register_churn(std::size_t live) {
  benchmark::RegisterBenchmark(mf::bench::benchmark_name("churn/" + std::to_string(live), Mem::name).c_str(),
                               [live](benchmark::State& state) { churn<Mem>(state, live); });
}

const bool registered = [] {
  for (std::size_t live : {1000u, 10000u, 100000u, 1000000u}) {
    register_churn<AsmMem>(live);
    register_churn<GlibcMem>(live);
    register_churn<Mimalloc>(live);
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
