#include "runner_test_support.h"

#include <gtest/gtest.h>

#include "text_format.h"

namespace mf::runner_test {

ops::Trace parse(const std::string& text) {
  ops::TextReadResult r = ops::read_text_trace(text);
  EXPECT_TRUE(r.trace.has_value()) << ops::to_string(r.error);
  return r.trace.value_or(ops::Trace{});
}

runner::RunResult run_text(const std::string& text, runner::RunOptions options) {
  options.record_observed = true;
  return runner::run_trace(parse(text), options);
}

std::string explain(const runner::RunResult& result) {
  switch (result.verdict) {
    case runner::Verdict::agree:
      return "agree";
    case runner::Verdict::invalid:
      return "invalid: " + result.invalid_reason;
    case runner::Verdict::diverged:
      return runner::to_text(*result.divergence);
  }
  return "?";
}

}  // namespace mf::runner_test
