// mfh triage: any number of saved inputs, from any engine, to one finding
// per divergence signature.  Each input is examined (finding.h); the first
// input of a new signature is minimised into a regression trace and written
// with the original input and a note, later ones are only counted.
// Signatures already in corpus/regressions/ or in the known-findings list
// are reported as known.  The campaign and a person use it the same way.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "finding.h"
#include "input_file.h"
#include "known_findings.h"
#include "output_file.h"

#ifndef MF_MFH_CORPUS_DIR
#define MF_MFH_CORPUS_DIR "corpus"
#endif

namespace mf::mfh {

namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: mfh triage [--target=T] [--text|--binary] [--seconds=N] [--known=FILE] [--regressions=DIR]\n"
    "                  --out=DIR INPUT...\n"
    "  INPUT: files or directories of them: libFuzzer crash-*, timeout-*, oom-*, leak-*; AFL++ crashes/id:*\n"
    "  and hangs/id:*; binary or text traces.  Each is run in simulated mode, then native mode, under a time\n"
    "  limit; a divergence gives its signature.  Per new signature DIR/<signature>/ gets regression.trace\n"
    "  (minimised, the contract's answers as expectations), the original input and note.md; DIR/triage.tsv\n"
    "  lists every signature (new or known, how many inputs) and every input that did not reproduce.\n"
    "  --target=T        target of binary inputs; default: a directory of each path named after a target\n"
    "  --seconds=N       time limit of each run (default 60)\n"
    "  --known=FILE      known findings, 'SIGNATURE | reason' per line (default: corpus/known_findings.txt)\n"
    "  --regressions=DIR traces whose '# signature:' line marks them known (default: corpus/regressions)\n"
    "exit status: 0 no new finding, 1 new findings, 2 bad usage or an unreadable input (and nothing new),\n"
    "             3 no input reproduces\n";

struct Group {
  runner::DivergenceSignature signature;
  std::string known_reason;  // "" when new
  std::vector<std::string> inputs;
  std::string directory;     // of a new finding, relative to DIR
  std::string input_name;    // the first input's copy there
  std::optional<Examined> first;
};

// Files of a directory argument, in name order; the engines' own notes
// (AFL++'s README.txt) and hidden files left out.
std::vector<std::string> expand(const std::string& path, std::string& error) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {path};
  std::vector<std::string> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || name.starts_with(".") || name == "README.txt") continue;
    files.push_back(entry.path().string());
  }
  if (ec) error = path + ": " + ec.message();
  std::sort(files.begin(), files.end());
  return files;
}

std::string note_text(const Group& g, const Examined& first, const std::string& input_name, unsigned seconds) {
  std::ostringstream note;
  note << "# " << runner::to_string(g.signature) << "\n\n";
  note << "Found in " << g.inputs.size() << " input" << (g.inputs.size() == 1 ? "" : "s") << "; the first, `"
       << g.inputs.front() << "`, is kept here as `" << input_name << "`.\n\n";
  note << "## Reproduce\n\n```sh\nmfh reproduce --target=" << ops::target_name(g.signature.target) << " "
       << input_name << "\nmfh replay regression.trace   # fails until the bug is fixed, passes after\n```\n\n";
  note << "Seen in " << (first.mode == runner::OsMode::native ? "native" : "simulated") << " mode (each run limited to "
       << seconds << " s). The regression trace has " << first.regression_ops << " ops (the input had " << first.original_ops
       << ")" << (first.minimised ? ", minimised" : "") << ".";
  if (!first.regression_problem.empty()) note << " Note: " << first.regression_problem << ".";
  note << "\n\n## The first divergence\n\n```\n" << runner::to_text(*first.run.divergence) << "```\n";
  if (g.inputs.size() > 1) {
    note << "\n## All inputs with this signature\n\n";
    for (const std::string& input : g.inputs) note << "- `" << input << "`\n";
  }
  return note.str();
}

bool copy_file_atomically(const std::string& from, const std::string& to, std::string& error) {
  std::ifstream in(from, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) {
    error = "cannot read " + from;
    return false;
  }
  return write_output(to, bytes.str(), error);
}

}  // namespace

int triage_command(std::span<const std::string_view> args) {
  InputSelection selection;
  ExamineOptions options;
  std::string out_dir;
  std::string known_path = std::string(MF_MFH_CORPUS_DIR) + "/known_findings.txt";
  std::string regressions_dir = std::string(MF_MFH_CORPUS_DIR) + "/regressions";
  std::vector<std::string> arguments;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    bool bad = false;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg.starts_with("--out=")) {
      out_dir = std::string(arg.substr(6));
    } else if (arg == "--out" && i + 1 < args.size()) {
      out_dir = std::string(args[++i]);
    } else if (arg.starts_with("--known=")) {
      known_path = std::string(arg.substr(8));
    } else if (arg.starts_with("--regressions=")) {
      regressions_dir = std::string(arg.substr(14));
    } else if (take_seconds_option(arg, "triage", options.seconds, bad)) {
      if (bad) return 2;
    } else if (const InputOption taken = take_input_option(arg, "triage", selection);
               taken != InputOption::not_mine) {
      if (taken == InputOption::bad) return 2;
    } else if (arg.starts_with("-")) {
      std::fprintf(stderr, "mfh triage: unknown option '%s'\n%s", std::string(arg).c_str(), kUsage);
      return 2;
    } else {
      arguments.emplace_back(arg);
    }
  }
  if (out_dir.empty() || arguments.empty()) {
    std::fprintf(stderr, "mfh triage: needs --out=DIR and at least one INPUT\n%s", kUsage);
    return 2;
  }
  KnownFindings known;
  known.add_regressions(regressions_dir);
  std::string error;
  if (!known.add_list(known_path, error)) {
    std::fprintf(stderr, "mfh triage: %s\n", error.c_str());
    return 2;
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "mfh triage: cannot create %s: %s\n", out_dir.c_str(), ec.message().c_str());
    return 2;
  }

  std::vector<std::string> inputs;
  bool unreadable = false;
  for (const std::string& a : arguments) {
    std::string expand_error;
    for (std::string& f : expand(a, expand_error)) inputs.push_back(std::move(f));
    if (!expand_error.empty()) {
      std::fprintf(stderr, "mfh triage: %s\n", expand_error.c_str());
      unreadable = true;
    }
  }

  std::map<std::string, Group> groups;  // by signature line
  std::vector<std::string> not_reproduced;
  std::size_t new_findings = 0;
  for (const std::string& path : inputs) {
    const LoadedInput input = load_input(path, selection.format, selection.target);
    if (!input.trace) {
      std::fprintf(stderr, "mfh triage: %s: %s\n", path.c_str(), input.error.c_str());
      unreadable = true;
      continue;
    }
    Examined e = examine(*input.trace, options);
    if (!e.signature) {
      // Why not: the sides agree, or the input cannot run (a harness failure
      // outside the SUT is one: the runner says which).
      std::string why = e.run.verdict == runner::Verdict::invalid ? "cannot run: " + e.run.invalid_reason
                                                                  : "the SUT and the model agree";
      not_reproduced.push_back(path + "\t" + why);
      std::printf("%-9s %s  (%s)\n", "no-repro", path.c_str(), why.c_str());
      continue;
    }
    const std::string line = runner::to_string(*e.signature);
    auto [it, first] = groups.try_emplace(line, Group{*e.signature, known.reason(line), {}, "", "", std::nullopt});
    Group& g = it->second;
    g.inputs.push_back(path);
    if (!first) {
      std::printf("duplicate %s  (%s)\n", path.c_str(), line.c_str());
      continue;
    }
    if (!g.known_reason.empty()) {
      std::printf("known     %s  (%s: %s)\n", path.c_str(), line.c_str(), g.known_reason.c_str());
      continue;
    }
    ++new_findings;
    g.directory = runner::file_stem(*e.signature);
    const std::string dir = out_dir + "/" + g.directory;
    fs::create_directories(dir, ec);
    g.input_name = "input-" + fs::path(path).filename().string();
    std::string write_error;
    if (ec || !write_output(dir + "/regression.trace", e.regression_trace, write_error) ||
        !copy_file_atomically(path, dir + "/" + g.input_name, write_error) ||
        !write_output(dir + "/note.md", note_text(g, e, g.input_name, options.seconds), write_error)) {
      std::fprintf(stderr, "mfh triage: %s\n", ec ? ec.message().c_str() : write_error.c_str());
      return 2;
    }
    std::printf("NEW       %s  (%s; %zu ops -> %s/regression.trace, %zu ops)\n", path.c_str(), line.c_str(),
                e.original_ops, g.directory.c_str(), e.regression_ops);
    g.first = std::move(e);
  }

  // The summary, and the notes of findings seen more than once (their lists
  // of inputs are only complete now).
  std::string tsv = "status\tinputs\tsignature\tdirectory_or_reason\tinput_not_reproduced\n";
  for (const auto& [line, g] : groups) {
    tsv += (g.known_reason.empty() ? "new\t" : "known\t") + std::to_string(g.inputs.size()) + "\t" + line + "\t" +
           (g.known_reason.empty() ? g.directory : g.known_reason) + "\n";
  }
  // Here the fourth column is why, the fifth the input.
  for (const std::string& entry : not_reproduced) {
    const std::size_t tab = entry.find('\t');
    tsv += "does-not-reproduce\t1\t-\t" + entry.substr(tab + 1) + "\t" + entry.substr(0, tab) + "\n";
  }
  std::string write_error;
  for (const auto& [line, g] : groups) {
    if (!g.first || g.inputs.size() < 2) continue;
    if (!write_output(out_dir + "/" + g.directory + "/note.md", note_text(g, *g.first, g.input_name, options.seconds),
                      write_error)) {
      std::fprintf(stderr, "mfh triage: %s\n", write_error.c_str());
      return 2;
    }
  }
  if (!write_output(out_dir + "/triage.tsv", tsv, write_error)) {
    std::fprintf(stderr, "mfh triage: %s\n", write_error.c_str());
    return 2;
  }
  std::printf("triage: %zu inputs, %zu signatures (%zu new), %zu do not reproduce; summary in %s/triage.tsv\n",
              inputs.size(), groups.size(), new_findings, not_reproduced.size(), out_dir.c_str());
  if (new_findings > 0) return 1;
  if (unreadable) return 2;
  if (groups.empty() && !not_reproduced.empty()) return 3;
  return 0;
}

}  // namespace mf::mfh
