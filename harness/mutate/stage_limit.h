// stage_limit.h - one run of a simulated stage of mfh mutate (a replay of
// the corpora, a RapidCheck round, the short fuzz) stopped at its limit,
// judged so that the verdict does not depend on the machine's load.
//
// The limit is CPU time (RLIMIT_CPU, through check::run_process): unlike
// wall-clock time, it does not grow when other jobs share the cores.  A
// campaign at 8 jobs on 2 cores, when the limit was wall-clock time, once
// counted arena.s:47:imm:2 as "killed by corpora: timed out" after 135 s
// of wall-clock time and 4.5 s of CPU; checked alone, its replays passed
// in seconds.  Wall-clock time stays only as the last guard against a
// program that sleeps or waits, `wall_factor` times the CPU limit.
//
// A run stopped at either limit is only a candidate: it runs again with
// both limits multiplied by `confirm_factor`.  Stopped again, it kills;
// otherwise the second run's own result is the verdict (a divergence
// kills, a pass passes), as the daemon stage confirms its failures
// (daemon_stage.h).  An op that never returns is found long before these
// limits, by the runner's per-op hang budget (a divergence with the hang
// signature); what these limits catch is a mutant slow everywhere.
#pragma once

#include <functional>
#include <string>

#include "subprocess.h"

namespace mf::mutate {

struct StageLimit {
  double cpu_seconds = 120;  // the first run's CPU time
  double wall_factor = 10;   // the wall-clock guard, in CPU limits
  int confirm_factor = 4;    // the confirming run's limits, in the first's
};

// Starts the stage's program once with the limits given (seconds of wall-
// clock time, seconds of CPU time) and returns how it ended.
using StageProgram = std::function<check::ProcessResult(double wall_seconds, double cpu_seconds)>;

struct LimitedRun {
  check::ProcessResult result;  // the last run's
  bool stopped = false;         // stopped at its limits twice: a kill
  int runs = 0;                 // 1, or 2 when the first was stopped
  std::string detail;           // for the record: how the limits ended each run, empty when neither stopped
};

LimitedRun run_within_limit(const StageProgram& program, const StageLimit& limit);

}  // namespace mf::mutate
