// The mixed state machine: every op of every target in one trace, so that
// arenas, pools and plain blocks share slabs, a plain mem_free may release an
// arena's or a pool's block, and the builtins read and write all of them.

#include <gtest/gtest.h>

#include "property_checks.h"

namespace {

using mf::ops::Target;

TEST(MixedProperty, Simulated) { mf::property::run_simulated_property(Target::mixed); }
TEST(MixedProperty, Native) { mf::property::run_native_property(Target::mixed); }

}  // namespace
