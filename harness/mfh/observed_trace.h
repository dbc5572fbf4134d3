// observed_trace.h - a trace written back as text with what a run observed
// as each op's expectation, so that the text is its own regression test
// (corpus/regressions/).  Shared by `mfh minimize` and `mfh gen-test`.
#pragma once

#include <string>

#include "op.h"
#include "runner.h"

namespace mf::mfh {

// Header and one line per op.  Ops the run observed get their observed
// result (control ops excepted: "-> ok" on them is noise); the diverging op
// gets the model's result when it can be said in trace syntax, and a comment
// with both sides; ops never reached or skipped say so in a comment.
std::string observed_trace_text(const ops::Trace& trace, const runner::RunResult& result);

}  // namespace mf::mfh
