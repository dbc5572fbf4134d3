// The page allocator state machine: mem_alloc and mem_free.  Sizes cluster at
// the size-class edges (16/17, 1024/1025, ..., 8192/8193) so that slabs of
// many classes fill, empty, get released or kept as current, and large
// blocks come and go; frees sometimes use a size of the same class, a freed
// block, an interior pointer or a wild address.

#include <gtest/gtest.h>

#include "property_checks.h"

namespace {

using mf::ops::Target;

TEST(AllocProperty, Simulated) { mf::property::run_simulated_property(Target::alloc); }
TEST(AllocProperty, SimulatedOneClass) { mf::property::run_simulated_property_one_class(Target::alloc); }
TEST(AllocProperty, SimulatedLargeClass) { mf::property::run_simulated_property_large_class(Target::alloc); }
TEST(AllocProperty, Native) { mf::property::run_native_property(Target::alloc); }

}  // namespace
