#include "runner_sut.h"

#include <rapidcheck.h>

#include "failure_report.h"
#include "generated_cases.h"
#include "property_stats.h"

namespace mf::property {

namespace {

runner::RunOptions session_options() {
  runner::RunOptions options;
  options.mode = runner::OsMode::simulated;
  options.record_observed = true;  // the failure report prints each op's result
  return options;
}

}  // namespace

RunnerSut::RunnerSut(ops::Target target) : session_(target, session_options()) { trace_.target = target; }

RunnerSut::~RunnerSut() { count_run(session_.result()); }

void RunnerSut::step(const ops::Op& op) {
  trace_.ops.push_back(op);
  const runner::StepStatus status = session_.step(op);
  skipped_.push_back(status == runner::StepStatus::skipped);
  if (status == runner::StepStatus::diverged || status == runner::StepStatus::invalid) fail();
}

void RunnerSut::finish() {
  if (finished_) return;
  finished_ = true;
  const runner::RunResult& result = session_.finish();
  if (result.verdict != runner::Verdict::agree) fail();
  keep_generated_case(trace_, skipped_);
}

void RunnerSut::fail() {
  const std::string report = failure_report(trace_, skipped_, session_.result(), runner::OsMode::simulated);
  RC_FAIL(report);
  __builtin_unreachable();  // RC_FAIL throws
}

}  // namespace mf::property
