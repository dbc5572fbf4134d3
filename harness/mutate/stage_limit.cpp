#include "stage_limit.h"

#include <sstream>

namespace mf::mutate {

namespace {

bool was_stopped(const check::ProcessResult& r) { return r.timed_out || r.out_of_cpu; }

std::string seconds_text(double s) {
  std::ostringstream out;
  out << s << " s";
  return out.str();
}

// "ran past 120 s of CPU" or "ran past 1200 s of wall-clock time".
std::string how_stopped(const check::ProcessResult& r, double wall, double cpu) {
  return r.out_of_cpu ? "ran past " + seconds_text(cpu) + " of CPU"
                      : "ran past " + seconds_text(wall) + " of wall-clock time";
}

}  // namespace

LimitedRun run_within_limit(const StageProgram& program, const StageLimit& limit) {
  LimitedRun run;
  const double cpu = limit.cpu_seconds;
  const double wall = limit.wall_factor * cpu;
  run.result = program(wall, cpu);
  run.runs = 1;
  if (!was_stopped(run.result)) return run;

  const std::string first = how_stopped(run.result, wall, cpu);
  const double factor = limit.confirm_factor;
  run.result = program(factor * wall, factor * cpu);
  run.runs = 2;
  const std::string again = "again with the limits x" + std::to_string(limit.confirm_factor);
  if (was_stopped(run.result)) {
    run.stopped = true;
    run.detail = first + "; " + again + ": " + how_stopped(run.result, factor * wall, factor * cpu);
  } else {
    run.detail = first + ", not " + again;
  }
  return run;
}

}  // namespace mf::mutate
