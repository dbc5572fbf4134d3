// minimizer.h - shrinks a diverging trace to a small one that diverges the
// same way (same runner::DivergenceSignature): delta debugging over the ops
// (ddmin: chunks, then single ops), then smaller operand values (numbers
// toward 0 and small boundary values, pointer offsets toward 0), then the
// ops again.  Runs in simulated mode, in process.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "divergence_signature.h"
#include "op.h"
#include "runner.h"

namespace mf::mfh {

struct MinimizeLimits {
  std::size_t max_runs = 200000;  // stop shrinking (keeping the best so far) after this many runs
};

struct Minimized {
  ops::Trace trace;                      // the smallest trace found
  runner::RunResult run;                 // its run, with every op's observed result
  runner::DivergenceSignature signature;
  std::size_t original_ops = 0;
  std::size_t runs = 0;                  // runs spent
};

// nullopt when `trace` does not diverge (error says how it ended instead).
std::optional<Minimized> minimize_trace(const ops::Trace& trace, const MinimizeLimits& limits, std::string& error);

}  // namespace mf::mfh
