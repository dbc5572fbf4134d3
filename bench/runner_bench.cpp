// runner_bench.cpp - the differential runner's throughput in simulated mode,
// next to the SUT's own cost for the same trace.
//
// For each of the seven targets one fixed trace of about 64 ops (the name
// says how many), every op inside the contract (no exit, nothing skipped):
//   <trace>/runner  run_trace in simulated mode as the fuzzers run it (faults
//                   not caught): a fresh Session (fresh SUT
//                   globals and simulated address space), the model, the
//                   comparisons and integrity checks after every op, and the
//                   end-of-run checks;
//   <trace>/bare    the same calls straight into the assembly, on the same
//                   simulated OS, with nothing checked and the SUT's state
//                   carried over from one iteration to the next (not for
//                   meminfo and daemon, whose traces are mostly control ops
//                   that shape the simulated files).
// The "ops/s" counter is trace ops per second of CPU time; runner / bare is
// what the checking costs.  runner_empty_trace/runner is the fixed cost of a
// run (Session set-up and tear-down) with no op at all.
//
// The target for arena and pool traces is >= 1,000,000 ops/s on one core
// (the runner serves fuzzers, which want executions per second).  Like every
// benchmark it is reported, never asserted.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_common.h"
#include "layout.h"
#include "op.h"
#include "op_calls.h"
#include "os_binding.h"
#include "runner.h"
#include "text_format.h"

namespace {

using mf::ops::make_op;
using mf::ops::OpCode;
using mf::ops::PtrExpr;
using mf::ops::Target;
using mf::ops::Trace;
namespace ops = mf::ops;

// A pointer operand: handle i of a kind, at its data start or not, plus offset.
ops::Arg at(ops::HandleKind kind, std::uint32_t i, bool start, std::uint64_t offset) {
  return ops::ptr(PtrExpr::handle(kind, i, start, offset));
}

// arena_create, then three rounds of 18 allocations of 8..64 bytes, a usage
// query and a reset, then capacity, one more allocation and the destroy.
Trace arena_trace() {
  Trace t{Target::arena, {}};
  const auto sizes = mf::bench::request_sizes<54>(8, 64);
  t.ops.push_back(make_op(OpCode::arena_create, {ops::num(4096)}));
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 18; ++i) {
      t.ops.push_back(make_op(OpCode::arena_alloc, {ops::arena_ref(0), ops::num(sizes[round * 18 + i])}));
    }
    t.ops.push_back(make_op(OpCode::arena_usage, {ops::arena_ref(0)}));
    t.ops.push_back(make_op(OpCode::arena_reset, {ops::arena_ref(0)}));
  }
  t.ops.push_back(make_op(OpCode::arena_capacity, {ops::arena_ref(0)}));
  t.ops.push_back(make_op(OpCode::arena_alloc, {ops::arena_ref(0), ops::num(24)}));
  t.ops.push_back(make_op(OpCode::arena_destroy, {ops::arena_ref(0)}));
  return t;
}

// A pool of 16 objects of 32 bytes: fill it, free everything, fill it again
// from the free list (LIFO), free 14, destroy.
Trace pool_trace() {
  constexpr std::uint64_t kSize = 32;
  Trace t{Target::pool, {}};
  t.ops.push_back(make_op(OpCode::pool_create, {ops::num(kSize), ops::num(16)}));
  auto alloc = [&] { t.ops.push_back(make_op(OpCode::pool_alloc, {ops::pool_ref(0)})); };
  auto free_slot = [&](std::uint64_t k) {
    t.ops.push_back(make_op(OpCode::pool_free, {ops::pool_ref(0), at(ops::HandleKind::pool, 0, true, k * kSize)}));
  };
  for (int i = 0; i < 16; ++i) alloc();
  for (std::uint64_t k = 0; k < 16; ++k) free_slot(k);
  for (int i = 0; i < 16; ++i) alloc();
  for (std::uint64_t k = 0; k < 14; ++k) free_slot(k);
  t.ops.push_back(make_op(OpCode::pool_destroy, {ops::pool_ref(0)}));
  return t;
}

// 32 blocks of 1..2048 bytes (many size classes, so several slabs), freed in
// reverse order.
Trace alloc_trace() {
  Trace t{Target::alloc, {}};
  const auto sizes = mf::bench::request_sizes<32>(1, 2048);
  for (std::uint64_t size : sizes) t.ops.push_back(make_op(OpCode::mem_alloc, {ops::num(size)}));
  for (std::uint32_t i = 32; i-- > 0;) {
    t.ops.push_back(make_op(OpCode::mem_free, {ops::block_ref(i), ops::num(sizes[i])}));
  }
  return t;
}

// Four 64-byte blocks; 13 rounds of poke/load (quad and byte) and memcpy
// (between blocks, and overlapping inside one); the frees.
Trace builtins_trace() {
  Trace t{Target::builtins, {}};
  for (int i = 0; i < 4; ++i) t.ops.push_back(make_op(OpCode::mem_alloc, {ops::num(64)}));
  for (std::uint32_t round = 0; round < 13; ++round) {
    const std::uint32_t b = round % 4;
    const std::uint64_t off = 8 * (round % 7);
    t.ops.push_back(make_op(OpCode::poke_i64, {ops::block_ref(b, off), ops::num(0x0123456789ABCDEFull * (round + 1))}));
    t.ops.push_back(make_op(OpCode::load_i64, {ops::block_ref(b, off)}));
    t.ops.push_back(make_op(OpCode::poke_byte, {ops::block_ref(b, off + 3), ops::num(round)}));
    t.ops.push_back(make_op(OpCode::load_byte, {ops::block_ref(b, off + 1)}));
    if (round % 2 == 0) {
      t.ops.push_back(make_op(OpCode::memcpy, {ops::block_ref((b + 1) % 4), ops::block_ref(b), ops::num(64)}));
    } else {
      t.ops.push_back(make_op(OpCode::memcpy, {ops::block_ref(b, 8), ops::block_ref(b), ops::num(40)}));
    }
  }
  for (std::uint32_t i = 0; i < 4; ++i) t.ops.push_back(make_op(OpCode::mem_free, {ops::block_ref(i), ops::num(64)}));
  return t;
}

// Traces of the last three targets, written as text (docs/traces.md): their
// control ops set up the simulated /proc/meminfo and monitor directory.
Trace text_trace(const std::string& text) {
  mf::ops::TextReadResult r = mf::ops::read_text_trace(text);
  if (!r.trace) {
    std::fprintf(stderr, "runner_bench: a built-in trace does not read: %s\n", mf::ops::to_string(r.error).c_str());
    std::abort();
  }
  return *r.trace;
}

// Every kind of object at once: an arena, a pool and plain blocks, with
// allocations, frees, resets and destroys interleaved.
Trace mixed_trace() {
  std::string t = std::string(mf::ops::header_line(Target::mixed)) + "\n";
  t += "arena_create 4096\npool_create 32 16\n";
  for (int round = 0; round < 6; ++round) {
    const int m = 2 * round;  // the blocks m<m> and m<m+1> of this round
    t += "mem_alloc " + std::to_string(16 + 40 * round) + "\n";
    t += "arena_alloc a0 " + std::to_string(8 + 8 * round) + "\n";
    t += "pool_alloc p0\npool_alloc p0\n";
    t += "mem_alloc " + std::to_string(100 + 300 * round) + "\n";
    t += "arena_alloc a0 24\narena_usage a0\n";
    t += "pool_free p0 p0.start+" + std::to_string(32 * round) + "\n";  // a live object: slot `round`
    t += "mem_free m" + std::to_string(m) + " " + std::to_string(16 + 40 * round) + "\n";
    if (round % 2 == 1) t += "arena_reset a0\n";
  }
  t += "arena_capacity a0\narena_destroy a0\npool_destroy p0\n";
  return text_trace(t);
}

// /proc/meminfo written and read back: four keys, then twenty rounds of a
// line and one or two readings, with short reads from halfway on.
Trace meminfo_trace() {
  std::string t = std::string(mf::ops::header_line(Target::meminfo)) + "\n";
  t += "meminfo_line 0 16000000 5\nmeminfo_line 2 1000000 5\nmeminfo_line 1 4000000 5\nmeminfo_line 3 100000 5\n";
  for (int round = 0; round < 20; ++round) {
    if (round == 10) t += "read_chunk 97\n";
    t += "meminfo_line " + std::to_string(3 + round % 5) + " " + std::to_string(1000 * (round + 1)) + " " +
         std::to_string(round % 8) + "\n";
    t += "monitor_memory\n";
    if (round % 2 == 0) t += "monitor_memory\n";
  }
  t += "monitor_memory\n";
  return text_trace(t);
}

// The cleaner's passes over a monitor directory: snapshots and sandboxes,
// some expired, added between passes as the clock moves, with smaller
// getdents64 batches later on.
Trace daemon_trace() {
  std::string t = std::string(mf::ops::header_line(Target::daemon)) + "\nclock_set 1000\n";
  for (int round = 0; round < 9; ++round) {
    t += "dir_entry " + std::to_string(3 * round) + " " + std::to_string(16 * (290 + 5 * round)) + " 0\n";
    t += "dir_entry " + std::to_string(3 * round + 1) + " 976 0\n";
    t += "dir_entry " + std::to_string(3 * round + 2) + " 0 0\n";
    t += "clean_snapshots\n";
    t += "clean_sandboxes\n";
    t += "clock_advance 7\n";
    if (round % 3 == 2) t += "dir_batch " + std::to_string(round / 3) + "\n";
  }
  return text_trace(t);
}

// ---- the bare run: the trace's calls, straight into the SUT ----

class BareRun {
 public:
  // The trace's calls, looked up in the op table's adapters (op_calls.h)
  // once, here: run() then does what the runner's SUT call does, without the
  // model, the checks or the exit catching.
  explicit BareRun(const Trace& trace) : checked_(ops::uses_checked_alloc_entry(trace.target)) {
    for (const ops::Op& op : trace.ops) {
      const ops::OpInfo& info = op.info();
      if (info.control) continue;  // the bench traces hold none
      Step step{mf::runner::sut_call(op.code, checked_), {}, {}, 0, -1};
      for (std::size_t i = 0; i < info.arity; ++i) {
        if (ops::syntax_of(info.args[i]) == ops::SyntaxClass::number) {
          step.args[i] = op.args[i].number;  // fixed: set once
        } else {
          step.pointers[step.pointer_count++] = {static_cast<std::uint8_t>(i), op.args[i].ptr};
        }
      }
      if (const std::optional<ops::HandleKind> kind = ops::created_kind(op.code)) {
        step.creates = static_cast<int>(*kind);
      }
      steps_.push_back(step);
    }
  }

  void run() {
    for (auto& h : handles_) h.clear();
    for (Step& step : steps_) {
      for (std::size_t k = 0; k < step.pointer_count; ++k) {
        step.args[step.pointers[k].index] = resolve(step.pointers[k].ptr);
      }
      const std::uint64_t result = mf::runner::call_through_boundary(step.call, step.args, boundary_);
      if (step.creates >= 0) handles_[static_cast<std::size_t>(step.creates)].push_back(result);
      benchmark::DoNotOptimize(result);
    }
  }

 private:
  struct PointerArg {
    std::uint8_t index;
    PtrExpr ptr;  // resolved against the handles of the current run
  };
  struct Step {
    mf::runner::SutCall call;
    mf::runner::RawArgs args;  // the numbers, and the pointers of the last run
    std::array<PointerArg, ops::kMaxArgs> pointers;
    std::uint8_t pointer_count;
    int creates;  // the HandleKind it creates, or -1
  };

  std::uint64_t resolve(const PtrExpr& p) const {
    if (p.base == PtrExpr::Base::null) return 0;
    if (p.base == PtrExpr::Base::abs) return p.offset;
    std::uint64_t base = handles_[static_cast<std::size_t>(p.kind())][p.index];
    if (p.start) base += p.kind() == ops::HandleKind::arena ? mf::layout::ARENA_HDR_SIZE : mf::layout::POOL_HDR_SIZE;
    return base + p.offset;
  }

  bool checked_;
  mf::runner::CallBoundary boundary_;  // the runner's call-boundary check, as in every SUT call
  std::vector<Step> steps_;
  std::array<std::vector<std::uint64_t>, ops::kHandleKinds> handles_;
};

// ---- the benchmarks ----

void report_ops(benchmark::State& state, std::size_t ops_per_run) {
  const double ops = static_cast<double>(state.iterations()) * static_cast<double>(ops_per_run);
  state.counters["ops/s"] = benchmark::Counter(ops, benchmark::Counter::kIsRate);
  mf::bench::report_ops_per_iteration(state, static_cast<double>(ops_per_run));
}

// The trace must agree, run every op and end without an exit, or the numbers
// would time something else.
std::string trace_problem(const Trace& trace) {
  const mf::runner::RunResult r = mf::runner::run_trace(trace);
  if (r.verdict == mf::runner::Verdict::diverged) return "the trace diverges: " + mf::runner::to_text(*r.divergence);
  if (r.verdict == mf::runner::Verdict::invalid) return "the trace cannot run: " + r.invalid_reason;
  if (r.exit_code || r.ops_skipped != 0 || r.ops_run != trace.ops.size()) return "the trace does not run every op";
  return "";
}

// Simulated, as the fuzzers run it (harness/fuzz/fuzz_run.cpp): faults are
// not caught, which spares the ten system calls per run of FaultTrap's
// handlers and alternate stack (a third of a 64-op trace's time in a loaded
// VM), so that ci/fuzz_throughput.sh compares fuzzing with the same run.
mf::runner::RunOptions as_the_fuzzers_run() {
  mf::runner::RunOptions options;
  options.catch_faults = false;
  return options;
}

void through_runner(benchmark::State& state, const Trace& trace) {
  if (const std::string problem = trace_problem(trace); !problem.empty()) {
    state.SkipWithError(problem.c_str());
    return;
  }
  const mf::runner::RunOptions options = as_the_fuzzers_run();
  for (auto _ : state) {
    mf::runner::RunResult r = mf::runner::run_trace(trace, options);
    benchmark::DoNotOptimize(r.ops_run);
  }
  report_ops(state, trace.ops.size());
}

void bare(benchmark::State& state, const Trace& trace) {
  if (const std::string problem = trace_problem(trace); !problem.empty()) {
    state.SkipWithError(problem.c_str());
    return;
  }
  // The SUT's system calls go to the simulated OS, as in the runner's runs.
  mf::simos::OsEnvironment* os = mf::simos::os_environment(mf::simos::OsMode::simulated);
  mf::simos::select_os_mode(mf::simos::OsMode::simulated);
  os->begin_run(mf::model::kDefaultMemoryLimit);
  BareRun run(trace);
  for (auto _ : state) run.run();
  os->end_run();
  report_ops(state, trace.ops.size());
}

const bool registered = [] {
  struct Named {
    const char* name;
    Trace trace;
  };
  static const Named traces[] = {
      {"runner_arena_trace", arena_trace()},       {"runner_pool_trace", pool_trace()},
      {"runner_alloc_trace", alloc_trace()},       {"runner_builtins_trace", builtins_trace()},
      {"runner_mixed_trace", mixed_trace()},       {"runner_meminfo_trace", meminfo_trace()},
      {"runner_daemon_trace", daemon_trace()},
  };
  for (const Named& t : traces) {
    const std::string size = "_" + std::to_string(t.trace.ops.size()) + "ops";
    benchmark::RegisterBenchmark((t.name + size + "/runner").c_str(), through_runner, t.trace);
    // The bare run replays SUT calls only: meminfo and daemon traces are
    // mostly control ops that shape the simulated files, which it skips.
    if (!mf::ops::simulated_only(t.trace.target)) {
      benchmark::RegisterBenchmark((t.name + size + "/bare").c_str(), bare, t.trace);
    }
  }
  static const Trace empty{Target::arena, {}};
  benchmark::RegisterBenchmark("runner_empty_trace/runner", [](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(mf::runner::run_trace(empty, as_the_fuzzers_run()).ops_run);
  });
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
