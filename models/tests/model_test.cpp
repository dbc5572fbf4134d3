// The whole-process model: exits are final, handles and canonical forms, and
// the invariants hold across a mixed sequence of every kind of operation.
#include <gtest/gtest.h>

#include "model.h"
#include "model_test_support.h"

namespace mf::model {
namespace {

using namespace mf::model::testing;

TEST(Model, AnExitIsFinal) {
  Model m;
  Addr b = pointer_of(m.mem_alloc(16));
  expect_exit(m.mem_free(b.plus(1), 16), 111);
  EXPECT_TRUE(m.exited());
  EXPECT_EQ(m.exit_code(), 111);
  EXPECT_THROW(m.mem_alloc(16), std::logic_error);
  EXPECT_THROW(m.load_i64(b), std::logic_error);
  EXPECT_THROW(m.init(), std::logic_error);
  EXPECT_EQ(m.pages().view(0).live, 1u);  // the exiting call changed nothing
}

TEST(Model, UnsafeIsNotAnExit) {
  Model m;
  expect_unsafe(m.load_i64(Addr::raw(0x5000)));
  EXPECT_FALSE(m.exited());
  expect_pointer(m.mem_alloc(16), Addr::page(0, 0x270));
}

TEST(Model, HandlesAreNumberedPerKindInCreationOrder) {
  Model m;
  Outcome b0 = m.mem_alloc(16);
  Outcome a0 = m.arena_create(16);
  Outcome p0 = m.pool_create(8, 1);
  Outcome b3 = m.mem_alloc(20000);
  EXPECT_EQ(b0.new_block, 0u);
  EXPECT_EQ(a0.new_block, 1u);
  EXPECT_EQ(a0.new_arena, 0u);
  EXPECT_EQ(p0.new_block, 2u);
  EXPECT_EQ(p0.new_pool, 0u);
  EXPECT_EQ(b3.new_block, 3u);
  EXPECT_EQ(b3.new_page, 3u);  // slabs of classes 0, 2 (48 bytes), 3 (64), then a large page
  EXPECT_EQ(m.canonical(Addr::block(2, 48)), m.canonical(Addr::pool(0, 48)));
  EXPECT_EQ(to_string(m.canonical(Addr::block(3))), "page 3+0x60");
}

TEST(Model, InvariantsHoldAcrossAMixedSequence) {
  Model m;
  auto step = [&m](const Outcome& out) {
    EXPECT_FALSE(out.is_exit()) << to_string(out);
    expect_sound(m);
  };
  m.os().set_time(10);
  Addr a = pointer_of(m.arena_create(1000));
  step(m.arena_alloc(a, 24));
  Addr p = pointer_of(m.pool_create(24, 100));
  Addr o1 = pointer_of(m.pool_alloc(p));
  Addr o2 = pointer_of(m.pool_alloc(p));
  step(m.poke_i64(o2, 99));
  step(m.memcpy(o1, o2, 24));
  step(m.pool_free(p, o2));
  Addr big = pointer_of(m.mem_alloc(100000));
  step(m.memcpy(big.plus(1000), o1, 8));
  expect_number(m.load_i64(big.plus(1000)), 99);
  step(m.init());
  m.os().set_time(20);
  std::vector<Addr> smalls;
  for (int i = 0; i < 40; ++i) smalls.push_back(pointer_of(m.mem_alloc(1 + 100 * i)));
  for (std::size_t i = 0; i < smalls.size(); i += 2) step(m.mem_free(smalls[i], 1 + 100 * i));
  step(m.arena_reset(a));
  step(m.pool_destroy(p));
  step(m.mem_free(big, 100000));
  step(m.arena_destroy(a));
  for (std::size_t i = 1; i < smalls.size(); i += 2) step(m.mem_free(smalls[i], 1 + 100 * i));
  EXPECT_TRUE(m.user_regions().empty());
  // Only first open slabs (one per class used) remain, all empty.
  for (const PageView& v : m.pages().live_pages()) {
    EXPECT_EQ(v.live, 0u);
    EXPECT_EQ(m.pages().open_slabs(v.class_index).front(), v.handle);
  }
}

TEST(Model, InvariantCheckNoticesAnUnaccountedMapping) {
  Model m;
  m.mem_alloc(16);
  expect_sound(m);
  ASSERT_TRUE(m.os().mmap(4096).has_value());  // not a page, not the alternate stack
  EXPECT_FALSE(m.check_invariants().empty());
}

TEST(Model, OutcomesDescribeThemselves) {
  Model m;
  EXPECT_EQ(to_string(m.mem_alloc(16)), "pointer page 0+0x270 (new page 0, new block 0)");
  EXPECT_EQ(to_string(m.mem_page_count()), "number 1");
  EXPECT_EQ(to_string(Addr::raw(0x1000)), "raw 0x1000");
  EXPECT_EQ(to_string(Addr::null()), "null");
}

// A read failure (meminfo_fail with a byte count) is met, and makes the
// monitor answer -1, only when the file goes on past that byte.
TEST(Model, AMeminfoReadFailureCountsWhenTheFileGoesOnPastIt) {
  Model m;
  m.os().append_meminfo("MemTotal: 10\nMemFree: 5\n");  // 24 bytes
  m.os().fail_meminfo(OsRules::FileFailure::read, 23);
  EXPECT_EQ(m.daemon_monitor_memory().number, static_cast<std::uint64_t>(-1));
  m.os().fail_meminfo(OsRules::FileFailure::read, 24);
  EXPECT_EQ(m.daemon_monitor_memory().number, 50u);
  m.os().fail_meminfo(OsRules::FileFailure::open);
  EXPECT_EQ(m.daemon_monitor_memory().number, static_cast<std::uint64_t>(-1));
}

}  // namespace
}  // namespace mf::model
