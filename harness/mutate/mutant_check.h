// mutant_check.h - one mutant through the stages of `mfh mutate`, cheapest
// first, stopping at the first that tells it from the original:
//
//   0. its code: assembled alone and disassembled with its relocations; the
//      original's code means equivalent by construction, an assembler error
//      means build failed;
//   1. corpora     corpus/regressions and the seed traces of its targets
//                  replayed (mfh replay);
//   2. rapidcheck  rounds of 200 cases of each simulated state machine of
//                  its targets (<Target>Property.Simulated*), with the fixed
//                  seeds 1..N: the same budget for every mutant;
//   3. proofs      the code proof of its function, when there is one: a
//                  counterexample kills, a proof that holds means the mutant
//                  meets the spec (outcome proved) and ends the check;
//   4. fuzz        libFuzzer from the seed corpus, seed 1, a fixed number of
//                  runs (or seconds, whichever ends first);
//   5. daemon      for daemon_cleaner.s: tests/daemon's suite (ctest label
//                  daemon) linked with the mutant and the real os.s, on the
//                  real OS, then again with every OS call returning garbage
//                  in the caller-saved registers (as the simulated OS's
//                  do), each stopped at its first failing test or after a
//                  time limit; either kills only when it repeats with the
//                  suite's waits multiplied (daemon_stage.h: a loaded
//                  machine must not make a kill).  The only stage that runs
//                  daemon_start, daemon_loop and on_sigterm (they fork, sleep
//                  and take signals, which the simulated OS does not); the
//                  simulated stages are skipped for a mutant of those
//                  functions (harness/mutate/out_of_reach.list), which they
//                  never call.  Each run is in a PID namespace of its own
//                  when unshare(1) can make one, so that a daemon the mutant
//                  no longer stops dies with the suite.
//
// Each run of the corpora, rapidcheck and fuzz stages is stopped at a limit
// of CPU time, and being stopped kills only when it happens again with the
// limit multiplied (stage_limit.h): no verdict rests on the machine's load.
//
// The programs come from `mfh check`'s build (harness/check/check_build.h):
// the mutated file assembled and linked on the spot, no CMake step.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "asm_mutants.h"
#include "mutant_results.h"

namespace mf::mutate {

inline const std::vector<std::string> kAllStages = {"corpora", "rapidcheck", "proofs", "fuzz", "daemon"};

struct StageBudget {
  std::set<std::string> stages{kAllStages.begin(), kAllStages.end()};
  int rapidcheck_rounds = 5;                // per target, 200 cases each
  unsigned long long fuzz_runs = 30000;     // per target
  double fuzz_seconds = 5;                  // per target, whichever comes first
  // Each run of a simulated stage (a replay, a RapidCheck round, a fuzz
  // run, that plus fuzz_seconds): CPU time, confirmed as stage_limit.h says.
  double stage_cpu_seconds = 120;
  // A proof still running then has no verdict (the check goes on to the
  // fuzz): most verdicts take seconds, but a mutant can leave the solver
  // searching for minutes, which would be most of a campaign's time.
  double proof_timeout = 60;
  // The daemon stage's limit, in seconds of wall-clock time (its tests
  // sleep and wait for the daemon): the suite takes about 40 s alone.  A
  // part cut there is confirmed as daemon_stage.h says, the whole part
  // then within this limit times the factor.
  double daemon_timeout = 300;
};

// What the build left for mfh mutate: found once, before any mutant.
struct Tools {
  std::string source_dir;   // the project (corpus/, proofs/code/specs/)
  std::string seed_dir;     // the fuzzers' seed corpora, per target
  std::string prover;       // mf_code_proof; empty without Z3
  std::string objdump;
  std::set<std::string> proofs;  // the functions with a code proof
  std::set<std::string> daemon_only;  // the functions only the daemon stage runs (out_of_reach.list)
  std::vector<std::string> namespace_prefix;  // unshare's PID namespace, when it works here; else empty
};
bool find_tools(Tools& tools, std::string& error);

// The code of an object file as text: the disassembly of every executable
// section with its relocations, without the file's name.  Equal texts mean
// equal bytes and relocations.
bool code_fingerprint(const Tools& tools, const std::string& object, std::string& text, std::string& error);

class MutantChecker {
 public:
  // `work_dir` is this checker's own: one per parallel job.
  MutantChecker(const Tools& tools, const StageBudget& budget, std::string work_dir);

  // The original's fingerprint, needed before checking its mutants.
  bool add_original(const std::string& path, const std::string& text, std::string& error);

  // Checks a mutant of the file add_original() was given.
  MutantResult check(const Mutant& mutant);

  // Runs the stages on the unmutated file (no proof verdict needed): what
  // must pass for a kill to mean anything.  Returns the result (killed when
  // the original itself diverges).
  MutantResult check_original(const std::string& name);

 private:
  struct Original {
    std::string path, text, fingerprint, include_dir;
  };
  // A moment of the check: wall-clock time, and the CPU time the job's
  // programs had used (check::cpu_seconds_of_this_thread).
  struct Moment {
    double wall = 0;
    double cpu = 0;
    static Moment now();
  };
  MutantResult run_stages(const std::string& name, const std::string& source, const std::string& function,
                          MutantResult r, Moment started);

  const Tools& tools_;
  StageBudget budget_;
  std::string work_dir_;
  std::map<std::string, Original> originals_;  // by file name
};

}  // namespace mf::mutate
