#include "observed_trace.h"

#include <optional>

#include "text_format.h"

namespace mf::mfh {

namespace {

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

// The model's side of a divergence, as an expectation, for the few shapes of
// Divergence::expected that are already trace syntax.  The caller checks
// that the line still reads back.
std::optional<std::string> model_side(const ops::Op& op, const runner::Divergence& d) {
  const ops::ResultKind result = op.info().result;
  if (d.what == "the SUT did not exit as the contract says" && d.expected.starts_with("exit ")) {
    return d.expected.substr(0, d.expected.find(' ', 5));
  }
  if (d.what == "the result differs" && result == ops::ResultKind::number) return d.expected;
  if ((d.what == "the SUT exited where the contract says it returns" || d.what == "the SUT faulted") &&
      result == ops::ResultKind::none) {
    return "ok";
  }
  return std::nullopt;
}

}  // namespace

std::string observed_trace_text(const ops::Trace& trace, const runner::RunResult& result) {
  std::string text = ops::header_line(trace.target) + "\n";
  constexpr std::size_t kNone = ~std::size_t{0};
  const std::size_t diverged_at = result.divergence ? result.divergence->op_index : kNone;
  const std::size_t reached = result.exit_op       ? *result.exit_op + 1
                              : diverged_at != kNone ? diverged_at + 1
                                                     : trace.ops.size();
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    ops::Op op = trace.ops[i];
    op.expect = ops::Expectation::nothing();
    const bool seen = i < result.observed.size() && result.observed[i].kind != ops::Expectation::Kind::none;
    if (seen && !op.info().control) op.expect = result.observed[i];
    std::string line = ops::format_op(op);
    if (i == diverged_at && !seen) {
      const runner::Divergence& d = *result.divergence;
      if (trace.ops[i].expect.kind != ops::Expectation::Kind::none) {
        // The trace's own expectation may be what diverged: keep it.
        line = ops::format_op(trace.ops[i]);
      } else if (std::optional<std::string> model = model_side(op, d)) {
        const std::string candidate = line + " -> " + *model;
        // Only keep it if the reader takes it (it checks the syntax per op).
        if (ops::read_text_trace(ops::header_line(trace.target) + "\n" + candidate + "\n").trace) line = candidate;
      }
      line += "  # diverges here: " + one_line(d.what) + "; expected: " + one_line(d.expected) + "; actual: " +
              one_line(d.actual);
    } else if (i >= reached) {
      line += "  # not reached";
    } else if (!seen && !op.info().control && result.verdict != runner::Verdict::invalid) {
      line += "  # skipped: outside the contract";
    }
    text += line + '\n';
  }
  if (diverged_at != kNone && diverged_at >= trace.ops.size()) {
    text += "# diverges at the end of the run: " + one_line(result.divergence->what) + "\n";
  }
  return text;
}

}  // namespace mf::mfh
