// Helpers shared by the runner tests.
#pragma once

#include <string>

#include "op.h"
#include "runner.h"

namespace mf::runner_test {

// The trace in `text` (the test fails if it does not read).
ops::Trace parse(const std::string& text);

// Runs `text` and returns the result, with the observed outcomes recorded.
runner::RunResult run_text(const std::string& text, runner::RunOptions options = {});

// "verdict ..., divergence ..." for failure messages.
std::string explain(const runner::RunResult& result);

}  // namespace mf::runner_test
