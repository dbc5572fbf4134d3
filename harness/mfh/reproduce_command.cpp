// mfh reproduce: from one saved input (a fuzzer's crash file, an AFL++
// crashes/id:* file, a text trace) to everything a person needs: the input
// as a trace with what happened, the divergence with both states, its
// signature, and the minimised regression trace.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "commands.h"
#include "finding.h"
#include "input_file.h"
#include "observed_trace.h"
#include "output_file.h"

namespace mf::mfh {

namespace {

constexpr const char* kUsage =
    "usage: mfh reproduce [--target=T] [--text|--binary] [--seconds=N] [--simulated-only] INPUT [-o OUT]\n"
    "  Runs INPUT on the SUT and the model, simulated mode first, then native mode if the simulated run\n"
    "  shows nothing; prints the input as a trace with its results, the divergence with both states, its\n"
    "  signature, and a minimised regression trace (for corpus/regressions/) with the contract's answers.\n"
    "  --target=T      target of a binary INPUT; default: a directory of its path named after a target\n"
    "  --seconds=N     time limit of each run (default 60); a run that does not finish is a hang\n"
    "  --simulated-only  do not fall back to native mode\n"
    "  -o OUT          also write the regression trace there\n"
    "exit status: 1 the divergence reproduces, 3 it does not (both sides agree), 2 bad usage or input\n";

bool parse_seconds(std::string_view value, unsigned& seconds) {
  const std::string text(value);
  char* end = nullptr;
  const unsigned long n = std::strtoul(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n == 0 || n > 86400) return false;
  seconds = static_cast<unsigned>(n);
  return true;
}

}  // namespace

bool take_seconds_option(std::string_view arg, const char* command, unsigned& seconds, bool& bad) {
  if (!arg.starts_with("--seconds=")) return false;
  if (!parse_seconds(arg.substr(10), seconds)) {
    std::fprintf(stderr, "mfh %s: bad --seconds '%s' (1 to 86400)\n", command, std::string(arg.substr(10)).c_str());
    bad = true;
  }
  return true;
}

int reproduce_command(std::span<const std::string_view> args) {
  InputSelection selection;
  ExamineOptions options;
  std::vector<std::string> files;
  std::string out_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    bool bad = false;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "-o") {
      if (i + 1 == args.size()) {
        std::fprintf(stderr, "mfh reproduce: -o needs a file\n");
        return 2;
      }
      out_path = std::string(args[++i]);
    } else if (arg == "--simulated-only") {
      options.try_native = false;
    } else if (take_seconds_option(arg, "reproduce", options.seconds, bad)) {
      if (bad) return 2;
    } else if (const InputOption taken = take_input_option(arg, "reproduce", selection);
               taken != InputOption::not_mine) {
      if (taken == InputOption::bad) return 2;
    } else if (arg.starts_with("-")) {
      std::fprintf(stderr, "mfh reproduce: unknown option '%s'\n%s", std::string(arg).c_str(), kUsage);
      return 2;
    } else {
      files.emplace_back(arg);
    }
  }
  if (files.size() != 1) {
    std::fprintf(stderr, "mfh reproduce: needs exactly one INPUT\n%s", kUsage);
    return 2;
  }
  const LoadedInput input = load_input(files[0], selection.format, selection.target);
  if (!input.trace) {
    std::fprintf(stderr, "mfh reproduce: %s: %s\n", files[0].c_str(), input.error.c_str());
    return 2;
  }
  const Examined e = examine(*input.trace, options);
  std::printf("== %s (%s, target %s, %zu ops)\n", files[0].c_str(), input.text ? "text" : "binary",
              std::string(ops::target_name(input.trace->target)).c_str(), input.trace->ops.size());
  std::printf("-- the input as a trace, with what happened (%s mode):\n%s",
              e.mode == runner::OsMode::native ? "native" : "simulated", observed_trace_text(*input.trace, e.run).c_str());
  if (e.run.verdict == runner::Verdict::invalid) {
    std::printf("verdict: cannot run: %s\n", e.run.invalid_reason.c_str());
    return 2;
  }
  if (!e.signature) {
    std::printf("verdict: does not reproduce: the SUT and the model agree (%zu ops run, %zu skipped)\n", e.run.ops_run,
                e.run.ops_skipped);
    return 3;
  }
  std::printf("verdict: DIVERGED in %s mode\n%s%s\n", e.mode == runner::OsMode::native ? "native" : "simulated",
              runner::to_text(*e.run.divergence).c_str(), runner::to_string(*e.signature).c_str());
  std::printf("-- regression trace (%zu ops, from %zu%s): fails until the bug is fixed, passes after\n%s",
              e.regression_ops, e.original_ops, e.minimised ? ", minimised" : "", e.regression_trace.c_str());
  if (!e.regression_problem.empty()) std::printf("note: %s\n", e.regression_problem.c_str());
  if (!out_path.empty()) {
    std::string error;
    if (!write_output(out_path, e.regression_trace, error)) {
      std::fprintf(stderr, "mfh reproduce: %s\n", error.c_str());
      return 2;
    }
    std::printf("regression trace written to %s\n", out_path.c_str());
  }
  return 1;
}

}  // namespace mf::mfh
