// property_checks.h - the state machine of one target, as a gtest test body.
//
//   simulated  RapidCheck's rc::state::check: each command runs as it is
//              generated, op by op, through one runner Session on the
//              simulated OS (fast, in-process).
//   native     the same generator makes a whole command sequence first
//              (rc::state::gen::commands), which run_trace then runs against
//              the real os.s in a forked child.
//
// Both shrink a failing sequence and fail the test with the shrunk trace
// (failure_report.h); RapidCheck then prints the RC_PARAMS="reproduce=..."
// string that replays exactly that case.  RC_PARAMS sets the budget
// (max_success, max_size = the longest trace).
#pragma once

#include "op_table.h"

namespace mf::property {

void run_simulated_property(ops::Target target);
// The same, each case keeping most mem_alloc requests in one size class of
// few blocks per slab, drawn per case (TraceState::focus_size).
void run_simulated_property_one_class(ops::Target target);
void run_simulated_property_large_class(ops::Target target);
void run_native_property(ops::Target target);

}  // namespace mf::property
