// runner.h - the differential runner: executes a trace on the SUT (the
// assembly) and on the reference model side by side and reports the first
// place where they disagree.
//
// Every SUT call goes through a trampoline that checks the calling
// convention at its boundary (call_boundary.h: callee-saved registers, rsp,
// the direction flag); a violation is a divergence of its own.
//
// After every op it compares
//   * the result, as handle + offset (never absolute addresses),
//   * exits: the code, and the one stderr line of docs/spec.md,
//   * every header the op touched (arena, pool, page header and extension),
//     the page list whenever it changed, and the OS accounting (mmap/munmap
//     calls, mapped bytes, misuses the simulated OS noted, files the op
//     left open),
//   * the integrity pattern of the blocks the op touched and of their address
//     neighbours (every live block is filled with a pattern derived from the
//     op that created it);
// and at the end of the run, all of it again for every live object.
//
// Two modes: simulated (in-process, the simulated OS; exits come back by
// longjmp) and native (the real os.s, one forked child per trace, results
// over a pipe; the calling process never calls the SUT itself).
//
// Typical use:
//   mf::runner::RunResult r = mf::runner::run_trace(trace);
//   if (r.verdict == mf::runner::Verdict::diverged) puts(to_text(*r.divergence).c_str());
// or, op by op (simulated mode; RapidCheck commands):
//   mf::runner::Session s(ops::Target::arena);
//   if (s.step(op) == StepStatus::diverged) ... s.result().divergence ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "op.h"
#include "os_environment.h"
#include "os_rules.h"

namespace mf::runner {

using simos::OsMode;

struct RunOptions {
  OsMode mode = OsMode::simulated;
  std::uint64_t memory_limit = model::kDefaultMemoryLimit;
  // Compare the model (and so the SUT) with the trace's `-> ...` parts.
  bool check_expectations = true;
  // An op the contract leaves undefined (the model's Unsafe: a dead arena, a
  // load outside every live block...) is skipped and counted; with this set
  // it makes the run invalid instead (hand-written traces).
  bool unsafe_is_invalid = false;
  // Simulated mode: a fault inside the SUT ends the run as a divergence
  // instead of killing the process.  Fuzzers that want the crash turn it off.
  bool catch_faults = true;
  // Every header and every live block after every op (slow; for debugging).
  bool full_check_every_op = false;
  // Keep each op's observed outcome (RunResult::observed), e.g. to print the
  // trace with its results.
  bool record_observed = false;
  // Runs in a forked child (native mode) are killed after this many seconds,
  // and a SUT call that never returned is reported as a divergence.
  unsigned child_timeout_seconds = 120;
  // The per-op budget of CPU time (sut_call.h, HangWatch): a SUT call still
  // running after between one and two of these intervals is a hang, a
  // divergence of its own, in every mode.  Ops take microseconds; 0 turns
  // the watch off.
  double hang_interval_seconds = 0.25;
};

struct Divergence {
  std::size_t op_index = 0;  // 0-based; the op count for end-of-run checks
  std::string op_text;       // the op in trace syntax, or "(end of run)"
  std::string what;          // one line: what disagreed
  std::string expected;      // the model's side (or the trace's)
  std::string actual;        // the SUT's side (or the model's, against the trace)
  std::string sut_state;     // multi-line dumps, possibly empty
  std::string model_state;
};
std::string to_text(const Divergence& divergence);

enum class Verdict : std::uint8_t { agree, diverged, invalid };

// How a report says that the SUT lacks an op's function.
inline constexpr std::string_view kNotImplemented = "not implemented by this SUT";

struct RunResult {
  Verdict verdict = Verdict::agree;
  std::optional<Divergence> divergence;  // verdict == diverged
  std::string invalid_reason;            // verdict == invalid
  // Set when the run stopped (verdict invalid) at an op whose SUT function
  // the SUT lacks (op_calls.h, sut_implements): that op, which the reason
  // names as "not implemented by this SUT".
  std::optional<ops::OpCode> not_implemented;
  std::size_t ops_run = 0;               // ops executed (SUT called or environment changed)
  std::size_t ops_skipped = 0;           // ops left out as undefined by the contract
  std::optional<int> exit_code;          // the exit both sides agreed on, which ended the run
  std::optional<std::size_t> exit_op;
  // With record_observed: per op, what happened, in expectation form (kind
  // none = skipped or not reached).  Native mode may lose the entries of the
  // last ops before an exit it did not predict.
  std::vector<ops::Expectation> observed;
};

enum class StepStatus : std::uint8_t { ok, skipped, exited, diverged, invalid };

// One run, op by op.  Only one Session may exist at a time in a process (the
// SUT's globals are process-wide).  Simulated mode only: native runs go
// through run_trace, which forks.
class Session {
 public:
  explicit Session(ops::Target target, RunOptions options = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Executes one op.  After exited, diverged or invalid the run is over and
  // further steps return the same status without doing anything.
  StepStatus step(const ops::Op& op);
  // The end-of-run checks (every live object); returns the final result.
  RunResult finish();
  const RunResult& result() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

RunResult run_trace(const ops::Trace& trace, const RunOptions& options = {});

// Whether the linked OS binding (simos/os_binding.h) offers a mode.
bool mode_available(OsMode mode);
// Whether the SUT keeps its globals in the morph_state section, so that every
// simulated run in a process starts from a fresh SUT.  Without it only the
// first simulated run of a process is meaningful (run each in its own process).
bool sut_state_restorable();

}  // namespace mf::runner
