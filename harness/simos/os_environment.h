// os_environment.h - what the runner needs from the OS side of a run, in
// either mode: the simulated OS (SimOs) or the real OS with the harness's
// rules on top (NativeOs, native mode).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "os_rules.h"

namespace mf::simos {

enum class OsMode : std::uint8_t { simulated, native };

class OsEnvironment {
 public:
  virtual ~OsEnvironment() = default;

  // A fresh start: no mappings of the previous run, clock 0, no failures
  // pending, nothing captured, and (simulated) the SUT's globals as loaded.
  virtual void begin_run(std::uint64_t memory_limit) = 0;
  // Leaves the process clean again (simulated: releases every mapping and
  // restores the SUT's globals), so that a later fork starts fresh.
  virtual void end_run() = 0;

  // Clock, fault injection and call accounting.
  virtual model::OsRules& rules() = 0;

  // What the SUT wrote to stderr since begin_run (simulated: everything, up to
  // a cap; native: a copy of what went to the real stderr).
  virtual std::string_view captured_stderr() const = 0;
  // Forgets what was captured so far: the runner calls it once it has
  // compared an op's output, so a long run's log never fills the capture.
  virtual void forget_stderr() = 0;
  // The pids the SUT sent a signal since the last call (simulated: kill is
  // recorded, never sent; native mode runs no cleaner op and says none).
  virtual std::vector<std::int64_t> take_signals() { return {}; }

  // The first misuse of the OS seen since begin_run (an munmap of something
  // that is not a mapping, a write to an unknown descriptor, a call with a
  // misaligned stack...), empty if none.
  virtual std::string_view anomaly() const = 0;
  // Records a misuse (the first one is kept).
  virtual void note_anomaly(std::string what) = 0;
  // The files the SUT opened and has not closed, named, or empty.  A SUT
  // function closes what it opens before it returns: a descriptor left
  // open leaks one per call of a daemon that runs for ever.  Native mode
  // does not track descriptors and says none.
  virtual std::string open_files() const { return {}; }

  // Whether [addr, addr + len) lies inside one live mapping.  Native mode
  // cannot tell and says true.
  virtual bool is_live_mapping(std::uint64_t addr, std::uint64_t len) const = 0;
};

// The System V ABI wants rsp 16-byte aligned at every call, so a shim
// function's frame address (rbp after its prologue: the entry rsp less 8)
// is 16-byte aligned exactly when its caller kept the rule.  Every shim
// function calls this first: a SUT that reaches the OS with a misaligned
// stack (and would crash a libc that uses aligned SSE moves) is reported.
inline void check_call_alignment(OsEnvironment& env, const void* frame, const char* call) {
  if (reinterpret_cast<std::uintptr_t>(frame) % 16 != 0) {
    env.note_anomaly(std::string("__mf_os_") + call + " was called with rsp not 16-byte aligned");
  }
}

}  // namespace mf::simos
