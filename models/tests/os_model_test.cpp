// The simulated OS's accounting and fault-injection rules.
#include <gtest/gtest.h>

#include "os_model.h"

namespace mf::model {
namespace {

TEST(OsModel, MmapSucceedsUpToTheMemoryLimit) {
  OsModel os;
  EXPECT_EQ(os.memory_limit(), std::uint64_t{1} << 30);
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

TEST(OsModel, PlaceholderAddressesNeverOverlap) {
  OsModel os;
  std::uint64_t a = *os.mmap(5000);
  std::uint64_t b = *os.mmap(4096);
  EXPECT_GE(b, a + 8192);  // 5000 rounds to two OS pages
  EXPECT_EQ(a % 4096, 0u);
}

}  // namespace
}  // namespace mf::model
