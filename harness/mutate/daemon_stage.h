// daemon_stage.h - the verdict of one part of mfh mutate's daemon stage
// (tests/daemon's suite on the real OS, or over OS calls that return
// garbage) that does not depend on the machine's load.
//
// The suite waits on the wall clock: a pass within 3 s, a daemon that ends
// within 5 s of SIGTERM, in-test guards of 10 s.  On a loaded machine a
// test of the original code can miss such a deadline, and a kill must not
// be an artefact of load (a campaign beside a fuzz run once counted three
// equivalent mutants of has_prefix as killed).  So a failure is only a
// candidate:
//
//   1. the part runs as before: the tests in order, stopped at the first
//      failure (--gtest_fail_fast), within the stage's time left;
//   2. on a failure, or when the time runs out, the test that failed or
//      was running is run again alone with every wait of tests/daemon
//      multiplied (MF_DAEMON_TEST_TIME_SCALE, tests/daemon/time_scale.h),
//      within a test's limit times the same factor: failing again there,
//      it kills;
//   3. passing alone, it may have failed through what earlier tests left
//      (a mutant's effect can need them), so the whole part runs again
//      with the waits multiplied and its own limit multiplied: any failure
//      or timeout there kills, a pass is a pass.
//
// Every failure is confirmed, whatever its message: each test of the
// suite waits on the clock somewhere (a guarded call's 10 s, a poll for a
// log line), so no message proves that load played no part, and the
// confirmation of a real kill costs the failing test alone, seconds.  The
// first run is never scaled: a mutant that fails only by being slow (a
// sleep too long) is still killed when its failure repeats at the factor,
// since a larger factor stretches the tests' deadlines, not the daemon's
// behaviour, except in the interval tests, which scale both together.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace mf::mutate {

// One run of tests/daemon's program.
struct DaemonRun {
  std::string filter;   // --gtest_filter
  int time_scale = 1;   // MF_DAEMON_TEST_TIME_SCALE
  double seconds = 0;   // wall-clock limit
};

struct DaemonRunResult {
  int exit_code = 0;
  bool timed_out = false;
  std::string output;  // GoogleTest's, stdout and stderr
};

using DaemonRunner = std::function<DaemonRunResult(const DaemonRun&)>;

struct DaemonConfirmation {
  int time_scale = 4;        // the factor of the confirming runs
  double test_seconds = 60;  // one test alone (a test of tests/daemon over a minute would be labelled slow)
};

struct DaemonPartVerdict {
  bool killed = false;
  std::string detail;             // what failed, and how the confirmation went
  unsigned long long tests = 0;   // tests that ended in the first run, up to the failure
  std::vector<DaemonRun> runs;    // every run made, in order
};

// The verdict of a part: `filter` within `seconds` (the stage's time left)
// first, then the confirmation above, its whole-part run within
// `part_seconds` (the stage's own limit) times the factor.
DaemonPartVerdict judge_daemon_part(const DaemonRunner& run, const std::string& filter, double seconds,
                                    double part_seconds, const DaemonConfirmation& confirmation);

// ---- reading GoogleTest's output ----

// The test that failed ("[  FAILED  ] T (N ms)"), else the last one that
// started and never ended (running when the program was cut or crashed);
// empty when neither.
std::string failing_test(const std::string& gtest_output);

// Tests that ended ("[       OK ] T (N ms)" or "[  FAILED  ] T (N ms)").
unsigned long long ended_tests(const std::string& gtest_output);

// A line for the report: "timed out in T", the FAILED line, or the exit status.
std::string run_failure(const DaemonRunResult& result);

}  // namespace mf::mutate
