// mfh minimize: shrink a diverging trace into a regression trace.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "commands.h"
#include "input_file.h"
#include "finding.h"
#include "minimizer.h"
#include "observed_trace.h"
#include "output_file.h"
#include "text_format.h"

namespace mf::mfh {

namespace {

constexpr const char* kUsage =
    "usage: mfh minimize [--target=T] [--text|--binary] [--max-runs=N] IN [-o OUT]\n"
    "  IN must diverge (simulated mode). Removes ops (chunks, then single ops) and lowers operand\n"
    "  values while the divergence keeps its signature (target, op, what differs), then writes the\n"
    "  result as a text trace whose expectations are the observed results, with a '# signature:' line,\n"
    "  for corpus/regressions/.\n"
    "  -o OUT        write the trace there (default: standard output); the summary goes to stderr\n"
    "  --target=T    target of a binary IN; default: a directory of its path named after a target\n"
    "  --max-runs=N  stop shrinking after N runs, keeping the best so far (default 200000)\n"
    "exit status: 0 minimized, 2 bad usage, an unreadable IN, or an IN that does not diverge\n";

}  // namespace

int minimize_command(std::span<const std::string_view> args) {
  InputSelection input_selection;
  MinimizeLimits limits;
  std::vector<std::string> files;
  std::string out_path = "-";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "-o") {
      if (i + 1 == args.size()) {
        std::fprintf(stderr, "mfh minimize: -o needs a file\n");
        return 2;
      }
      out_path = std::string(args[++i]);
    } else if (const InputOption taken = take_input_option(arg, "minimize", input_selection);
               taken != InputOption::not_mine) {
      if (taken == InputOption::bad) return 2;
    } else if (arg.starts_with("--max-runs=")) {
      const std::string n(arg.substr(11));
      char* end = nullptr;
      limits.max_runs = std::strtoull(n.c_str(), &end, 10);
      if (n.empty() || *end != '\0' || limits.max_runs == 0) {
        std::fprintf(stderr, "mfh minimize: bad --max-runs '%s'\n", n.c_str());
        return 2;
      }
    } else if (arg.starts_with("-") && arg != "-") {
      std::fprintf(stderr, "mfh minimize: unknown option '%s'\n%s", std::string(arg).c_str(), kUsage);
      return 2;
    } else {
      files.emplace_back(arg);
    }
  }
  if (files.size() != 1) {
    std::fprintf(stderr, "mfh minimize: needs exactly one IN\n%s", kUsage);
    return 2;
  }
  if (!runner::mode_available(runner::OsMode::simulated)) {
    std::fprintf(stderr, "mfh minimize: this build has no simulated mode\n");
    return 2;
  }
  const LoadedInput input = load_input(files[0], input_selection.format, input_selection.target);
  if (!input.trace) {
    std::fprintf(stderr, "mfh minimize: %s: %s\n", files[0].c_str(), input.error.c_str());
    return 2;
  }
  std::string error;
  const std::optional<Minimized> result = minimize_trace(*input.trace, limits, error);
  if (!result) {
    std::fprintf(stderr, "mfh minimize: %s: %s\n", files[0].c_str(), error.c_str());
    return 2;
  }
  const std::string text = regression_text(result->trace, result->run, result->signature);
  if (!write_output(out_path, text, error)) {
    std::fprintf(stderr, "mfh minimize: %s\n", error.c_str());
    return 2;
  }
  std::fprintf(stderr, "mfh minimize: %zu ops -> %zu ops in %zu runs; signature: %s\n", result->original_ops,
               result->trace.ops.size(), result->runs, runner::to_string(result->signature).c_str());
  return 0;
}

}  // namespace mf::mfh
