#include "minimizer.h"

#include <algorithm>
#include <vector>

#include "trace_edit.h"

namespace mf::mfh {

namespace {

constexpr std::string_view kExpectationMismatch = "the model disagrees with the trace's expectation";

class Shrinker {
 public:
  Shrinker(runner::DivergenceSignature signature, runner::RunOptions options, const MinimizeLimits& limits)
      : signature_(std::move(signature)), options_(options), limits_(limits) {}

  std::size_t runs() const { return runs_; }

  // Whether `candidate` still diverges the same way; if so it is cut after
  // the diverging op (nothing later can matter) and becomes the best.
  bool accept(ops::Trace candidate) {
    if (runs_ >= limits_.max_runs) return false;
    ++runs_;
    const runner::RunResult r = runner::run_trace(candidate, options_);
    if (r.verdict != runner::Verdict::diverged) return false;
    if (runner::divergence_signature(candidate.target, *r.divergence) != signature_) return false;
    if (r.divergence->op_index + 1 < candidate.ops.size()) candidate = prefix(candidate, r.divergence->op_index + 1);
    best_ = std::move(candidate);
    return true;
  }

  void set_best(ops::Trace trace) { best_ = std::move(trace); }
  const ops::Trace& best() const { return best_; }

  void ddmin_ops() {
    std::size_t parts = 2;
    while (best_.ops.size() >= 2 && runs_ < limits_.max_runs) {
      const std::size_t size = best_.ops.size();
      parts = std::min(parts, size);
      const std::size_t chunk = (size + parts - 1) / parts;
      bool reduced = false;
      for (std::size_t begin = 0; begin < size && !reduced; begin += chunk) {
        std::vector<bool> keep(size, true);
        std::fill(keep.begin() + static_cast<std::ptrdiff_t>(begin),
                  keep.begin() + static_cast<std::ptrdiff_t>(std::min(size, begin + chunk)), false);
        reduced = accept(remove_ops(best_, keep));
      }
      if (reduced) {
        parts = std::max<std::size_t>(parts - 1, 2);
      } else if (parts >= size) {
        break;
      } else {
        parts = std::min(parts * 2, size);
      }
    }
  }

  // Each op alone, from the last (removing a late op renumbers nothing
  // before it), until no single op can go.
  void single_ops() {
    bool changed = true;
    while (changed && runs_ < limits_.max_runs) {
      changed = false;
      for (std::size_t i = best_.ops.size(); i-- > 0;) {
        if (i >= best_.ops.size()) continue;
        std::vector<bool> keep(best_.ops.size(), true);
        keep[i] = false;
        if (accept(remove_ops(best_, keep))) changed = true;
      }
    }
  }

  void shrink_operands() {
    for (std::size_t i = 0; i < best_.ops.size(); ++i) {
      const ops::OpInfo& info = best_.ops[i].info();
      for (std::size_t a = 0; a < info.arity; ++a) {
        const ops::SyntaxClass syntax = ops::syntax_of(info.args[a]);
        if (syntax == ops::SyntaxClass::number) {
          shrink_value(i, a, info.args[a] == ops::ArgKind::count ? 1 : 0, /*offset=*/false);
        } else if (syntax != ops::SyntaxClass::os_call) {
          shrink_value(i, a, 0, /*offset=*/true);
        }
      }
    }
  }

 private:
  // Smaller values to try for a magnitude m, smallest first.
  static std::vector<std::uint64_t> smaller(std::uint64_t m, std::uint64_t floor) {
    std::vector<std::uint64_t> c = {floor, 1, 8, 16, 32, 64, 4096, m / 2, m - 1};
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    std::erase_if(c, [&](std::uint64_t v) { return v >= m || v < floor; });
    return c;
  }

  // Lowers operand `a` of op `i` (a number, or a pointer's offset, whose sign
  // is kept: "m0-16" shrinks toward "m0-8", not toward "m0+2^63").
  void shrink_value(std::size_t i, std::size_t a, std::uint64_t floor, bool offset) {
    for (int round = 0; round < 64 && runs_ < limits_.max_runs && i < best_.ops.size(); ++round) {
      const ops::Arg& arg = best_.ops[i].args[a];
      if (offset && !arg.ptr.is_handle()) return;
      const std::uint64_t raw = offset ? arg.ptr.offset : arg.number;
      const bool negative = offset && raw > (std::uint64_t{1} << 63);
      const std::uint64_t magnitude = negative ? ~raw + 1 : raw;
      bool improved = false;
      for (std::uint64_t m : smaller(magnitude, floor)) {
        ops::Trace candidate = best_;
        ops::Arg& target = candidate.ops[i].args[a];
        const std::uint64_t value = negative ? ~m + 1 : m;
        (offset ? target.ptr.offset : target.number) = value;
        if (accept(std::move(candidate))) {
          improved = true;
          break;
        }
      }
      if (!improved) return;
    }
  }

  runner::DivergenceSignature signature_;
  runner::RunOptions options_;
  MinimizeLimits limits_;
  ops::Trace best_;
  std::size_t runs_ = 0;
};

}  // namespace

std::optional<Minimized> minimize_trace(const ops::Trace& trace, const MinimizeLimits& limits, std::string& error) {
  runner::RunOptions options;
  options.mode = runner::OsMode::simulated;
  const runner::RunResult first = runner::run_trace(trace, options);
  if (first.verdict != runner::Verdict::diverged) {
    error = first.verdict == runner::Verdict::agree ? "the trace does not diverge: the SUT agrees with the model"
                                                    : "the trace cannot be run: " + first.invalid_reason;
    return std::nullopt;
  }
  const runner::DivergenceSignature signature = runner::divergence_signature(trace.target, *first.divergence);

  Shrinker shrinker(signature, options, limits);
  shrinker.set_best(trace);
  // Expectations only get in the way (an op removed earlier changes the
  // numbers later ops return), unless the divergence is about them.
  if (signature.field != kExpectationMismatch) shrinker.accept(without_expectations(trace));
  if (shrinker.best().ops.size() > first.divergence->op_index + 1) {
    shrinker.accept(prefix(shrinker.best(), first.divergence->op_index + 1));
  }
  shrinker.ddmin_ops();
  shrinker.single_ops();
  shrinker.shrink_operands();
  shrinker.single_ops();

  Minimized out;
  out.trace = shrinker.best();
  out.signature = signature;
  out.original_ops = trace.ops.size();
  options.record_observed = true;
  out.run = runner::run_trace(out.trace, options);
  out.runs = shrinker.runs() + 2;
  return out;
}

}  // namespace mf::mfh
