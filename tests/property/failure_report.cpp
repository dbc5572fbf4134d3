#include "failure_report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "text_format.h"

namespace mf::property {

namespace {

const char* mode_name(runner::OsMode mode) { return mode == runner::OsMode::native ? "native" : "simulated"; }

// Ops [0, end) were reached: up to the divergence or the exit that ended the run.
std::size_t reached_end(const ops::Trace& trace, const runner::RunResult& result) {
  std::size_t end = trace.ops.size();
  if (result.divergence) end = std::min(end, result.divergence->op_index + 1);
  if (result.exit_op) end = std::min(end, *result.exit_op + 1);
  return end;
}

// Native runs report skips only through the observed results, and may lose
// the last few of those when the SUT ends the child: an op with no observed
// result counts as skipped only when a later op's result arrived.
std::vector<bool> skips_of(const ops::Trace& trace, const std::vector<bool>& skipped, const runner::RunResult& result) {
  if (!skipped.empty() || result.observed.empty()) return skipped;
  std::vector<bool> derived(trace.ops.size(), false);
  std::size_t last_seen = 0;
  bool any_seen = false;
  for (std::size_t i = 0; i < result.observed.size(); ++i) {
    if (result.observed[i].kind != ops::Expectation::Kind::none) {
      last_seen = i;
      any_seen = true;
    }
  }
  for (std::size_t i = 0; any_seen && i < last_seen && i < derived.size(); ++i) {
    derived[i] = result.observed[i].kind == ops::Expectation::Kind::none;
  }
  return derived;
}

std::string as_comment(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out += "# " + line + "\n";
  return out;
}

void write_finding(const std::string& trace_text) {
  const char* dir = std::getenv("MF_PROPERTY_FINDINGS_DIR");
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  if (dir == nullptr || *dir == '\0' || test == nullptr) return;
  const std::string path = std::string(dir) + "/" + test->test_suite_name() + "." + test->name() + ".trace";
  std::ofstream out(path, std::ios::trunc);
  out << trace_text;
  if (!out) std::fprintf(stderr, "property: cannot write the finding to %s\n", path.c_str());
}

}  // namespace

std::string regression_trace(const ops::Trace& trace, const std::vector<bool>& skipped,
                             const runner::RunResult& result, runner::OsMode mode) {
  const std::vector<bool> skips = skips_of(trace, skipped, result);
  const std::size_t end = reached_end(trace, result);
  constexpr std::size_t kNowhere = ~std::size_t{0};
  const std::size_t diverged_at = result.divergence ? result.divergence->op_index : kNowhere;

  std::string text = ops::header_line(trace.target) + "\n";
  text += "# found by the " + std::string(ops::target_name(trace.target)) + " property state machine, " +
          mode_name(mode) + " mode\n";
  for (std::size_t i = 0; i < end; ++i) {
    ops::Op op = trace.ops[i];
    op.expect = ops::Expectation::nothing();
    if (i < skips.size() && skips[i]) {
      text += "# skipped, outside the contract: " + ops::format_op(op) + "\n";
      continue;
    }
    const bool observed = i < result.observed.size() && result.observed[i].kind != ops::Expectation::Kind::none;
    if (observed && !op.info().control && diverged_at != i) op.expect = result.observed[i];
    text += ops::format_op(op);
    if (diverged_at == i) text += "  # <- diverges here";
    text += "\n";
  }
  return text;
}

std::string failure_report(const ops::Trace& trace, const std::vector<bool>& skipped,
                           const runner::RunResult& result, runner::OsMode mode) {
  const std::string trace_text = regression_trace(trace, skipped, result, mode);
  std::string verdict;
  if (result.verdict == runner::Verdict::invalid) {
    verdict = std::string("the runner cannot run the generated trace (a generator or harness bug), ") +
              mode_name(mode) + " mode: " + result.invalid_reason + "\n";
  } else if (result.divergence) {
    verdict = std::string("the SUT and the reference model disagree, ") + mode_name(mode) + " mode\n" +
              runner::to_text(*result.divergence);
  }
  write_finding(trace_text + as_comment(verdict));
  return "trace (shrunk once RapidCheck is done; ready for corpus/regressions/):\n-------- 8< --------\n" +
         trace_text + "-------- 8< --------\n" + verdict;
}

}  // namespace mf::property
