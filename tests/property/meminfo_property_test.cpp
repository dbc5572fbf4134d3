// The memory monitor's state machine: lines of a simulated /proc/meminfo
// (every key, spelt right and wrong, values up to and past 2^64, separators,
// suffixes, a missing newline), filler that moves them across the 8192-byte
// read limit, short reads, an unopenable or unreadable file, and
// daemon_monitor_memory between them: its result and its log line must be
// the model's.  Simulated mode only: native mode has no such file to serve.

#include <gtest/gtest.h>

#include "property_checks.h"

namespace {

using mf::ops::Target;

TEST(MeminfoProperty, Simulated) { mf::property::run_simulated_property(Target::meminfo); }

}  // namespace
