// run_trace in both modes, and the small free functions of runner.h.

#include "forked_runner.h"
#include "session_impl.h"
#include "sut_state.h"

namespace mf::runner {

RunResult run_in_process(const ops::Trace& trace, const RunOptions& options) {
  Session::Impl session(trace.target, options, nullptr);
  for (const ops::Op& op : trace.ops) {
    const StepStatus status = session.step(op);
    if (status != StepStatus::ok && status != StepStatus::skipped) break;
  }
  return session.finish();
}

RunResult run_trace(const ops::Trace& trace, const RunOptions& options) {
  // In-process runs need the SUT's globals put back between runs; without
  // that, every run gets a fresh process.
  if (options.mode == OsMode::native || !sut_state_restorable()) return run_forked(trace, options);
  return run_in_process(trace, options);
}

bool sut_state_restorable() { return simos::SutState::available(); }

std::string to_text(const Divergence& d) {
  std::string text = "divergence at op " + std::to_string(d.op_index) + ": " + d.op_text + "\n";
  text += "  what:     " + d.what + "\n";
  text += "  expected: " + d.expected + "\n";
  text += "  actual:   " + d.actual + "\n";
  if (!d.sut_state.empty()) text += "  SUT state:\n" + d.sut_state;
  if (!d.model_state.empty()) text += "  model state:\n" + d.model_state;
  return text;
}

}  // namespace mf::runner
