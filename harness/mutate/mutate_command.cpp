// mfh mutate FILE.s... [options]: a mutation campaign over assembly files
// (mutant_check.h says what one mutant goes through), its results appended
// to a file as they come so that a killed campaign resumes where it
// stopped; and mfh mutate --report OUT.md: docs/harness-strength.md from
// those results.
#include "mutate_command.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "asm_mutants.h"
#include "check_build.h"
#include "mutant_check.h"
#include "mutant_results.h"
#include "mutant_selection.h"
#include "mutate_config.h"
#include "strength_report.h"

namespace mf::mutate {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage =
    "usage: mfh mutate FILE.s... [--list] [--only ID]... [--functions F,...] [--operators OP,...]\n"
    "                  [--sample N] [--seed S] [--jobs N] [--results FILE] [--work DIR] [--stages LIST]\n"
    "                  [--rapidcheck-rounds N] [--fuzz-runs N] [--fuzz-seconds N] [--proof-seconds N]\n"
    "                  [--stage-seconds N] [--daemon-seconds N]\n"
    "                  [--rerun] [--no-baseline]\n"
    "       mfh mutate --report OUT.md [--results FILE] [--allow FILE] [--holes FILE] [--command TEXT] [--note TEXT]\n"
    "  Mutates each file (a file of asm/, or one that replaces it, as for mfh check): every mutant of the\n"
    "  operators negate_jcc, sign_jcc, imm, disp, add_sub, and_or, delete, swap_regs, drop_push_pop, one\n"
    "  textual change each, with the id FILE:LINE:OPERATOR:INDEX.  Each is assembled on the spot and checked,\n"
    "  cheapest first, until a stage kills it: corpora, rapidcheck, proofs, fuzz, and for daemon_cleaner.s\n"
    "  daemon (tests/daemon's suite on the real OS).  Results are appended to\n"
    "  the results file as they come; mutants already there (with the same diff) are skipped, so a killed\n"
    "  campaign resumes where it stopped.\n"
    "  --list            print the selected mutants' ids and diffs, check nothing\n"
    "  --only ID         check this mutant (repeatable); it is checked again even if it has a result\n"
    "  --functions LIST  only mutants in these functions (comma-separated)\n"
    "  --operators LIST  only these operators\n"
    "  --sample N        N of the selected mutants, chosen by --seed S (default 1): the same on every machine\n"
    "  --jobs N          mutants checked at once (default 1)\n"
    "  --results FILE    default: <build>/mutate/results.tsv\n"
    "  --work DIR        scratch folders of the jobs (default: <build>/mutate/work)\n"
    "  --stages LIST     which of corpora,rapidcheck,proofs,fuzz,daemon to run (default: all, in that order)\n"
    "  --rapidcheck-rounds N  rounds of 200 cases per target, seeds 1..N (default 5)\n"
    "  --fuzz-runs N, --fuzz-seconds N  the fuzz budget per target (default 30000 runs, 5 s)\n"
    "  --proof-seconds N the CPU time a code proof may take before it counts as no verdict (default 60)\n"
    "  --stage-seconds N the CPU time of each run of the corpora, rapidcheck and fuzz stages (default 120,\n"
    "                    plus the fuzz seconds); a run stopped there kills only when it is stopped again\n"
    "                    with the limit multiplied by 4\n"
    "  --daemon-seconds N  the daemon stage's limit (default 300); a failure or a suite still running then\n"
    "                    kills only when it repeats with the suite's waits multiplied by 4\n"
    "  --rerun           check the selected mutants again even when they have results\n"
    "  --no-baseline     do not first check that the unmutated files pass every stage\n"
    "  --report OUT.md   write the report of the results (docs/harness-strength.md), check nothing\n"
    "  --allow FILE      the survivors explained as equivalent (default: harness/mutate/equivalent.list)\n"
    "  --holes FILE      notes on survivors that are holes, shown with them (default: harness/mutate/holes.list)\n"
    "exit status: 0 no unexplained survivor among the checked mutants; 1 some; 2 bad usage, bad input or no build\n";

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

bool read_text(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  text = s.str();
  return true;
}

bool parse_count(const std::string& flag, const std::string& v, unsigned long long& out) {
  char* end = nullptr;
  out = std::strtoull(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || v[0] == '-') {
    std::fprintf(stderr, "mfh mutate: %s wants a whole number, not '%s'\n", flag.c_str(), v.c_str());
    return false;
  }
  return true;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string describe(const MutantResult& r) {
  char timing[128];
  std::snprintf(timing, sizeof timing, "%.2f s", r.seconds);
  std::string out = r.id + " " + std::string(outcome_name(r.outcome));
  if (r.outcome == Outcome::killed) {
    out += " by " + r.stage + " after " + std::to_string(r.executions) + " executions, " + timing;
  } else {
    out += std::string(" (") + timing + ")";
  }
  return out + ": " + r.detail;
}

struct Options {
  std::vector<std::string> files;
  Selection selection;
  bool list = false, rerun = false, baseline = true;
  unsigned jobs = 1;
  std::string results, work, report, allow, holes, command, note;
  StageBudget budget;
};

// The allow-list, or an empty one when the default file does not exist.
bool load_allow(const std::string& path, bool must_exist, AllowList& allow) {
  std::string text;
  if (!read_text(path, text)) {
    if (!must_exist) return true;
    std::fprintf(stderr, "mfh mutate: cannot read the allow-list %s\n", path.c_str());
    return false;
  }
  std::string error;
  if (!parse_allow_list(text, path, allow, error)) {
    std::fprintf(stderr, "mfh mutate: %s\n", error.c_str());
    return false;
  }
  return true;
}

int write_report(const Options& o) {
  LoadedResults loaded;
  std::string error;
  if (!load_results(o.results, loaded, error)) {
    std::fprintf(stderr, "mfh mutate: %s\n", error.c_str());
    return 2;
  }
  if (loaded.by_id.empty()) {
    std::fprintf(stderr, "mfh mutate: no results in %s: run a campaign first\n", o.results.c_str());
    return 2;
  }
  ReportInput in;
  if (!load_allow(o.allow, true, in.allow)) return 2;
  if (!load_allow(o.holes, false, in.hole_notes)) return 2;
  {
    const std::string path = (fs::path(MF_MUTATE_SOURCE_DIR) / "harness/mutate/out_of_reach.list").string();
    std::string text, why;
    if (read_text(path, text) && !parse_out_of_reach(text, path, in.out_of_reach, why)) {
      std::fprintf(stderr, "mfh mutate: %s\n", why.c_str());
      return 2;
    }
  }
  // Results of mutants that no longer exist in asm/ (the file changed) are
  // left out: their ids would name other lines now.
  std::map<std::string, std::map<std::string, std::string>> diffs;  // file -> id -> diff
  std::size_t stale = 0;
  for (const std::string& id : loaded.order) {
    const MutantResult& r = loaded.by_id.at(id);
    if (diffs.count(r.file) == 0) {
      std::string text;
      const std::string path = (fs::path(MF_MUTATE_SOURCE_DIR) / "asm" / r.file).string();
      if (!read_text(path, text)) {
        std::fprintf(stderr, "mfh mutate: the results name %s, which is not in asm/\n", r.file.c_str());
        return 2;
      }
      for (const Mutant& m : generate_mutants(r.file, text)) diffs[r.file][m.id()] = mutant_diff(m);
      in.generated[r.file] = diffs[r.file].size();
    }
    const auto it = diffs[r.file].find(r.id);
    if (it == diffs[r.file].end() || it->second != r.diff) {
      ++stale;
      continue;
    }
    in.results.push_back(r);
  }
  in.command = o.command.empty() ? "mfh mutate --report " + o.report : o.command;
  in.date = utc_now();
  in.coverage_note = o.note;
  if (stale != 0) {
    in.coverage_note += " " + std::to_string(stale) + " results of mutants that asm/ no longer has were left out.";
  }
  std::ofstream out(o.report, std::ios::trunc);
  out << render_report(in);
  if (!out) {
    std::fprintf(stderr, "mfh mutate: cannot write %s\n", o.report.c_str());
    return 2;
  }
  const Figures f = figures_of(in.results, in.allow, in.out_of_reach);
  std::printf("mfh mutate: wrote %s: %zu mutants, %zu killed, %zu unexplained survivors, kill rate %.1f %%\n",
              o.report.c_str(), f.checked, f.killed, f.holes, 100 * f.kill_rate());
  return 0;
}

int run_campaign(Options& o) {
  // The files and their mutants.
  std::vector<Mutant> all;
  std::map<std::string, std::pair<std::string, std::string>> originals;  // name -> path, text
  const std::vector<std::string> core = check::core_file_names();
  for (const std::string& f : o.files) {
    const std::string name = fs::path(f).filename().string();
    if (std::find(core.begin(), core.end(), name) == core.end()) {
      std::fprintf(stderr, "mfh mutate: %s replaces no file of asm/ (the files it can take: %s)\n", f.c_str(),
                   MF_MUTATE_CORE_FILES);
      return 2;
    }
    std::string text;
    if (!read_text(f, text)) {
      std::fprintf(stderr, "mfh mutate: cannot read %s\n", f.c_str());
      return 2;
    }
    if (originals.count(name) != 0) {
      std::fprintf(stderr, "mfh mutate: two files named %s\n", name.c_str());
      return 2;
    }
    originals[name] = {fs::absolute(f).string(), text};
    const std::vector<Mutant> of = generate_mutants(name, text);
    all.insert(all.end(), of.begin(), of.end());
  }
  for (const std::string& id : o.selection.ids) {
    if (!parse_mutant_id(id)) {
      std::fprintf(stderr, "mfh mutate: '%s' is not a mutant id (FILE:LINE:OPERATOR:INDEX)\n", id.c_str());
      return 2;
    }
    if (std::none_of(all.begin(), all.end(), [&](const Mutant& m) { return m.id() == id; })) {
      std::fprintf(stderr, "mfh mutate: no mutant %s in the given files (mfh mutate FILE --list lists them)\n",
                   id.c_str());
      return 2;
    }
  }
  const std::vector<Mutant> selected = select_mutants(all, o.selection);
  if (o.list) {
    for (const Mutant& m : selected) {
      std::printf("%s  [%s]\n%s", m.id().c_str(), m.function.c_str(), mutant_diff(m).c_str());
    }
    std::printf("%zu of %zu mutants\n", selected.size(), all.size());
    return 0;
  }

  // What was already checked (resume), and where new results go.
  LoadedResults done;
  std::string error;
  if (!load_results(o.results, done, error)) {
    std::fprintf(stderr, "mfh mutate: %s\n", error.c_str());
    return 2;
  }
  std::vector<Mutant> todo;
  std::vector<MutantResult> reused;
  for (const Mutant& m : selected) {
    const auto it = done.by_id.find(m.id());
    const bool fresh = o.rerun || !o.selection.ids.empty() || it == done.by_id.end() || it->second.diff != mutant_diff(m);
    if (fresh) todo.push_back(m);
    else reused.push_back(it->second);
  }
  ResultsWriter writer;
  if (!writer.open(o.results, error)) {
    std::fprintf(stderr, "mfh mutate: %s\n", error.c_str());
    return 2;
  }
  Tools tools;
  if (!find_tools(tools, error)) {
    std::fprintf(stderr, "mfh mutate: %s\n", error.c_str());
    return 2;
  }
  AllowList allow;
  if (!load_allow(o.allow, false, allow)) return 2;
  std::printf("mfh mutate: %zu mutants selected of %zu; %zu already in %s; %zu to check with %u job(s)\n",
              selected.size(), all.size(), reused.size(), o.results.c_str(), todo.size(), o.jobs);
  std::fflush(stdout);

  // One checker per job, each in its own folder.
  std::vector<std::unique_ptr<MutantChecker>> checkers;
  for (unsigned j = 0; j < o.jobs; ++j) {
    checkers.push_back(std::make_unique<MutantChecker>(tools, o.budget, (fs::path(o.work) / ("job" + std::to_string(j))).string()));
    for (const auto& [name, original] : originals) {
      if (!checkers.back()->add_original(original.first, original.second, error)) {
        std::fprintf(stderr, "mfh mutate: %s\n", error.c_str());
        return 2;
      }
    }
  }
  // A kill means something only if the original passes the same stages.
  if (o.baseline && !todo.empty()) {
    std::set<std::string> files;
    for (const Mutant& m : todo) files.insert(m.file);
    for (const std::string& name : files) {
      const MutantResult r = checkers[0]->check_original(name);
      if (r.outcome != Outcome::survived) {
        std::fprintf(stderr, "mfh mutate: the unmutated %s does not pass: %s\n", name.c_str(), describe(r).c_str());
        return 2;
      }
      std::printf("baseline: %s passes every stage (%.1f s)\n", name.c_str(), r.seconds);
      std::fflush(stdout);
    }
  }

  std::atomic<std::size_t> next{0};
  std::mutex lock;
  std::vector<MutantResult> results = reused;
  bool write_failed = false;
  auto work = [&](unsigned job) {
    for (std::size_t i; (i = next++) < todo.size();) {
      const MutantResult r = checkers[job]->check(todo[i]);
      std::lock_guard<std::mutex> guard(lock);
      std::string why;
      if (!writer.append(r, why)) {
        std::fprintf(stderr, "mfh mutate: %s\n", why.c_str());
        write_failed = true;
        next = todo.size();
      }
      results.push_back(r);
      std::printf("[%zu/%zu] %s\n", results.size() - reused.size(), todo.size(), describe(r).c_str());
      if (r.outcome == Outcome::survived) std::printf("%s", r.diff.c_str());
      std::fflush(stdout);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < o.jobs; ++j) threads.emplace_back(work, j);
  for (std::thread& t : threads) t.join();
  if (write_failed) return 2;
  if (!compact_results(o.results, error)) {
    std::fprintf(stderr, "mfh mutate: %s\n", error.c_str());
    return 2;
  }

  const Figures f = figures_of(results, allow);
  std::printf("mfh mutate: %zu mutants: %zu killed, %zu survived (%zu explained as equivalent), %zu proved, "
              "%zu same code, %zu build failed; kill rate %.1f %%\n",
              f.checked, f.killed, f.holes + f.explained, f.explained, f.proved, f.equivalent, f.build_failed,
              100 * f.kill_rate());
  return f.holes == 0 ? 0 : 1;
}

}  // namespace

int mutate_command(std::span<const std::string_view> args) {
  Options o;
  o.results = (fs::path(MF_MUTATE_BUILD_DIR) / "mutate" / "results.tsv").string();
  o.work = (fs::path(MF_MUTATE_BUILD_DIR) / "mutate" / "work").string();
  o.allow = (fs::path(MF_MUTATE_SOURCE_DIR) / "harness/mutate/equivalent.list").string();
  o.holes = (fs::path(MF_MUTATE_SOURCE_DIR) / "harness/mutate/holes.list").string();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string arg(args[i]);
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "mfh mutate: %s needs a value\n%s", arg.c_str(), kUsage);
        return std::nullopt;
      }
      return std::string(args[++i]);
    };
    unsigned long long n = 0;
    std::optional<std::string> v;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--list") {
      o.list = true;
    } else if (arg == "--rerun") {
      o.rerun = true;
    } else if (arg == "--no-baseline") {
      o.baseline = false;
    } else if (arg == "--only" || arg == "--functions" || arg == "--operators" || arg == "--stages" ||
               arg == "--results" || arg == "--work" || arg == "--report" || arg == "--allow" || arg == "--holes" ||
               arg == "--command" || arg == "--note") {
      if (!(v = value())) return 2;
      if (arg == "--only") o.selection.ids.insert(*v);
      if (arg == "--functions") for (const std::string& f : split_list(*v)) o.selection.functions.insert(f);
      if (arg == "--operators") {
        for (const std::string& op : split_list(*v)) {
          if (!operator_from_name(op)) {
            std::fprintf(stderr, "mfh mutate: unknown operator '%s'\n%s", op.c_str(), kUsage);
            return 2;
          }
          o.selection.operators.insert(op);
        }
      }
      if (arg == "--stages") {
        o.budget.stages.clear();
        for (const std::string& s : split_list(*v)) {
          if (std::find(kAllStages.begin(), kAllStages.end(), s) == kAllStages.end()) {
            std::fprintf(stderr, "mfh mutate: unknown stage '%s' (corpora, rapidcheck, proofs, fuzz, daemon)\n",
                         s.c_str());
            return 2;
          }
          o.budget.stages.insert(s);
        }
      }
      if (arg == "--results") o.results = *v;
      if (arg == "--work") o.work = *v;
      if (arg == "--report") o.report = *v;
      if (arg == "--allow") o.allow = *v;
      if (arg == "--holes") o.holes = *v;
      if (arg == "--command") o.command = *v;
      if (arg == "--note") o.note = *v;
    } else if (arg == "--sample" || arg == "--seed" || arg == "--jobs" || arg == "--rapidcheck-rounds" ||
               arg == "--fuzz-runs" || arg == "--fuzz-seconds" || arg == "--proof-seconds" || arg == "--daemon-seconds" ||
               arg == "--stage-seconds") {
      if (!(v = value()) || !parse_count(arg, *v, n)) return 2;
      if (arg == "--sample") o.selection.sample = n;
      if (arg == "--seed") o.selection.seed = n;
      if (arg == "--jobs") o.jobs = static_cast<unsigned>(std::max(1ULL, std::min(n, 64ULL)));
      if (arg == "--rapidcheck-rounds") o.budget.rapidcheck_rounds = static_cast<int>(n);
      if (arg == "--fuzz-runs") o.budget.fuzz_runs = n;
      if (arg == "--fuzz-seconds") o.budget.fuzz_seconds = static_cast<double>(std::max(1ULL, n));
      if (arg == "--proof-seconds") o.budget.proof_timeout = static_cast<double>(std::max(1ULL, n));
      if (arg == "--daemon-seconds") o.budget.daemon_timeout = static_cast<double>(std::max(1ULL, n));
      if (arg == "--stage-seconds") o.budget.stage_cpu_seconds = static_cast<double>(std::max(1ULL, n));
    } else if (arg.starts_with("-")) {
      std::fprintf(stderr, "mfh mutate: unknown option '%s'\n%s", arg.c_str(), kUsage);
      return 2;
    } else {
      o.files.push_back(arg);
    }
  }
  if (!o.report.empty()) return write_report(o);
  if (o.files.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  return run_campaign(o);
}

}  // namespace mf::mutate
