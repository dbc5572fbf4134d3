// forked_runner.h - a run in a forked child.  Native mode always runs this
// way: the trace runs against the real os.s (through the native policy of
// simos/native_os.h), the parent never calls the SUT, so every child starts
// from the SUT as loaded, and an exit of the SUT ends the child with that
// status.  The parent reads what happened from a shared progress record, the
// child's stderr, and the results the child sends over a pipe.
//
// Simulated runs take this way too when the SUT's globals cannot be restored
// in-process (no morph_state section, simos/sut_state.h).
#pragma once

#include "runner.h"

namespace mf::runner {

RunResult run_forked(const ops::Trace& trace, const RunOptions& options);
RunResult run_in_process(const ops::Trace& trace, const RunOptions& options);

}  // namespace mf::runner
