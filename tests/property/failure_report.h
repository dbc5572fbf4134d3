// failure_report.h - what a failing property prints: the (shrunk) op
// sequence as a text trace, written with the harness's own trace writer, and
// the runner's divergence report.
//
// The trace holds the ops up to the one that diverged, each op that agreed
// carrying its observed result as its expectation (so the file is a
// self-checking regression test, like `mfh replay`'s output), and ops the
// runner skipped as outside the contract commented out (so that `mfh replay`
// runs it).  It can go into corpus/regressions/ as it is.
//
// When the environment variable MF_PROPERTY_FINDINGS_DIR names a directory,
// the trace is also written there as <test suite>.<test>.trace.  RapidCheck
// runs the failing case again and again while shrinking it, and the last
// failing run is the minimal one, so the file ends up holding the shrunk trace.
#pragma once

#include <string>
#include <vector>

#include "op.h"
#include "runner.h"

namespace mf::property {

// skipped[i]: op i was left out by the runner (may be shorter than the trace).
std::string regression_trace(const ops::Trace& trace, const std::vector<bool>& skipped,
                             const runner::RunResult& result, runner::OsMode mode);

// The whole report: the trace between cut marks, then the divergence (or why
// the run could not go on).  Also writes the findings file.
std::string failure_report(const ops::Trace& trace, const std::vector<bool>& skipped,
                           const runner::RunResult& result, runner::OsMode mode);

}  // namespace mf::property
