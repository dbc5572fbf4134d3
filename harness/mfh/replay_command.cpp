#include <chrono>
#include <set>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "input_file.h"
#include "runner.h"
#include "text_format.h"

namespace mf::mfh {

namespace {

constexpr const char* kUsage =
    "usage: mfh replay [--native] [--target=T] [--text|--binary] [--quiet] FILE...\n"
    "  Runs each trace on the SUT and on the model, prints it with its results and the verdict.\n"
    "  --native      run against the real os.s, one forked process per trace (default: simulated OS)\n"
    "  --target=T    target of binary inputs (arena, pool, alloc, builtins, mixed); default: the\n"
    "                innermost directory of the path named after a target\n"
    "  --text, --binary  force the input format (default: text when it starts with '# mfh')\n"
    "  --quiet       print only the verdicts\n"
    "  --stats       also print how long each run took (ops per second)\n"
    "  A trace that uses an op the SUT does not implement (a function it lacks) is checked up to that op\n"
    "  and reported as not checked; it fails nothing.\n"
    "exit status: 0 all agree, 1 a divergence, 2 an input that cannot be read or run\n";

struct ReplayOptions {
  runner::RunOptions run;
  InputSelection input;
  bool quiet = false;
  bool stats = false;
  std::vector<std::string> files;
};

enum class Outcome { agree, diverged, not_checked, unreadable };

// The trace with what happened: each op carries its observed result as its
// expectation, so the printout is itself a self-checking trace.
void print_trace(const ops::Trace& trace, const runner::RunResult& result) {
  std::string text = ops::header_line(trace.target) + "\n";
  const std::size_t reached = result.exit_op ? *result.exit_op + 1
                              : result.divergence ? result.divergence->op_index + 1
                                                  : trace.ops.size();
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    ops::Op op = trace.ops[i];
    // Control ops always return; "-> ok" on each would only be noise.
    const bool seen = i < result.observed.size() && result.observed[i].kind != ops::Expectation::Kind::none &&
                      !op.info().control;
    if (seen) op.expect = result.observed[i];
    text += ops::format_op(op);
    if (i >= reached) {
      text += "  # not reached";
    } else if (!seen && result.divergence && result.divergence->op_index == i) {
      text += "  # <- diverges here";
    } else if (!seen && !op.info().control && result.verdict != runner::Verdict::invalid) {
      text += "  # skipped: outside the contract";
    }
    text += '\n';
  }
  std::fputs(text.c_str(), stdout);
}

void print_verdict(const runner::RunResult& result) {
  switch (result.verdict) {
    case runner::Verdict::agree: {
      std::string line = "verdict: agree (" + std::to_string(result.ops_run) + " ops run, " +
                         std::to_string(result.ops_skipped) + " skipped";
      if (result.exit_code) {
        line += ", ended by exit " + std::to_string(*result.exit_code) + " at op " + std::to_string(*result.exit_op);
      }
      std::printf("%s)\n", line.c_str());
      break;
    }
    case runner::Verdict::diverged:
      std::printf("verdict: DIVERGED\n%s", runner::to_text(*result.divergence).c_str());
      break;
    case runner::Verdict::invalid:
      // An op the SUT lacks is not the trace's fault: the rest of the trace
      // is simply not checked.
      std::printf("verdict: %s: %s\n", result.not_implemented ? "not checked" : "cannot run",
                  result.invalid_reason.c_str());
      break;
  }
}

Outcome replay_one(const std::string& path, const ReplayOptions& options, std::set<std::string>& not_implemented,
                   std::size_t& simulated_only) {
  const char* mode = options.run.mode == runner::OsMode::native ? "native" : "simulated";
  LoadedInput input = load_input(path, options.input.format, options.input.target);
  if (!input.trace) {
    std::printf("== %s\nunreadable: %s\n", path.c_str(), input.error.c_str());
    return Outcome::unreadable;
  }
  std::printf("== %s (%s, target %s, %s mode", path.c_str(), input.text ? "text" : "binary",
              std::string(ops::target_name(input.trace->target)).c_str(), mode);
  if (input.ignored_bytes != 0) std::printf(", %zu trailing bytes of an incomplete op ignored", input.ignored_bytes);
  std::printf(")\n");
  if (options.run.mode == runner::OsMode::native && ops::simulated_only(input.trace->target)) {
    std::printf("verdict: not run: target %s runs in simulated mode only (it reads files only the simulated OS "
                "serves)\n",
                std::string(ops::target_name(input.trace->target)).c_str());
    ++simulated_only;
    return Outcome::agree;
  }
  runner::RunOptions run = options.run;
  run.record_observed = !options.quiet;
  // A hand-written trace that steps outside the contract is a broken test;
  // a binary one just skips such ops, as the fuzzers do.
  run.unsafe_is_invalid = input.text;
  const auto began = std::chrono::steady_clock::now();
  const runner::RunResult result = runner::run_trace(*input.trace, run);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
  if (!options.quiet) print_trace(*input.trace, result);
  print_verdict(result);
  if (options.stats) {
    std::printf("stats: %zu ops in %.3f s: %.0f ops/s\n", result.ops_run + result.ops_skipped, took.count(),
                static_cast<double>(result.ops_run + result.ops_skipped) / took.count());
  }
  std::fflush(stdout);
  switch (result.verdict) {
    case runner::Verdict::agree:
      return Outcome::agree;
    case runner::Verdict::diverged:
      return Outcome::diverged;
    case runner::Verdict::invalid:
      if (!result.not_implemented) return Outcome::unreadable;
      not_implemented.insert(std::string(ops::info(*result.not_implemented).name));
      return Outcome::not_checked;
  }
  return Outcome::unreadable;
}

}  // namespace

int replay_command(std::span<const std::string_view> args) {
  ReplayOptions options;
  for (std::string_view arg : args) {
    if (arg == "--native") {
      options.run.mode = runner::OsMode::native;
    } else if (arg == "--simulated") {
      options.run.mode = runner::OsMode::simulated;
    } else if (const InputOption taken = take_input_option(arg, "replay", options.input);
               taken != InputOption::not_mine) {
      if (taken == InputOption::bad) return 2;
    } else if (arg == "--quiet") {
      options.quiet = true;
    } else if (arg == "--stats") {
      options.stats = true;
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg.starts_with("--")) {
      std::fprintf(stderr, "mfh replay: unknown option '%s'\n%s", std::string(arg).c_str(), kUsage);
      return 2;
    } else {
      options.files.emplace_back(arg);
    }
  }
  if (options.files.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (!runner::mode_available(options.run.mode)) {
    std::fprintf(stderr, "mfh replay: this build has no %s mode\n",
                 options.run.mode == runner::OsMode::native ? "native" : "simulated");
    return 2;
  }
  bool diverged = false;
  bool unreadable = false;
  std::size_t not_checked = 0;
  std::set<std::string> not_implemented;
  std::size_t simulated_only = 0;
  for (const std::string& file : options.files) {
    switch (replay_one(file, options, not_implemented, simulated_only)) {
      case Outcome::agree:
        break;
      case Outcome::not_checked:
        ++not_checked;
        break;
      case Outcome::diverged:
        diverged = true;
        break;
      case Outcome::unreadable:
        unreadable = true;
        break;
    }
  }
  if (not_checked != 0) {
    std::string names;
    for (const std::string& name : not_implemented) names += (names.empty() ? "" : ", ") + name;
    std::printf("%zu of %zu traces not checked to their end: they use ops %s: %s\n", not_checked,
                options.files.size(), std::string(runner::kNotImplemented).c_str(), names.c_str());
  }
  if (simulated_only != 0) {
    std::printf("%zu of %zu traces not run: their targets run in simulated mode only\n", simulated_only,
                options.files.size());
  }
  if (diverged) return 1;
  return unreadable ? 2 : 0;
}

}  // namespace mf::mfh
