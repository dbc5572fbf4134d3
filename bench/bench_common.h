// bench_common.h - what every Morph benchmark program shares: how a
// benchmark is named and how it reports the operations one iteration did,
// which is what bench/bench_table.py reads to print ns per operation.
#pragma once

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <string>

namespace mf::bench {

// Every benchmark is named "<workload>/<implementation>", implementation one
// of "asm", "cpp" (the reference of bench/reference) or "glibc", so that the
// table can put the implementations of one workload side by side.
inline std::string benchmark_name(const std::string& workload, const char* implementation) {
  return workload + "/" + implementation;
}

// An iteration that performs n alloc (+ free) operations says so; the table
// divides the iteration's CPU time by it.
inline void report_ops_per_iteration(benchmark::State& state, double n) {
  state.counters["ops_per_iteration"] = n;
}

// A fixed pseudo-random sequence of request sizes in [low, high], the same
// for every implementation and every run (a 64-bit LCG, Knuth's constants).
template <std::size_t N>
std::array<std::uint64_t, N> request_sizes(std::uint64_t low, std::uint64_t high) {
  std::array<std::uint64_t, N> sizes{};
  std::uint64_t state = 0x9E3779B97F4A7C15u;
  for (auto& size : sizes) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    size = low + (state >> 33) % (high - low + 1);
  }
  return sizes;
}

}  // namespace mf::bench
