// finding.h - one saved input examined the way `mfh triage` and `mfh
// reproduce` need it: run in a forked child under a time limit (the
// runner's run_forked, so a SUT that loops or crashes becomes a divergence
// at its op instead of hanging or killing the tool), first in simulated mode,
// then, if that shows nothing, in native mode (the real os.s); the first
// divergence found gives the signature.  A divergence seen in simulated mode
// is then minimised (ops, then values) into a regression trace whose
// expectations are the contract's, checked to read back and to diverge the
// same way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "divergence_signature.h"
#include "op.h"
#include "runner.h"

namespace mf::mfh {

struct ExamineOptions {
  unsigned seconds = 60;           // per run, in each mode
  bool try_native = true;          // when simulated mode shows nothing
  std::size_t max_minimize_runs = 20000;
};

struct Examined {
  runner::RunResult run;                    // the run that decided (observed outcomes recorded)
  runner::OsMode mode = runner::OsMode::simulated;
  std::optional<runner::DivergenceSignature> signature;  // set when it reproduces

  // With a signature: the regression trace (text, with a "# signature:"
  // line) and whether it was minimised and checked.
  std::string regression_trace;
  std::size_t original_ops = 0, regression_ops = 0;
  bool minimised = false;
  std::string regression_problem;  // why the regression trace is not minimised or not checked
};

Examined examine(const ops::Trace& trace, const ExamineOptions& options);

// Takes "--seconds=N" (1 to 86400) into `seconds`; false if `arg` is not
// that option.  A bad value prints "mfh <command>: ..." and sets `bad`.
bool take_seconds_option(std::string_view arg, const char* command, unsigned& seconds, bool& bad);

// The text of `trace` with its observed results, a header comment naming the
// signature, and nothing outside the contract: what goes into
// corpus/regressions/.
std::string regression_text(const ops::Trace& trace, const runner::RunResult& run,
                            const runner::DivergenceSignature& signature);

}  // namespace mf::mfh
