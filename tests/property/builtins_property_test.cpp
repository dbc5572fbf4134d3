// The checked builtins state machine: __mf_mem_alloc / __mf_mem_free, loads,
// pokes and memcpy.  Accesses land mostly inside live blocks, at their first
// and last bytes, and memcpy ranges often overlap; the rest aim at the null
// page and beyond user space, which must exit 110 and 111.

#include <gtest/gtest.h>

#include "property_checks.h"

namespace {

using mf::ops::Target;

TEST(BuiltinsProperty, Simulated) { mf::property::run_simulated_property(Target::builtins); }
TEST(BuiltinsProperty, Native) { mf::property::run_native_property(Target::builtins); }

}  // namespace
