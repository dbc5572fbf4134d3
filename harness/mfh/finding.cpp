#include "finding.h"

#include "forked_runner.h"
#include "minimizer.h"
#include "observed_trace.h"
#include "text_format.h"

namespace mf::mfh {

namespace {

// The ops the contract leaves undefined are skipped by a binary replay but
// make a text trace invalid: a regression trace must not have them.
ops::Trace without_skipped_ops(const ops::Trace& trace, const runner::RunResult& run) {
  ops::Trace kept;
  kept.target = trace.target;
  const std::size_t last = run.divergence ? run.divergence->op_index : trace.ops.size();
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    const bool seen = i < run.observed.size() && run.observed[i].kind != ops::Expectation::Kind::none;
    const bool skipped = !seen && i < last && !trace.ops[i].info().control;
    if (!skipped) kept.ops.push_back(trace.ops[i]);
  }
  return kept;
}

}  // namespace

std::string regression_text(const ops::Trace& trace, const runner::RunResult& run,
                            const runner::DivergenceSignature& signature) {
  std::string text = observed_trace_text(trace, run);
  // After the header line, which must stay first.
  const std::size_t header_end = text.find('\n') + 1;
  text.insert(header_end, "# signature: " + runner::to_string(signature) + "\n");
  return text;
}

Examined examine(const ops::Trace& trace, const ExamineOptions& options) {
  Examined e;
  e.original_ops = trace.ops.size();
  // A forked child in both modes: a SUT that loops or crashes ends the child,
  // and the runner turns that into a divergence at the op it was in.
  runner::RunOptions run;
  run.record_observed = true;
  run.child_timeout_seconds = options.seconds;
  run.mode = runner::OsMode::simulated;
  e.run = runner::run_forked(trace, run);
  if (e.run.verdict != runner::Verdict::diverged && options.try_native &&
      runner::mode_available(runner::OsMode::native)) {
    run.mode = runner::OsMode::native;
    runner::RunResult native = runner::run_forked(trace, run);
    if (native.verdict == runner::Verdict::diverged || e.run.verdict == runner::Verdict::invalid) {
      e.run = std::move(native);
      e.mode = runner::OsMode::native;
    }
  }
  if (e.run.verdict != runner::Verdict::diverged) return e;
  e.signature = runner::divergence_signature(trace.target, *e.run.divergence);

  // The regression trace: minimised where the divergence shows in simulated
  // mode and the SUT returned (the minimiser runs there, in process, where a
  // SUT that never returns would hang it); otherwise the trace as run.
  ops::Trace cleaned = without_skipped_ops(trace, e.run);
  const bool hangs = e.run.divergence->what.starts_with("the SUT did not return within");
  if (e.mode == runner::OsMode::simulated && !hangs) {
    std::string error;
    MinimizeLimits limits;
    limits.max_runs = options.max_minimize_runs;
    if (std::optional<Minimized> m = minimize_trace(cleaned, limits, error); m && m->signature == *e.signature) {
      e.regression_trace = regression_text(m->trace, m->run, *e.signature);
      e.regression_ops = m->trace.ops.size();
      e.minimised = true;
    } else {
      e.regression_problem = "not minimised: " + (m ? "the minimiser ended on another signature" : error);
    }
  } else {
    e.regression_problem = hangs ? "not minimised: the SUT does not return"
                                 : "not minimised: the divergence shows only in native mode";
  }
  if (!e.minimised) {
    e.regression_trace = regression_text(cleaned, e.run, *e.signature);
    e.regression_ops = cleaned.ops.size();
  }
  // It must read back as a text trace and diverge the same way, as it will
  // in corpus/regressions/ until the bug is fixed.
  ops::TextReadResult back = ops::read_text_trace(e.regression_trace);
  if (!back.trace) {
    e.regression_problem += (e.regression_problem.empty() ? "" : "; ") +
                            std::string("the regression trace does not read back: ") + ops::to_string(back.error);
    return e;
  }
  runner::RunOptions check;
  check.mode = e.mode;
  check.unsafe_is_invalid = true;
  check.child_timeout_seconds = options.seconds;
  const runner::RunResult again = runner::run_forked(*back.trace, check);
  if (again.verdict != runner::Verdict::diverged ||
      runner::divergence_signature(trace.target, *again.divergence) != *e.signature) {
    e.regression_problem += (e.regression_problem.empty() ? "" : "; ") +
                            std::string("the regression trace does not diverge the same way when replayed");
  }
  return e;
}

}  // namespace mf::mfh
