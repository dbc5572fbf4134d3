// mfh cov: run a corpus on the instrumented assembly (morph_core_cov) and
// report which probes it hit.  Only in the `mfh-cov` build, whose CMake
// rule passes where the coverage maps and the .s sources are.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "asm_cov_runtime.h"
#include "commands.h"
#include "coverage_report.h"
#include "input_file.h"
#include "output_file.h"
#include "runner.h"

#ifndef MF_MFH_COV_MAP_DIR
#error "cov_command.cpp is built only for mfh-cov, with MF_MFH_COV_MAP_DIR and MF_MFH_COV_SOURCES"
#endif

namespace mf::mfh {

namespace {

constexpr const char* kUsage =
    "usage: mfh cov [--html OUT.html] [--target=T] [--text|--binary] [--quiet] CORPUS_DIR_OR_FILE...\n"
    "  Runs every input (directories recursively, hidden files skipped) on the instrumented\n"
    "  assembly and the model (simulated OS), then prints each instrumented .s file with the hit\n"
    "  count of every probe (labels; T/F: taken and fallthrough side of each conditional jump)\n"
    "  and a per-file summary.\n"
    "  --html OUT.html  also write the same as a self-contained HTML page\n"
    "  --target=T       target of binary inputs; default: a directory of the path named after one\n"
    "  --text, --binary force the input format (default: text when it starts with '# mfh')\n"
    "  --quiet          print only the summary, not the listings\n"
    "  --map-dir=DIR    where <name>.covmap lives (default: this build's morph_core_cov)\n"
    "exit status: 0 all inputs agree, 1 some input diverged, 2 bad usage or an unreadable input\n";

std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    out.emplace_back(list.substr(0, comma));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

// The files named, directories expanded (sorted, so that runs are repeatable).
bool expand_inputs(const std::vector<std::string>& args, std::vector<std::string>& files) {
  for (const std::string& arg : args) {
    std::error_code ec;
    if (!std::filesystem::is_directory(arg, ec)) {
      files.push_back(arg);  // load_input reports a missing or unreadable one
      continue;
    }
    std::vector<std::string> found;
    for (auto it = std::filesystem::recursive_directory_iterator(arg, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.starts_with(".")) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    if (ec) {
      std::fprintf(stderr, "mfh cov: cannot list %s: %s\n", arg.c_str(), ec.message().c_str());
      return false;
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return true;
}

}  // namespace

int cov_command(std::span<const std::string_view> args) {
  InputSelection input_selection;
  std::string html_path;
  std::string map_dir = MF_MFH_COV_MAP_DIR;
  bool quiet = false;
  std::vector<std::string> inputs;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--html") {
      if (i + 1 == args.size()) {
        std::fprintf(stderr, "mfh cov: --html needs a file\n");
        return 2;
      }
      html_path = std::string(args[++i]);
    } else if (arg == "--quiet") {
      quiet = true;
    } else if (arg.starts_with("--map-dir=")) {
      map_dir = std::string(arg.substr(10));
    } else if (const InputOption taken = take_input_option(arg, "cov", input_selection);
               taken != InputOption::not_mine) {
      if (taken == InputOption::bad) return 2;
    } else if (arg.starts_with("-")) {
      std::fprintf(stderr, "mfh cov: unknown option '%s'\n%s", std::string(arg).c_str(), kUsage);
      return 2;
    } else {
      inputs.emplace_back(arg);
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "mfh cov: needs at least one corpus directory or file\n%s", kUsage);
    return 2;
  }
  // A forked run would bump the counters of the child only.
  if (!runner::sut_state_restorable()) {
    std::fprintf(stderr, "mfh cov: this build cannot run several traces in one process\n");
    return 2;
  }
  std::vector<std::string> files;
  if (!expand_inputs(inputs, files)) return 2;

  mf_asm_cov_reset();
  std::size_t agreed = 0, diverged = 0, unreadable = 0;
  for (const std::string& file : files) {
    const LoadedInput input = load_input(file, input_selection.format, input_selection.target);
    if (!input.trace) {
      std::fprintf(stderr, "mfh cov: %s: %s\n", file.c_str(), input.error.c_str());
      ++unreadable;
      continue;
    }
    runner::RunOptions options;  // simulated; ops outside the contract are skipped
    const runner::RunResult result = runner::run_trace(*input.trace, options);
    if (result.verdict == runner::Verdict::diverged) {
      std::fprintf(stderr, "mfh cov: %s diverges at op %zu: %s\n", file.c_str(), result.divergence->op_index,
                   result.divergence->what.c_str());
      ++diverged;
    } else if (result.verdict == runner::Verdict::invalid) {
      std::fprintf(stderr, "mfh cov: %s cannot be run: %s\n", file.c_str(), result.invalid_reason.c_str());
      ++unreadable;
    } else {
      ++agreed;
    }
  }

  std::vector<FileCoverage> coverage;
  std::string error;
  if (!collect_coverage(map_dir, split_list(MF_MFH_COV_SOURCES), coverage, error)) {
    std::fprintf(stderr, "mfh cov: %s\n", error.c_str());
    return 2;
  }
  const std::string runs = std::to_string(files.size()) + " inputs: " + std::to_string(agreed) + " agree, " +
                           std::to_string(diverged) + " diverge, " + std::to_string(unreadable) + " unreadable";
  std::string text = coverage_text(coverage, runs);
  if (quiet) text = text.substr(text.find("\n== summary\n") + 1);
  std::fputs(text.c_str(), stdout);
  if (!html_path.empty() && !write_output(html_path, coverage_html(coverage, runs), error)) {
    std::fprintf(stderr, "mfh cov: %s\n", error.c_str());
    return 2;
  }
  if (diverged != 0) return 1;
  return unreadable != 0 ? 2 : 0;
}

}  // namespace mf::mfh
