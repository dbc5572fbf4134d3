// subprocess.h - runs a program and waits for it, with a time limit: what
// `mfh check` needs to assemble, link and run the programs it builds.
#pragma once

#include <string>
#include <vector>

namespace mf::check {

struct ProcessResult {
  int exit_code = -1;      // the status, or 128 + signal
  bool timed_out = false;  // killed at the time limit
  bool out_of_cpu = false; // killed at the CPU-time limit (SIGXCPU)
  bool started = true;     // false when the program could not be run at all
  std::string output;      // stdout and stderr, interleaved
  // User plus system time of the program and of every child it waited for:
  // what it cost, whatever else ran beside it.
  double cpu_seconds = 0;
};

// The CPU time (ProcessResult::cpu_seconds) of every program that
// run_process and run_in_parallel ran from the calling thread so far: a
// caller that runs its programs from one thread (a job of `mfh mutate`)
// reads it before and after a piece of work to learn that work's cost.
double cpu_seconds_of_this_thread();

// Runs argv[0] (found on PATH when it has no '/') with `extra_env`
// ("NAME=value") added to the environment.  After `seconds` (0: no limit)
// the process group is killed.  With `cpu_seconds` (0: none), the program
// itself is stopped once it has used that much CPU time (RLIMIT_CPU), a
// limit that, unlike wall-clock time, does not depend on the machine's load.
ProcessResult run_process(const std::vector<std::string>& argv, double seconds = 0,
                          const std::vector<std::string>& extra_env = {}, double cpu_seconds = 0);

// The same for several commands at once, each with no time limit; results
// in the order given.
std::vector<ProcessResult> run_in_parallel(const std::vector<std::vector<std::string>>& commands);

}  // namespace mf::check
