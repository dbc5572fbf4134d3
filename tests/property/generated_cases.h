// generated_cases.h - keeps every case a simulated state machine generates,
// so that what the generators reach on their own can be measured.
//
// When the environment variable MF_PROPERTY_CASES_DIR names a directory,
// each case that ran to its end is written there as a text trace,
// <test suite>.<test>.<n>.trace, with the ops the runner skipped as outside
// the contract left out.  `ci/property_reach.sh` runs these files through
// `mfh cov`, which lists the branch directions of the assembly they reach:
// the seed corpus plays no part in that figure.
#pragma once

#include <vector>

#include "op.h"

namespace mf::property {

// skipped[i]: op i was left out by the runner (may be shorter than the trace).
void keep_generated_case(const ops::Trace& trace, const std::vector<bool>& skipped);

}  // namespace mf::property
