// The pool state machine: pool_create, pool_alloc, pool_free and
// pool_destroy.  Frees mostly hit live objects, so that the LIFO reuse and
// the zero-fill of reused objects get exercised, and sometimes a double free,
// an interior pointer, a slot never handed out or another pool's object, each
// of which must exit 111.  Object sizes and counts reach the edges where the
// total size overflows.  pool_uaf_link, now and then, writes into a freed
// object's link: another free object or null, which pool_alloc follows, or
// a head it must refuse with exit 111.

#include <gtest/gtest.h>

#include "property_checks.h"

namespace {

using mf::ops::Target;

TEST(PoolProperty, Simulated) { mf::property::run_simulated_property(Target::pool); }
TEST(PoolProperty, Native) { mf::property::run_native_property(Target::pool); }

}  // namespace
