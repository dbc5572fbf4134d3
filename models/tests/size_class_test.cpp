// Size classes and slab geometry, computed by hand from docs/spec.md.
#include <gtest/gtest.h>

#include "size_class.h"

namespace mf::model {
namespace {

void expect_class(std::uint64_t n, bool small, std::uint64_t index, std::uint64_t block_size) {
  std::optional<SizeClass> c = size_class_of(n);
  ASSERT_TRUE(c.has_value()) << n;
  EXPECT_EQ(c->small, small) << n;
  EXPECT_EQ(c->index, index) << n;
  EXPECT_EQ(c->block_size, block_size) << n;
}

TEST(SizeClass, SmallClassesFollowTheTable) {
  expect_class(1, true, 0, 16);
  expect_class(16, true, 0, 16);
  expect_class(17, true, 1, 32);
  expect_class(88, true, 5, 96);
  expect_class(1024, true, 63, 1024);
  expect_class(1025, true, 64, 2048);
  expect_class(2048, true, 64, 2048);
  expect_class(2049, true, 65, 4096);
  expect_class(4096, true, 65, 4096);
  expect_class(4097, true, 66, 8192);
  expect_class(8192, true, 66, 8192);
}

TEST(SizeClass, LargeRequestsAreRoundedTo16UpToTheMaximum) {
  expect_class(8193, false, 0xFFFF, 8208);
  expect_class(std::uint64_t{1} << 40, false, 0xFFFF, std::uint64_t{1} << 40);
  EXPECT_FALSE(size_class_of(0).has_value());
  EXPECT_FALSE(size_class_of((std::uint64_t{1} << 40) + 1).has_value());
  EXPECT_FALSE(size_class_of(~std::uint64_t{0}).has_value());
}

TEST(SizeClass, SameSizeClassComparesIndexOrRound16) {
  EXPECT_TRUE(same_size_class(1, 16));
  EXPECT_FALSE(same_size_class(16, 17));
  EXPECT_TRUE(same_size_class(1025, 2048));
  EXPECT_FALSE(same_size_class(8192, 8193));
  EXPECT_TRUE(same_size_class(8193, 8208));
  EXPECT_FALSE(same_size_class(8193, 8209));
  EXPECT_FALSE(same_size_class(0, 0));
  EXPECT_FALSE(same_size_class(16, 0));
}

TEST(SizeClass, SlabGeometry) {
  EXPECT_EQ(slab_block_count(16), 4057u);
  EXPECT_EQ(slab_block_count(1024), 63u);
  EXPECT_EQ(slab_block_count(8192), 7u);
  EXPECT_EQ(class_block_size(0), 16u);
  EXPECT_EQ(class_block_size(63), 1024u);
  EXPECT_EQ(class_block_size(64), 2048u);
  EXPECT_EQ(class_block_size(66), 8192u);
  EXPECT_EQ(slab_recip(16), 268435456u);
  EXPECT_EQ(slab_recip(48), 89478486u);  // 2^32 / 48 = 89478485.33
  EXPECT_EQ(large_page_size(8193), 12288u);  // Round4096(0x60 + 8193 = 8289)
  EXPECT_EQ(large_page_size(12192), 12288u);  // 0x60 + 12192 = 12288 exactly
  EXPECT_EQ(large_page_size(12193), 16384u);
}

}  // namespace
}  // namespace mf::model
