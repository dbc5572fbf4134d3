// mfh check FILE.s... [--seconds N] [--work DIR] [--replay TRACE]
//
// In order, within one wall-clock budget (default 10 s, the build
// included): the regression and seed corpora replayed, RapidCheck rounds of
// the state machines, then a coverage-guided fuzz of the given files for
// whatever is left; stops at the first divergence, minimises it and prints
// the trace and the command that reproduces it.  One verdict line at the
// end.  Exit 0 pass, 1 a divergence, 2 bad usage or a build that failed.
#include "check_command.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "check_build.h"
#include "check_config.h"
#include "subprocess.h"

namespace mf::check {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage =
    "usage: mfh check FILE.s... [--seconds N] [--work DIR] [--stages LIST] [--replay TRACE] [--proofs]\n"
    "  Checks the given .s files in place of asm/'s files of the same name (the MF_ASM_OVERRIDES rule),\n"
    "  without a CMake rebuild: assembles them, links small checking programs on the spot, then, within\n"
    "  N seconds in all (default 10): replays corpus/regressions and the seed traces of the targets the\n"
    "  files implement (and mixed's, for the allocators and builtins), runs RapidCheck rounds of those\n"
    "  targets, and fuzzes them (libFuzzer, with the\n"
    "  files' assembly coverage) for the rest of the time.  Mutable globals outside morph_state are moved\n"
    "  into it first, so that every run starts from the files as loaded; functions a file lacks are\n"
    "  reported as not implemented and their ops left out.\n"
    "  --work DIR     where the build and findings go (default: a folder under $TMPDIR, kept)\n"
    "  --stages LIST  which of corpora,rapidcheck,fuzz to run (default: all three, in that order)\n"
    "  --replay TRACE only build, then reproduce TRACE on the files (what a divergence's report says to run)\n"
    "  --proofs       then, outside the budget, the code proofs of the functions the files define (Z3;\n"
    "                 up to a minute), listing the functions no proof covers as not proved\n"
    "exit status: 0 no divergence, 1 a divergence, 2 bad usage or the files do not build\n";

std::string suite_of(const std::string& target) {
  std::string s = target;
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s + "Property.Simulated";
}

using Clock = std::chrono::steady_clock;

struct Budget {
  Clock::time_point deadline;
  double left() const { return std::chrono::duration<double>(deadline - Clock::now()).count(); }
};

struct Finding {
  std::string stage;  // "the corpora", "RapidCheck", "the fuzzer"
  std::string input;  // the diverging input, a file
  std::string target;
};

// The first "== FILE (...)" whose verdict is DIVERGED, in mfh replay's output.
std::string first_diverging_file(const std::string& output) {
  std::istringstream in(output);
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.rfind("== ", 0) == 0) current = line.substr(3, line.find(" (") - 3);
    if (line.rfind("verdict: DIVERGED", 0) == 0) return current;
  }
  return {};
}

std::string first_line_with(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) return line;
  }
  return {};
}

std::string default_work_dir(const std::vector<std::string>& files) {
  const char* tmp = std::getenv("TMPDIR");
  std::string key;
  for (const std::string& f : files) key += f + "\n";
  return (fs::path(tmp && *tmp ? tmp : "/tmp") / ("mfh-check-" + std::to_string(::getuid())) /
          std::to_string(std::hash<std::string>{}(key)))
      .string();
}

std::string quoted_files(const std::vector<std::string>& files) {
  std::string out;
  for (const std::string& f : files) out += " " + f;
  return out;
}

// --proofs: mf_code_proof --all over the given files' objects; "; proofs:
// ..." for the verdict line, after printing the prover's report.
struct ProofSummary {
  std::string text;  // "; proofs: ..." for the verdict line
  bool refuted = false;
};

ProofSummary run_code_proofs(const std::string& work_dir, const std::vector<std::string>& files) {
  std::ifstream in(std::string(MF_CHECK_RECIPE_DIR) + "/prover.txt");
  std::string prover, objdump;
  if (!std::getline(in, prover) || !std::getline(in, objdump) || prover.empty()) {
    std::printf("proofs: this build has no code prover (Z3)\n");
    return {"; proofs: none (no prover in this build)", false};
  }
  std::vector<std::string> argv = {prover, "--objdump", objdump, "--all"};
  for (const std::string& f : files) {
    argv.push_back((fs::path(work_dir) / "obj" / (fs::path(f).filename().string() + ".o")).string());
  }
  const ProcessResult r = run_process(argv, 900);
  std::size_t proved = 0, refuted = 0, undecided = 0, not_proved = 0;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("not proved: ", 0) == 0) {
      ++not_proved;
      std::printf("%s\n", line.c_str());
    } else if (line.ends_with(": PROVED") || line.ends_with(": REFUTED") || line.ends_with(": NO VERDICT")) {
      std::printf("proof %s\n", line.c_str());
      proved += line.ends_with(": PROVED");
      refuted += line.ends_with(": REFUTED");
      undecided += line.ends_with(": NO VERDICT");
    }
  }
  if (refuted != 0) std::fputs(r.output.c_str(), stdout);  // the counterexamples
  return {"; proofs: " + std::to_string(proved) + " proved, " + std::to_string(refuted) + " refuted, " +
              std::to_string(undecided) + " without a verdict, " + std::to_string(not_proved) + " not proved",
          refuted != 0};
}

}  // namespace

int check_command(std::span<const std::string_view> args) {
  std::vector<std::string> files;
  double seconds = 10;
  std::string work_dir, replay;
  std::set<std::string> stages = {"corpora", "rapidcheck", "fuzz"};
  bool proofs = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    auto value = [&](const char* flag) -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "mfh check: %s needs a value\n%s", flag, kUsage);
        return std::nullopt;
      }
      return std::string(args[++i]);
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--seconds") {
      const std::optional<std::string> v = value("--seconds");
      if (!v) return 2;
      char* end = nullptr;
      seconds = std::strtod(v->c_str(), &end);
      if (end == v->c_str() || *end != '\0' || !(seconds > 0)) {
        std::fprintf(stderr, "mfh check: --seconds wants a positive number, not '%s'\n", v->c_str());
        return 2;
      }
    } else if (arg == "--work") {
      const std::optional<std::string> v = value("--work");
      if (!v) return 2;
      work_dir = *v;
    } else if (arg == "--proofs") {
      proofs = true;
    } else if (arg == "--stages") {
      const std::optional<std::string> v = value("--stages");
      if (!v) return 2;
      stages.clear();
      std::istringstream list(*v);
      for (std::string stage; std::getline(list, stage, ',');) {
        if (stage != "corpora" && stage != "rapidcheck" && stage != "fuzz") {
          std::fprintf(stderr, "mfh check: unknown stage '%s' (corpora, rapidcheck, fuzz)\n", stage.c_str());
          return 2;
        }
        stages.insert(stage);
      }
    } else if (arg == "--replay") {
      const std::optional<std::string> v = value("--replay");
      if (!v) return 2;
      replay = fs::absolute(*v).string();
    } else if (arg.starts_with("-")) {
      std::fprintf(stderr, "mfh check: unknown option '%s'\n%s", std::string(arg).c_str(), kUsage);
      return 2;
    } else {
      files.push_back(fs::absolute(std::string(arg)).string());
    }
  }
  if (files.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::vector<std::string> core = core_file_names();
  std::set<std::string> targets;
  std::set<std::string> meeting_targets;  // traces only: see meeting_targets_of
  std::set<std::string> names;
  for (const std::string& f : files) {
    const std::string name = fs::path(f).filename().string();
    if (std::find(core.begin(), core.end(), name) == core.end()) {
      std::fprintf(stderr, "mfh check: %s replaces no file of asm/ (the files it can take: %s)\n", f.c_str(),
                   MF_CHECK_CORE_FILES);
      return 2;
    }
    if (!names.insert(name).second) {
      std::fprintf(stderr, "mfh check: two files named %s\n", name.c_str());
      return 2;
    }
    if (!fs::is_regular_file(f)) {
      std::fprintf(stderr, "mfh check: cannot read %s\n", f.c_str());
      return 2;
    }
    for (const std::string& t : targets_of(name)) targets.insert(t);
    for (const std::string& t : meeting_targets_of(name)) meeting_targets.insert(t);
  }
  if (work_dir.empty()) work_dir = default_work_dir(files);
  work_dir = fs::absolute(work_dir).string();
  std::error_code ec;
  fs::create_directories(work_dir, ec);
  if (ec) {
    std::fprintf(stderr, "mfh check: cannot create %s: %s\n", work_dir.c_str(), ec.message().c_str());
    return 2;
  }

  const Clock::time_point began = Clock::now();
  const Budget budget{began + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds))};
  CheckBuildRequest request{files, work_dir, replay.empty() && stages.count("rapidcheck") != 0,
                            replay.empty() && stages.count("fuzz") != 0};
  CheckPrograms programs;
  std::string error;
  if (!build_check_programs(request, programs, error)) {
    std::fprintf(stderr, "mfh check: the files do not build:\n%s\n", error.c_str());
    std::printf("mfh check: BUILD FAILED%s\n", quoted_files(files).c_str());
    return 2;
  }
  for (const std::string& note : programs.notes) std::printf("%s\n", note.c_str());
  std::printf("built in %.1f s (assembled, linked: %s)\n", programs.seconds, work_dir.c_str());

  if (!replay.empty()) {
    const ProcessResult r = run_process({programs.mfh, "reproduce", "--simulated-only", replay});
    std::fputs(r.output.c_str(), stdout);
    return r.exit_code;
  }

  std::string not_implemented;  // mfh replay's line about traces it could not check to their end
  // Which ops were checked, per target: what the files implement.
  for (const std::string& t : targets) {
    const ProcessResult r = run_process({programs.mfh, "ops", "--target=" + t});
    std::fputs(r.output.c_str(), stdout);
  }
  std::optional<Finding> finding;
  std::size_t traces_replayed = 0, property_runs = 0;
  unsigned long long fuzz_execs = 0;
  std::string stages_cut;

  // 1. The corpora.
  if (stages.count("corpora") != 0) {
    std::vector<std::string> traces = traces_in(fs::path(MF_CHECK_SOURCE_DIR) / "corpus/regressions");
    std::set<std::string> trace_targets = targets;
    trace_targets.insert(meeting_targets.begin(), meeting_targets.end());
    for (const std::string& t : trace_targets) {
      for (const std::string& f : traces_in(fs::path(MF_CHECK_SOURCE_DIR) / "corpus/traces" / t)) traces.push_back(f);
    }
    std::vector<std::string> argv = {programs.mfh, "replay", "--quiet"};
    argv.insert(argv.end(), traces.begin(), traces.end());
    const double before = budget.left();
    const ProcessResult r = run_process(argv, std::max(1.0, budget.left()));
    traces_replayed = traces.size();
    std::printf("corpora: %zu traces replayed in %.1f s\n", traces.size(), before - budget.left());
    not_implemented = first_line_with(r.output, "not checked to their end");
    if (r.exit_code == 1) finding = Finding{"the corpora", first_diverging_file(r.output), ""};
    if (r.timed_out) stages_cut += " corpora";
  }

  // 2. RapidCheck rounds of 200 cases, each with a new seed, for about a third
  //    of what is left (all of it when the fuzzer is not a stage), shared by
  //    the targets: a rare rule met in one round of fifty cases out of a few
  //    hundred is met in a budget of rounds, and the verdict of a stage run
  //    alone does not hang on one seed.
  if (!finding && !programs.property.empty() && budget.left() > 1) {
    const double part = stages.count("fuzz") != 0 ? 3 : 1;
    const double share = budget.left() / part / static_cast<double>(std::max<std::size_t>(targets.size(), 1));
    const fs::path findings = fs::path(work_dir) / "property-findings";
    fs::create_directories(findings);
    for (const std::string& t : targets) {
      const Budget target_budget{Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                    std::chrono::duration<double>(share))};
      std::size_t rounds = 0, runs = 0;
      double last_round = 0;
      while (!finding && (rounds == 0 || target_budget.left() > last_round)) {
        const double before = target_budget.left();
        // No shrinking: mfh reproduce minimises the finding afterwards, and
        // RapidCheck's shrinking of a hang (each step waits for the per-op
        // budget) would outlast the stage.
        const ProcessResult r = run_process({programs.property, "--gtest_filter=" + suite_of(t)},
                                            std::max(1.0, target_budget.left()),
                                            {"RC_PARAMS=max_success=200 max_size=60 noshrink=1",
                                             "MF_PROPERTY_FINDINGS_DIR=" + findings.string()});
        if (r.timed_out) {
          if (rounds == 0) stages_cut += " rapidcheck:" + t;
          break;
        }
        ++rounds;
        last_round = before - target_budget.left();
        const std::string counts = first_line_with(r.output, "[property] " + suite_of(t));
        const std::size_t runs_at = counts.find(": ");
        if (runs_at != std::string::npos) runs += std::strtoull(counts.c_str() + runs_at + 2, nullptr, 10);
        if (r.exit_code != 0) finding = Finding{"RapidCheck", (findings / (suite_of(t) + ".trace")).string(), t};
      }
      property_runs += runs;
      std::printf("rapidcheck: %s: %zu runs in %zu rounds (%.1f s left)\n", suite_of(t).c_str(), runs, rounds,
                  budget.left());
      if (finding) break;
    }
  }

  // 3. The fuzzer, for the rest, shared by the targets.
  if (!finding && !programs.fuzz.empty()) {
    std::size_t remaining_targets = targets.size();
    for (const std::string& t : targets) {
      // A second of the budget stays for libFuzzer's start and final report.
      const double share = (budget.left() - 1) / static_cast<double>(std::max<std::size_t>(remaining_targets--, 1));
      if (share < 1) {
        stages_cut += " fuzz:" + t;
        continue;
      }
      const fs::path dir = fs::path(work_dir) / ("fuzz-" + t);
      fs::create_directories(dir / "corpus");
      fs::remove_all(dir / "artifacts");  // an earlier check's findings are not this one's
      fs::create_directories(dir / "artifacts");
      std::vector<std::string> argv = {programs.fuzz,
                                       "-max_total_time=" + std::to_string(static_cast<int>(share)),
                                       "-print_final_stats=1",
                                       "-artifact_prefix=" + (dir / "artifacts").string() + "/",
                                       "-dict=" + (fs::path(MF_CHECK_SOURCE_DIR) / "corpus/dict" / (t + ".dict")).string(),
                                       (dir / "corpus").string()};
      const fs::path seeds = fs::path(MF_CHECK_SEED_DIR) / t;
      if (fs::is_directory(seeds)) argv.push_back(seeds.string());
      const ProcessResult r = run_process(argv, share + 10, {"MF_CHECK_TARGET=" + t});
      const std::string execs = first_line_with(r.output, "stat::number_of_executed_units:");
      if (!execs.empty()) fuzz_execs += std::strtoull(execs.c_str() + execs.rfind(':') + 1, nullptr, 10);
      std::printf("fuzz %s: %s executions in %d s\n", t.c_str(),
                  execs.empty() ? "?" : execs.c_str() + execs.rfind(':') + 2, static_cast<int>(share));
      // Every input libFuzzer saved is a finding: a divergence (it printed
      // MF-DIVERGENCE) or a fault of the SUT, which the fuzzer does not catch
      // and mfh reproduce below names.
      std::string crash;
      for (const auto& e : fs::directory_iterator(dir / "artifacts")) crash = e.path().string();
      if (!crash.empty()) {
        finding = Finding{"the fuzzer", crash, t};
        break;
      }
    }
  }

  const double took = std::chrono::duration<double>(Clock::now() - began).count();
  const ProofSummary proof_summary = proofs && !finding ? run_code_proofs(work_dir, files) : ProofSummary{};
  const std::string checked = std::to_string(traces_replayed) + " traces replayed, " + std::to_string(property_runs) +
                              " RapidCheck cases, " + std::to_string(fuzz_execs) + " fuzz executions";
  if (!not_implemented.empty()) std::printf("%s\n", not_implemented.c_str());
  if (!finding) {
    std::printf("mfh check: %s%s: %s in %.1f s%s%s%s\n", proof_summary.refuted ? "REFUTED BY A PROOF" : "PASS",
                quoted_files(files).c_str(), checked.c_str(), took,
                stages_cut.empty() ? "" : "; cut short by the budget:", stages_cut.c_str(), proof_summary.text.c_str());
    return proof_summary.refuted ? 1 : 0;
  }

  // A divergence: reproduce it with the checking mfh, which minimises it.
  const std::string minimized = (fs::path(work_dir) / "divergence.trace").string();
  std::vector<std::string> argv = {programs.mfh, "reproduce", "--simulated-only"};
  if (!finding->target.empty()) argv.push_back("--target=" + finding->target);
  argv.insert(argv.end(), {finding->input, "-o", minimized});
  const ProcessResult r = run_process(argv, 120);
  std::fputs(r.output.c_str(), stdout);
  std::string signature = first_line_with(r.output, "MF-DIVERGENCE ");
  std::printf("reproduce: mfh check%s --replay %s\n", quoted_files(files).c_str(), minimized.c_str());
  std::printf("mfh check: DIVERGED%s, found by %s: %s (%s in %.1f s)\n", quoted_files(files).c_str(),
              finding->stage.c_str(), signature.empty() ? "(no signature)" : signature.c_str(), checked.c_str(), took);
  return 1;
}

}  // namespace mf::check
