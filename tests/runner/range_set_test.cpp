// RangeSet (harness/simos/range_set.h): the interval set behind the simulated
// OS's dirty-page tracking, checked against a page-by-page bitmap.

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "range_set.h"

namespace {

using mf::simos::RangeSet;

std::vector<bool> as_bitmap(const RangeSet& set, std::uint64_t size) {
  std::vector<bool> bits(size, false);
  set.for_each([&](std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t i = from; i < to; ++i) bits[i] = true;
  });
  return bits;
}

TEST(RangeSet, MergesTouchingRangesAndSplitsOnRemove) {
  RangeSet s;
  s.add(10, 20);
  s.add(20, 30);
  s.add(40, 50);
  EXPECT_TRUE(s.covers(10, 30));
  EXPECT_FALSE(s.covers(10, 41));
  EXPECT_EQ(s.bytes(), 30u);
  s.remove(15, 45);
  EXPECT_TRUE(s.covers(10, 15));
  EXPECT_TRUE(s.covers(45, 50));
  EXPECT_FALSE(s.intersects(15, 45));
  EXPECT_EQ(s.bytes(), 10u);
}

TEST(RangeSet, AgreesWithABitmapUnderRandomEdits) {
  constexpr std::uint64_t kSize = 200;
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    RangeSet s;
    std::vector<bool> want(kSize, false);
    for (int step = 0; step < 40; ++step) {
      const std::uint64_t a = rng() % kSize;
      const std::uint64_t b = a + rng() % (kSize - a + 1);
      const bool adding = rng() % 2 == 0;
      if (adding) {
        s.add(a, b);
      } else {
        s.remove(a, b);
      }
      for (std::uint64_t i = a; i < b; ++i) want[i] = adding;
      ASSERT_EQ(as_bitmap(s, kSize), want) << "round " << round << " step " << step;
      std::uint64_t count = 0;
      for (bool bit : want) count += bit ? 1 : 0;
      ASSERT_EQ(s.bytes(), count);
      const std::uint64_t c = rng() % kSize;
      const std::uint64_t d = c + rng() % (kSize - c + 1);
      bool all = true, any = false;
      for (std::uint64_t i = c; i < d; ++i) {
        all = all && want[i];
        any = any || want[i];
      }
      ASSERT_EQ(s.covers(c, d), all);
      ASSERT_EQ(s.intersects(c, d), any);
      std::vector<bool> seen(kSize, false);
      s.for_each_in(c, d, [&](std::uint64_t from, std::uint64_t to) {
        for (std::uint64_t i = from; i < to; ++i) seen[i] = true;
      });
      for (std::uint64_t i = 0; i < kSize; ++i) ASSERT_EQ(seen[i], i >= c && i < d && want[i]);
    }
  }
}

}  // namespace
