// The cleaner's state machine: a simulated monitor directory filled with
// snapshot and sandbox files of every shape (names that are no pid, the
// cleaner's own pid, other users' processes; symlinks, FIFOs, directories;
// contents around the TTLs and contents that are no timestamp; opens,
// reads and unlinks that fail), a directory that may be refused, listed one
// entry per call or failing midway, a clock that moves, and the two passes
// between them: their results, the pids they signal, the files they leave
// and every log line must be the model's.  Simulated mode only.

#include <gtest/gtest.h>

#include "property_checks.h"

namespace {

using mf::ops::Target;

TEST(DaemonProperty, Simulated) { mf::property::run_simulated_property(Target::daemon); }

}  // namespace
