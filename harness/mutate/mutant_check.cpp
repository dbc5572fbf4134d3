#include "mutant_check.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "check_build.h"
#include "daemon_stage.h"
#include "mutate_config.h"
#include "stage_limit.h"
#include "subprocess.h"

namespace mf::mutate {

namespace fs = std::filesystem;
using check::ProcessResult;
using check::run_process;

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string first_line_with(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) return line;
  }
  return {};
}

bool write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

// What a kill says about itself: the divergence's signature when printed,
// else the first line that names a failure, else the exit status.
std::string kill_detail(const ProcessResult& r) {
  // mfh replay and the property tests: "divergence at op N: ..." and "  what: ...".
  if (const std::string at = first_line_with(r.output, "divergence at op "); !at.empty()) {
    std::string what = first_line_with(r.output, "  what:");
    what = what.empty() ? "" : "; " + what.substr(what.find("what:"));
    return (at.substr(at.find("divergence at op ")) + what).substr(0, 300);
  }
  for (const char* needle : {"MF-DIVERGENCE", "verdict: DIVERGED", "ERROR: libFuzzer", "Falsifiable", "FAILED"}) {
    const std::string line = first_line_with(r.output, needle);
    if (!line.empty()) return line.substr(0, 300);
  }
  return "exit status " + std::to_string(r.exit_code);
}

// For the record of a mutant the stage did not kill: a run stopped at its
// limit once and not again, which the machine's load explains.
std::string stopped_once(const LimitedRun& run, const std::string& stage) {
  return run.detail.empty() ? "" : stage + ": " + run.detail + "; ";
}

std::string suite_of(const std::string& target) {
  std::string s = target;
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s + "Property.Simulated";
}

// The 1-based position, among `traces`, of the first one mfh replay
// reports as DIVERGED (each trace's report starts "== FILE (...)").
unsigned long long diverging_position(const std::string& output, const std::vector<std::string>& traces) {
  std::istringstream in(output);
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.rfind("== ", 0) == 0) current = line.substr(3, line.find(" (") - 3);
    if (line.rfind("verdict: DIVERGED", 0) == 0) {
      const auto it = std::find(traces.begin(), traces.end(), current);
      return it == traces.end() ? traces.size() : static_cast<unsigned long long>(it - traces.begin()) + 1;
    }
  }
  return traces.size();
}

}  // namespace

bool find_tools(Tools& tools, std::string& error) {
  tools.source_dir = MF_MUTATE_SOURCE_DIR;
  tools.seed_dir = MF_MUTATE_SEED_DIR;
  const fs::path prover_file = fs::path(MF_MUTATE_CHECK_DIR) / "prover.txt";
  std::ifstream prover(prover_file);
  if (!prover) {
    error = "no " + prover_file.string() + ": is this build configured for mfh check (MF_BUILD_TESTS, no MF_ASM_OVERRIDES)?";
    return false;
  }
  std::getline(prover, tools.prover);
  std::getline(prover, tools.objdump);
  if (tools.objdump.empty()) tools.objdump = MF_MUTATE_OBJDUMP;
  if (tools.objdump.empty()) {
    error = "no objdump found (needed to compare a mutant's code with the original's)";
    return false;
  }
  if (!tools.prover.empty() && !fs::exists(tools.prover)) {
    error = "the code prover " + tools.prover + " is not built (ninja mf_code_proof)";
    return false;
  }
  std::ifstream list(fs::path(tools.source_dir) / "proofs/code/specs/code_proofs.list");
  for (std::string line; std::getline(list, line);) {
    if (!line.empty() && line[0] != '#') tools.proofs.insert(line);
  }
  std::ifstream reach(fs::path(tools.source_dir) / "harness/mutate/out_of_reach.list");
  for (std::string line; std::getline(reach, line);) {
    if (!line.empty() && line[0] != '#') tools.daemon_only.insert(line.substr(0, line.find(' ')));
  }
  // A PID namespace (root, or a user namespace that allows it): the suite
  // is its first process, and the kernel kills everything left in it when
  // that ends, however it ends.
  const std::vector<std::string> prefix = {"unshare", "--pid", "--fork", "--mount-proc", "--kill-child"};
  std::vector<std::string> probe = prefix;
  probe.push_back("true");
  if (run_process(probe, 30).exit_code == 0) tools.namespace_prefix = prefix;
  return true;
}

bool code_fingerprint(const Tools& tools, const std::string& object, std::string& text, std::string& error) {
  const ProcessResult r = run_process({tools.objdump, "-d", "-r", object}, 60);
  if (r.exit_code != 0) {
    error = "objdump " + object + " failed: " + r.output;
    return false;
  }
  // Everything from the first section's disassembly on: the header names the file.
  const std::size_t at = r.output.find("Disassembly of section");
  text = at == std::string::npos ? std::string() : r.output.substr(at);
  return true;
}

MutantChecker::MutantChecker(const Tools& tools, const StageBudget& budget, std::string work_dir)
    : tools_(tools), budget_(budget), work_dir_(std::move(work_dir)) {
  // asm/'s own objects, which every mutant's build uses again
  // (reuse_unchanged), are made anew once per run: asm/ may have changed
  // since the last one.
  for (const char* sub : {"asm-cov", "asm-obj", "asm-covobj"}) {
    std::error_code ignored;
    fs::remove_all(fs::path(work_dir_) / "build" / sub, ignored);
  }
}

bool MutantChecker::add_original(const std::string& path, const std::string& text, std::string& error) {
  const std::string name = fs::path(path).filename().string();
  Original o{path, text, "", fs::path(path).parent_path().string()};
  const fs::path dir = fs::path(work_dir_) / "original";
  fs::create_directories(dir);
  const std::string object = (dir / (name + ".o")).string();
  const ProcessResult r = run_process(check::assemble_command(path, o.include_dir, object), 60);
  if (r.exit_code != 0) {
    error = path + " does not assemble:\n" + r.output;
    return false;
  }
  if (!code_fingerprint(tools_, object, o.fingerprint, error)) return false;
  // The mutants are assembled from this job's src/, so the .inc files the
  // original includes go there too: copied afresh, as they may have changed
  // since an earlier campaign used this folder.
  const fs::path src = fs::path(work_dir_) / "src";
  fs::create_directories(src);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(o.include_dir)) {
    if (e.path().extension() != ".inc") continue;
    fs::copy_file(e.path(), src / e.path().filename(), fs::copy_options::overwrite_existing, ec);
    if (ec) {
      error = "cannot copy " + e.path().string() + ": " + ec.message();
      return false;
    }
  }
  originals_[name] = std::move(o);
  return true;
}

MutantResult MutantChecker::check_original(const std::string& name) {
  const Original& o = originals_.at(name);
  MutantResult r;
  r.id = name + ":original";
  r.file = name;
  return run_stages(name, o.path, "", r, Moment::now());
}

MutantChecker::Moment MutantChecker::Moment::now() { return {now_seconds(), check::cpu_seconds_of_this_thread()}; }

MutantResult MutantChecker::check(const Mutant& mutant) {
  const Moment started = Moment::now();
  MutantResult r;
  r.id = mutant.id();
  r.file = mutant.file;
  r.line = mutant.line;
  r.function = mutant.function;
  r.op = std::string(operator_name(mutant.op));
  r.diff = mutant_diff(mutant);
  const Original& o = originals_.at(mutant.file);
  auto done = [&](Outcome outcome, std::string detail) {
    r.outcome = outcome;
    r.detail = std::move(detail);
    const Moment end = Moment::now();
    r.seconds = end.wall - started.wall;
    r.cpu_seconds = end.cpu - started.cpu;
    return r;
  };

  // The mutated copy, next to the includes add_original() copied.
  const fs::path src = fs::path(work_dir_) / "src";
  const std::optional<std::string> text = apply_mutant(o.text, mutant);
  if (!text) return done(Outcome::build_failed, "the mutant does not match " + o.path + " (changed since?)");
  const fs::path source = src / mutant.file;
  if (!write_file(source, *text)) return done(Outcome::build_failed, "cannot write " + source.string());

  // 0. Its code, against the original's.
  const std::string object = (fs::path(work_dir_) / "mutant.o").string();
  const ProcessResult assembled = run_process(check::assemble_command(source.string(), src.string(), object), 60);
  if (assembled.exit_code != 0) {
    // The assembler names the copy in this job's folder: say the file's name instead.
    std::string line = first_line_with(assembled.output, "error");
    if (const std::size_t at = line.find(source.string()); at != std::string::npos) {
      line.replace(at, source.string().size(), mutant.file);
    }
    return done(Outcome::build_failed, line.substr(0, 300));
  }
  std::string fingerprint, error;
  if (!code_fingerprint(tools_, object, fingerprint, error)) return done(Outcome::build_failed, error);
  if (fingerprint == o.fingerprint) return done(Outcome::equivalent, "the same bytes and relocations");
  return run_stages(mutant.file, source.string(), mutant.function, r, started);
}

MutantResult MutantChecker::run_stages(const std::string& name, const std::string& source, const std::string& function,
                                       MutantResult r, Moment started) {
  auto done = [&](Outcome outcome, std::string stage, unsigned long long executions, Moment stage_started,
                  std::string detail) {
    r.outcome = outcome;
    r.stage = std::move(stage);
    r.executions = executions;
    const Moment end = Moment::now();
    r.stage_seconds = end.wall - stage_started.wall;
    r.seconds = end.wall - started.wall;
    r.stage_cpu_seconds = end.cpu - stage_started.cpu;
    r.cpu_seconds = end.cpu - started.cpu;
    r.detail = std::move(detail);
    return r;
  };

  const StageLimit stage_limit{budget_.stage_cpu_seconds};
  std::vector<std::string> targets = check::targets_of(name);
  const bool daemon_suite = budget_.stages.count("daemon") != 0 &&
                            std::find(targets.begin(), targets.end(), "daemon") != targets.end();
  // A function the simulated OS never calls: only the daemon stage runs it.
  const bool simulated = tools_.daemon_only.count(function) == 0;
  // The build: mfh (the corpora's) first; each later stage's program when
  // that stage is reached, since most mutants die in the corpora.  Every
  // build counts in build_seconds and build_cpu_seconds, none in a stage's
  // time.  A program whose link fails makes the mutant build_failed, as a
  // failure of the first build does.
  check::CheckPrograms programs;
  std::string error;
  r.build_seconds = 0;
  r.build_cpu_seconds = 0;
  auto build = [&](bool mfh, bool property, bool fuzz, bool daemon) {
    check::CheckBuildRequest request{{source}, (fs::path(work_dir_) / "build").string(), property, fuzz, daemon,
                                     /*reuse_unchanged=*/true, mfh};
    check::CheckPrograms built;
    const Moment build_started = Moment::now();
    const bool ok = check::build_check_programs(request, built, error);
    r.build_seconds += now_seconds() - build_started.wall;
    r.build_cpu_seconds += check::cpu_seconds_of_this_thread() - build_started.cpu;
    if (mfh) programs.mfh = built.mfh;
    if (property) programs.property = built.property;
    if (fuzz) programs.fuzz = built.fuzz;
    if (daemon) {
      programs.daemon = built.daemon;
      programs.daemon_garbage = built.daemon_garbage;
    }
    return ok;
  };
  auto build_failed = [&] {
    return done(Outcome::build_failed, "", 0, Moment::now(), first_line_with(error, "error").substr(0, 300));
  };
  if (!build(true, false, false, false)) return build_failed();
  for (const std::string& t : check::meeting_targets_of(name)) targets.push_back(t);  // last: the slowest to find
  if (!simulated) targets.clear();  // no simulated stage can reach it

  // 1. The corpora: the targets' seed traces first (milliseconds), then
  //    corpus/regressions (about a second: one holds a 1 GiB pool object),
  //    so that most kills come before the slow batch.
  if (simulated && budget_.stages.count("corpora") != 0) {
    const Moment t0 = Moment::now();
    std::vector<std::vector<std::string>> batches(2);
    for (const std::string& t : targets) {
      for (const std::string& f : check::traces_in(fs::path(tools_.source_dir) / "corpus/traces" / t)) batches[0].push_back(f);
    }
    batches[1] = check::traces_in(fs::path(tools_.source_dir) / "corpus/regressions");
    unsigned long long replayed = 0;
    for (const std::vector<std::string>& traces : batches) {
      if (traces.empty()) continue;
      std::vector<std::string> argv = {programs.mfh, "replay", "--quiet"};
      argv.insert(argv.end(), traces.begin(), traces.end());
      const LimitedRun run = run_within_limit(
          [&](double wall, double cpu) { return run_process(argv, wall, {}, cpu); }, stage_limit);
      const ProcessResult& p = run.result;
      if (run.stopped) return done(Outcome::killed, "corpora", replayed + traces.size(), t0, run.detail);
      r.detail += stopped_once(run, "corpora");
      if (p.exit_code != 0) {
        return done(Outcome::killed, "corpora", replayed + diverging_position(p.output, traces), t0, kill_detail(p));
      }
      replayed += traces.size();
    }
  }

  // 2. RapidCheck, the same seeds for every mutant.
  if (simulated && budget_.stages.count("rapidcheck") != 0 && !build(false, true, false, false)) return build_failed();
  if (budget_.stages.count("rapidcheck") != 0 && !programs.property.empty()) {
    const Moment t0 = Moment::now();
    const fs::path findings = fs::path(work_dir_) / "property-findings";
    fs::create_directories(findings);
    unsigned long long runs = 0;
    for (const std::string& t : targets) {
      for (int seed = 1; seed <= budget_.rapidcheck_rounds; ++seed) {
        // No shrinking: the kill is what counts here, not the smallest input.
        // Every simulated suite of the target (AllocProperty.Simulated and
        // AllocProperty.SimulatedOneClass, ...), each a round of 200 cases.
        const LimitedRun run = run_within_limit(
            [&](double wall, double cpu) {
              return run_process({programs.property, "--gtest_filter=" + suite_of(t) + "*"}, wall,
                                 {"RC_PARAMS=max_success=200 max_size=60 noshrink=1 seed=" + std::to_string(seed),
                                  "MF_PROPERTY_FINDINGS_DIR=" + findings.string()},
                                 cpu);
            },
            stage_limit);
        const ProcessResult& p = run.result;
        if (run.stopped) return done(Outcome::killed, "rapidcheck", runs, t0, t + ": " + run.detail);
        r.detail += stopped_once(run, "rapidcheck");
        std::istringstream lines(p.output);
        for (std::string line; std::getline(lines, line);) {
          if (line.rfind("[property] " + suite_of(t), 0) != 0) continue;
          const std::size_t at = line.find(": ");
          if (at != std::string::npos) runs += std::strtoull(line.c_str() + at + 2, nullptr, 10);
        }
        if (p.exit_code != 0) return done(Outcome::killed, "rapidcheck", runs, t0, t + ": " + kill_detail(p));
      }
    }
  }

  // 3. The code proof of the mutated function.
  if (simulated && budget_.stages.count("proofs") != 0 && !tools_.prover.empty() && tools_.proofs.count(function) != 0) {
    const Moment t0 = Moment::now();
    const std::string object = (fs::path(work_dir_) / "build" / "obj" / (name + ".o")).string();
    // The budget is CPU time, so that a loaded machine does not turn a
    // refutation into "no verdict"; ten times as much wall-clock time is
    // only the last guard against a prover that sleeps.
    const ProcessResult p =
        run_process({tools_.prover, "--objdump", tools_.objdump, "--proof", function, object},
                    10 * budget_.proof_timeout, {}, budget_.proof_timeout);
    const bool cut = p.timed_out || p.out_of_cpu;
    if (!cut && p.exit_code == 0) return done(Outcome::proved, "proofs", 1, t0, "the proof of " + function + " holds");
    if (!cut && p.exit_code == 1) {
      const std::string line = first_line_with(p.output, "COUNTEREXAMPLE");
      return done(Outcome::killed, "proofs", 1, t0, function + ": " + (line.empty() ? "refuted" : line.substr(0, 300)));
    }
    r.detail += "proof of " + function + ": no verdict" +
               (p.out_of_cpu ? " (out of CPU time)" : p.timed_out ? " (timed out)" : "") + "; ";
  }

  // 4. A short fuzz from the seed corpus.
  if (simulated && budget_.stages.count("fuzz") != 0 && !build(false, false, true, false)) return build_failed();
  if (budget_.stages.count("fuzz") != 0 && !programs.fuzz.empty()) {
    const Moment t0 = Moment::now();
    unsigned long long execs = 0;
    for (const std::string& t : targets) {
      const fs::path dir = fs::path(work_dir_) / ("fuzz-" + t);
      std::vector<std::string> argv = {programs.fuzz,
                                       "-seed=1",
                                       "-runs=" + std::to_string(budget_.fuzz_runs),
                                       "-max_total_time=" + std::to_string(static_cast<int>(budget_.fuzz_seconds)),
                                       "-print_final_stats=1",
                                       "-artifact_prefix=" + (dir / "artifacts").string() + "/",
                                       (dir / "corpus").string()};
      const fs::path dict = fs::path(tools_.source_dir) / "corpus/dict" / (t + ".dict");
      if (fs::exists(dict)) argv.insert(argv.begin() + 1, "-dict=" + dict.string());
      const fs::path seeds = fs::path(tools_.seed_dir) / t;
      if (fs::is_directory(seeds)) argv.push_back(seeds.string());
      StageLimit fuzz_limit = stage_limit;
      fuzz_limit.cpu_seconds += budget_.fuzz_seconds;
      const LimitedRun run = run_within_limit(
          [&](double wall, double cpu) {
            // Each run from the seeds alone: neither the previous mutant's
            // corpus and findings nor a stopped first run's are this run's.
            fs::remove_all(dir);
            fs::create_directories(dir / "corpus");
            fs::create_directories(dir / "artifacts");
            return run_process(argv, wall, {"MF_CHECK_TARGET=" + t}, cpu);
          },
          fuzz_limit);
      const ProcessResult& p = run.result;
      const std::string line = first_line_with(p.output, "stat::number_of_executed_units:");
      if (!line.empty()) execs += std::strtoull(line.c_str() + line.rfind(':') + 1, nullptr, 10);
      if (run.stopped) return done(Outcome::killed, "fuzz", execs, t0, t + ": " + run.detail);
      r.detail += stopped_once(run, "fuzz");
      // Any input libFuzzer saved is a finding: a divergence or a fault of the SUT.
      const bool found = !fs::is_empty(dir / "artifacts");
      if (found) return done(Outcome::killed, "fuzz", execs, t0, t + ": " + kill_detail(p));
    }
  }
  // 5. tests/daemon's suite on the real OS, whole, stopped at its
  //    first failure; the RapidCheck properties with ctest's budget.  Then
  //    the same over OS calls that return garbage, as the simulated OS's do
  //    (Linux keeps rdi, rsi, rdx and r8-r10: code that relies on them
  //    works there by luck, and only this stage runs daemon_start).  For
  //    a function only this stage runs, only the suites whose tests call
  //    daemon_start (start_test.cpp, directory_test.cpp and
  //    calling_convention_test.cpp): daemon_loop and on_sigterm are reached
  //    only through it, so no other test runs the mutated code.
  //    The suite waits on the clock (a pass within 3 s), so a loaded
  //    machine can fail a test of the original: a failure kills only when
  //    it repeats with the suite's waits multiplied (daemon_stage.h).
  if (daemon_suite && !build(false, false, false, true)) return build_failed();
  if (daemon_suite && !programs.daemon.empty()) {
    const Moment t0 = Moment::now();
    const std::string calls_daemon_start = "DaemonStart.*:DirectoryChecks.*:CallingConvention.*";
    const std::string filter = simulated ? "*" : calls_daemon_start;
    unsigned long long tests = 0;  // run up to the kill, in the first run of each part
    std::string not_repeated;      // failures that load explains, for the record
    // The stage's limit bounds the first runs of its parts together; the
    // confirming runs have their own (daemon_stage.h), and take nothing
    // from the next part's.
    double first_runs_seconds = 0;
    std::vector<std::pair<std::string, std::string>> programs_in_order = {{programs.daemon, ""}};
    if (!programs.daemon_garbage.empty()) {
      programs_in_order.push_back({programs.daemon_garbage, "over OS calls that return garbage: "});
    }
    for (const auto& [program, how] : programs_in_order) {
      const DaemonRunner run = [&, program = program](const DaemonRun& d) {
        const double started = now_seconds();
        std::vector<std::string> argv = tools_.namespace_prefix;
        argv.insert(argv.end(), {program, "--gtest_fail_fast", "--gtest_filter=" + d.filter});
        // The factor is always set, so that one in mfh's own environment
        // does not change the first run.
        const ProcessResult p = run_process(argv, std::max(1.0, d.seconds),
                                            {"RC_PARAMS=max_success=300",
                                             "MF_DAEMON_TEST_TIME_SCALE=" + std::to_string(d.time_scale)});
        if (d.time_scale == 1) first_runs_seconds += now_seconds() - started;
        return DaemonRunResult{p.exit_code, p.timed_out, p.output};
      };
      const double left = budget_.daemon_timeout - first_runs_seconds;
      const DaemonPartVerdict v = judge_daemon_part(run, filter, left, budget_.daemon_timeout, DaemonConfirmation{});
      tests += v.tests;
      if (v.killed) return done(Outcome::killed, "daemon", tests, t0, how + v.detail);
      if (!v.detail.empty()) not_repeated += "daemon: " + how + v.detail + "; ";
    }
    r.detail += not_repeated + std::string(kDaemonSuitePassed) + " (" + std::to_string(tests) + " tests); ";
  }
  const std::string note = r.detail;
  return done(Outcome::survived, "", 0, Moment::now(), note + "passed every stage");
}

}  // namespace mf::mutate
