// property_stats.h - how much each property test ran, for people and for
// ci/campaign.sh, which reads the line printed after every test:
//
//   [property] PoolProperty.Simulated: 412 runs, 18734 ops run, 96 skipped, 301 ended by an exit
//
// A run is one trace through the runner, shrinking runs included; "ops run"
// counts ops that reached the SUT or changed the environment.
#pragma once

#include <cstdint>

#include "runner.h"

namespace mf::property {

void count_run(const runner::RunResult& result);

// Prints the line above at the end of every test and starts the counts anew.
void install_stats_printer();

}  // namespace mf::property
