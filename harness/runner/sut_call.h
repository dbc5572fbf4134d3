// sut_call.h - calling one function of the SUT so that an exit (simulated
// OS) or a fault (when trapped) comes back as an outcome instead of ending
// the process.
#pragma once

#include <cstdint>
#include <string>

#include "op_table.h"
#include "os_rules.h"

namespace mf::runner {

struct SutOutcome {
  enum class Kind : std::uint8_t { returned, exited, faulted, hung };
  Kind kind = Kind::returned;
  std::uint64_t value = 0;     // rax, when returned (0 for void functions)
  int exit_code = 0;           // when exited
  int signal = 0;              // when faulted
  std::uint64_t fault_address = 0;
  // When hung: the intervals of CPU time it was given (HangWatch) and the
  // bytes the SUT had mapped when it was stopped.
  std::uint64_t hang_intervals = 0;
  std::uint64_t hang_mapped_bytes = 0;
  // When returned: what the call broke of the calling convention (a
  // callee-saved register, rsp, the direction flag; call_boundary.h), or empty.
  std::string boundary_violation;
};

// Calls the SUT function of `code` (a SUT op) with up to three raw arguments.
// checked_alloc_entry picks __mf_mem_alloc / __mf_mem_free for mem_alloc /
// mem_free; zeroed_stack fills the stack below the call with zeros instead
// of the pattern (call_boundary.h), stack_address_depth (not 0) with the
// address that many bytes below the call (SutCall).
SutOutcome call_sut(ops::OpCode code, std::uint64_t a, std::uint64_t b, std::uint64_t c, bool checked_alloc_entry,
                    bool zeroed_stack = false, std::uint64_t stack_address_depth = 0);

// Simulated mode: makes the simulated OS's exit come back to call_sut.
void catch_simulated_exits(bool on);

// While one exists, a SUT call that runs longer than the per-op budget of
// CPU time ends as a `hung` outcome instead of hanging the process: a
// profiling timer ticks every `interval_seconds` of the process's CPU time,
// and a tick that finds the same call running as the tick before counts it
// against the call's allowance.  The allowance is one interval, plus one
// more per kHangBytesPerExtraInterval bytes the SUT has mapped when the tick
// comes (OsRules::mapped_bytes): an op's honest work can grow with the memory
// it owns (pool_alloc zero-fills an object that may fill the whole memory
// limit, and the first touch of each page costs a page fault), while an
// endless loop's allowance stays where it is.  So a call that keeps m bytes
// mapped is stopped after between 1 + k and 2 + k intervals of CPU time,
// k = m / kHangBytesPerExtraInterval.
// The timer is installed once per process and stays: between runs (no
// HangWatch alive) its ticks do nothing.
// 16 MiB an interval is 61 us of CPU time per page of 4 KiB.  The first
// touch of a page is what costs: in the VMs here a page fault took 1.8 us on
// a quiet machine and 13 us under a load of 8 on 2 cores (perf stat of
// corpus/regressions/pool_alloc_of_a_1_gib_object_is_not_a_hang.trace:
// 262,261 faults, 4.0 s of CPU), where 64 MiB an interval (15 us a page)
// turned that honest zero-fill into a hang.  An endless loop with 1 GiB
// mapped is still stopped within 17 s of CPU time.
inline constexpr std::uint64_t kHangBytesPerExtraInterval = std::uint64_t{16} << 20;

class HangWatch {
 public:
  // `rules` is read by the timer's signal handler (a plain load of a
  // counter) and must outlive the watch.
  HangWatch(double interval_seconds, const model::OsRules& rules);
  ~HangWatch();
  HangWatch(const HangWatch&) = delete;
  HangWatch& operator=(const HangWatch&) = delete;
};

// Turns SIGSEGV/SIGBUS/SIGFPE/SIGILL inside call_sut into a `faulted` outcome while
// installed (a fault elsewhere still kills the process).
class FaultTrap {
 public:
  FaultTrap();
  ~FaultTrap();
  FaultTrap(const FaultTrap&) = delete;
  FaultTrap& operator=(const FaultTrap&) = delete;
};

}  // namespace mf::runner
