// The arena state machine: arena_create, arena_alloc, arena_reset, the usage
// and capacity queries and arena_destroy, with mmap failures and clock moves
// in between.  Requests cluster around exact fits, the rounding edges and the
// top of the range, where Round8 and the header arithmetic overflow.

#include <gtest/gtest.h>

#include "property_checks.h"

namespace {

using mf::ops::Target;

TEST(ArenaProperty, Simulated) { mf::property::run_simulated_property(Target::arena); }
TEST(ArenaProperty, Native) { mf::property::run_native_property(Target::arena); }

}  // namespace
