// The OS rules (os_rules.h) every run's OS and the model share, and the
// model's OsModel on top of them.
#include <gtest/gtest.h>

#include "os_model.h"

namespace mf::model {
namespace {

TEST(OsModel, MmapSucceedsUpToTheMemoryLimit) {
  OsModel os;
  EXPECT_EQ(os.memory_limit(), std::uint64_t{64} << 20);
  os.set_memory_limit(65536 + 4096);
  EXPECT_TRUE(os.mmap(65536).has_value());
  EXPECT_TRUE(os.mmap(4096).has_value());
  EXPECT_FALSE(os.mmap(1).has_value());  // mapped + len > limit
  EXPECT_EQ(os.mapped_bytes(), 65536u + 4096u);
  EXPECT_EQ(os.mmap_calls(), 3u);
  EXPECT_TRUE(os.munmap(4096));
  EXPECT_EQ(os.mapped_bytes(), 65536u);
  EXPECT_TRUE(os.mmap(4096).has_value());
}

TEST(OsModel, InjectedMmapFailureHitsExactlyTheNthCall) {
  OsModel os;
  os.fail_mmap(2);
  EXPECT_TRUE(os.mmap(4096).has_value());
  EXPECT_FALSE(os.mmap(4096).has_value());
  EXPECT_TRUE(os.mmap(4096).has_value());
  EXPECT_EQ(os.mapped_bytes(), 8192u);
}

TEST(OsModel, InjectedMunmapFailureLeavesTheMemoryMapped) {
  OsModel os;
  ASSERT_TRUE(os.mmap(4096).has_value());
  os.fail_munmap(1);
  EXPECT_FALSE(os.munmap(4096));
  EXPECT_EQ(os.mapped_bytes(), 4096u);
  EXPECT_EQ(os.munmap_calls(), 1u);
}

TEST(OsRules, ARequestWhoseSumWouldWrapIsRefusedAndCounted) {
  OsRules rules;
  rules.set_memory_limit(~std::uint64_t{0});
  ASSERT_TRUE(rules.admit_mmap(4096));
  rules.commit_mmap(4096);
  EXPECT_FALSE(rules.admit_mmap(~std::uint64_t{0} - 4095));  // 4096 + that wraps to 0
  EXPECT_EQ(rules.mmap_calls(), 2u);
  EXPECT_EQ(rules.mapped_bytes(), 4096u);
}

TEST(OsRules, ResetForgetsCallsMappingsFailuresAndTheClock) {
  OsRules rules;
  rules.fail_mmap(1);
  rules.fail_munmap(1);
  rules.set_time(99);
  ASSERT_TRUE(rules.admit_munmap() == false);
  rules.reset(8192);
  EXPECT_EQ(rules.time(), 0);
  EXPECT_EQ(rules.mmap_calls(), 0u);
  EXPECT_EQ(rules.munmap_calls(), 0u);
  EXPECT_EQ(rules.memory_limit(), 8192u);
  EXPECT_TRUE(rules.admit_mmap(8192));  // the pending mmap failure is gone
  EXPECT_FALSE(rules.admit_mmap(8193));
}

TEST(OsModel, PlaceholderAddressesNeverOverlap) {
  OsModel os;
  std::uint64_t a = *os.mmap(5000);
  std::uint64_t b = *os.mmap(4096);
  EXPECT_GE(b, a + 8192);  // 5000 rounds to two OS pages
  EXPECT_EQ(a % 4096, 0u);
}

}  // namespace
}  // namespace mf::model
