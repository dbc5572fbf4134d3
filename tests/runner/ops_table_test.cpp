// The op vocabulary (harness/ops/op_table.h): one table that every engine
// reads, so its internal consistency is what keeps them in agreement.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "op.h"
#include "op_table.h"

namespace {

using namespace mf::ops;

TEST(OpTable, EveryOpSitsAtItsOwnCodeWithAUniqueName) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kOpTable.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(kOpTable[i].code), i);
    EXPECT_TRUE(names.insert(kOpTable[i].name).second) << kOpTable[i].name;
    EXPECT_EQ(op_from_name(kOpTable[i].name), kOpTable[i].code);
  }
  EXPECT_EQ(op_from_name("arena_alocc"), std::nullopt);
}

TEST(OpTable, MixedHasEveryOpOfTheBuiltinsAndEveryTargetHasTheControlOps) {
  for (const OpInfo& op : kOpTable) {
    const bool every_target = op.code == OpCode::os_fail || op.code == OpCode::clock_set ||
                              op.code == OpCode::clock_advance;
    const bool cleaner_only = (op.allowed_in(Target::meminfo) || op.allowed_in(Target::daemon)) && !every_target;
    EXPECT_EQ(op.allowed_in(Target::mixed), !cleaner_only) << op.name;
    EXPECT_EQ(needs_simulated_os(op), cleaner_only) << op.name;
  }
  for (Target t : kAllTargets) {
    EXPECT_TRUE(info(OpCode::os_fail).allowed_in(t));
    EXPECT_TRUE(info(OpCode::clock_set).allowed_in(t));
    EXPECT_TRUE(info(OpCode::clock_advance).allowed_in(t));
    // The memory targets' fourth is memory_limit, after the three of every target.
    EXPECT_EQ(control_ops_of(t).size(), t == Target::meminfo ? 10u : t == Target::daemon ? 9u : 4u) << target_name(t);
    EXPECT_EQ(info(OpCode::memory_limit).allowed_in(t), !simulated_only(t)) << target_name(t);
    EXPECT_EQ(simulated_only(t), t == Target::meminfo || t == Target::daemon) << target_name(t);
  }
}

TEST(OpTable, TargetsHoldTheOpsOfTheirAllocator) {
  EXPECT_TRUE(info(OpCode::arena_alloc).allowed_in(Target::arena));
  EXPECT_FALSE(info(OpCode::arena_alloc).allowed_in(Target::pool));
  EXPECT_TRUE(info(OpCode::pool_free).allowed_in(Target::pool));
  EXPECT_FALSE(info(OpCode::mem_alloc).allowed_in(Target::arena));
  EXPECT_TRUE(info(OpCode::mem_alloc).allowed_in(Target::builtins));
  EXPECT_TRUE(info(OpCode::memcpy).allowed_in(Target::builtins));
  EXPECT_FALSE(info(OpCode::memcpy).allowed_in(Target::alloc));
  EXPECT_EQ(sut_ops_of(Target::arena).size(), 6u);
  EXPECT_EQ(sut_ops_of(Target::pool).size(), 5u);  // pool_uaf_link too
  EXPECT_EQ(sut_ops_of(Target::alloc).size(), 4u);  // mem_uaf_link too
  EXPECT_EQ(sut_ops_of(Target::builtins).size(), 8u);
  EXPECT_EQ(sut_ops_of(Target::mixed).size(), 20u);
  EXPECT_EQ(sut_ops_of(Target::meminfo).size(), 1u);
  EXPECT_EQ(sut_ops_of(Target::daemon).size(), 2u);
  EXPECT_FALSE(info(OpCode::monitor_memory).allowed_in(Target::builtins));
}

TEST(OpTable, SutOpsNameThePanickingFunctionAndControlOpsNone) {
  for (const OpInfo& op : kOpTable) {
    // The uaf ops are the program's own store into freed memory: no SUT
    // function runs, so nothing can exit and there is no name to give.
    const bool program_store = op.code == OpCode::pool_uaf_link || op.code == OpCode::mem_uaf_link;
    const bool runs_sut_function = !op.control && !program_store;
    EXPECT_EQ(op.panic_names.empty(), !runs_sut_function) << op.name;
  }
  EXPECT_EQ(info(OpCode::arena_destroy).panic_names, "arena_destroy|mem_free");
  EXPECT_EQ(info(OpCode::load_i64).panic_names, "__mf_load_i64");
}

TEST(OpTable, CreatingOpsAreExactlyTheThreeCreations) {
  EXPECT_EQ(created_kind(OpCode::arena_create), HandleKind::arena);
  EXPECT_EQ(created_kind(OpCode::pool_create), HandleKind::pool);
  EXPECT_EQ(created_kind(OpCode::mem_alloc), HandleKind::block);
  int creating = 0;
  for (const OpInfo& op : kOpTable) creating += op.creates_handle() ? 1 : 0;
  EXPECT_EQ(creating, 3);
}

TEST(OpTable, TargetAndSystemCallNamesRoundTrip) {
  for (Target t : kAllTargets) EXPECT_EQ(target_from_name(target_name(t)), t);
  EXPECT_EQ(target_from_name("arenas"), std::nullopt);
  EXPECT_EQ(os_call_from_name(os_call_name(OsCall::mmap)), OsCall::mmap);
  EXPECT_EQ(os_call_from_name(os_call_name(OsCall::munmap)), OsCall::munmap);
  EXPECT_EQ(os_call_from_name("mprotect"), std::nullopt);
}

TEST(OpTable, OnlyTheBuiltinsTargetUsesTheCheckedAllocEntries) {
  for (Target t : kAllTargets) EXPECT_EQ(uses_checked_alloc_entry(t), t == Target::builtins);
}

}  // namespace
