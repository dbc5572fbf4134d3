// The arena allocator (asm/arena.s) against docs/spec.md, "The arena
// allocator", one rule per test, in native mode (the real OS shim).
//
// Arena ids and the page allocator are process-wide state shared by every test
// of this binary, so tests compare differences (the next id, the page count)
// rather than absolute values.

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "morph_abi.h"

namespace {

using mf::layout::ARENA_ALIGN;
using mf::layout::ARENA_HDR_SIZE;
using mf::layout::MEM_ALIGN;

constexpr std::uint64_t kMax = ~std::uint64_t{0};  // 2^64 - 1

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uint64_t>(p); }

std::uint64_t round8(std::uint64_t n) { return (n + 7) / 8 * 8; }

// The id the next successful arena_create will hand out, found by making
// (and destroying) an arena: ids are consumed only by successful creation.
std::uint64_t next_id() {
  MfArenaHeader* probe = arena_create(8);
  EXPECT_NE(probe, nullptr);
  if (probe == nullptr) return 0;
  std::uint64_t id = probe->id;
  arena_destroy(probe);
  return id + 1;
}

bool same_header(const MfArenaHeader& a, const MfArenaHeader& b) {
  return a.start == b.start && a.current == b.current && a.end == b.end && a.id == b.id;
}

// ---- arena_create ----

TEST(ArenaCreate, HeaderFieldsDescribeTheNewArena) {
  for (std::uint64_t size : {1ull, 7ull, 8ull, 9ull, 100ull, 4096ull, 100000ull}) {
    MfArenaHeader* arena = arena_create(size);
    ASSERT_NE(arena, nullptr) << size;
    EXPECT_EQ(addr(arena) % MEM_ALIGN, 0u) << size;
    EXPECT_EQ(arena->start, addr(arena) + ARENA_HDR_SIZE) << size;
    EXPECT_EQ(arena->current, arena->start) << size;
    EXPECT_EQ(arena->end, arena->start + size) << size;
    EXPECT_EQ(arena_get_capacity(arena), size);
    EXPECT_EQ(arena_get_usage(arena), 0u);
    arena_destroy(arena);
  }
}

TEST(ArenaCreate, WholeCapacityIsWritable) {
  const std::uint64_t size = 5000;
  MfArenaHeader* arena = arena_create(size);
  ASSERT_NE(arena, nullptr);
  auto* bytes = reinterpret_cast<unsigned char*>(arena->start);
  for (std::uint64_t i = 0; i < size; ++i) bytes[i] = static_cast<unsigned char>(i);
  for (std::uint64_t i = 0; i < size; ++i) ASSERT_EQ(bytes[i], static_cast<unsigned char>(i));
  EXPECT_EQ(arena->start, addr(arena) + ARENA_HDR_SIZE);  // header not clobbered
  EXPECT_EQ(arena->end, arena->start + size);
  arena_destroy(arena);
}

TEST(ArenaCreate, IdsIncreaseByOnePerSuccessfulCreate) {
  std::vector<MfArenaHeader*> arenas;
  for (int i = 0; i < 5; ++i) {
    arenas.push_back(arena_create(64));
    ASSERT_NE(arenas.back(), nullptr);
  }
  EXPECT_GE(arenas[0]->id, 1u);  // ids start at 1
  for (std::size_t i = 1; i < arenas.size(); ++i) {
    EXPECT_EQ(arenas[i]->id, arenas[i - 1]->id + 1);
  }
  for (MfArenaHeader* arena : arenas) arena_destroy(arena);
}

TEST(ArenaCreate, SizeZeroReturnsNullAndUsesNoId) {
  const std::uint64_t before = next_id();
  EXPECT_EQ(arena_create(0), nullptr);
  EXPECT_EQ(next_id(), before + 1);  // only next_id's own probe used an id
}

// 32 + size must not wrap: a wrapped size would be small enough for mem_alloc
// to succeed (2^64 - 1 would ask for 31 bytes), so these fail only if checked.
TEST(ArenaCreate, SizeWhoseHeaderArithmeticOverflowsReturnsNullAndUsesNoId) {
  const std::uint64_t before = next_id();
  for (std::uint64_t size : {kMax, kMax - 7, kMax - 8, kMax - 15, kMax - 30, kMax - 31}) {
    EXPECT_EQ(arena_create(size), nullptr) << size;  // 2^64-1 .. 2^64-32
  }
  EXPECT_EQ(next_id(), before + 1);
}

// 2^64 - 33 and 2^63 pass the header check, then mem_alloc refuses them.
TEST(ArenaCreate, FailedMemAllocReturnsNullAndUsesNoId) {
  const std::uint64_t before = next_id();
  const std::uint64_t pages = mem_page_count();
  for (std::uint64_t size : {kMax - 32, std::uint64_t{1} << 63, std::uint64_t{1} << 41}) {
    EXPECT_EQ(arena_create(size), nullptr) << size;
  }
  EXPECT_EQ(mem_page_count(), pages);
  EXPECT_EQ(next_id(), before + 1);
}

// ---- arena_alloc ----

TEST(ArenaAlloc, FirstBlockIsStartAndBlocksFollowAtRound8) {
  MfArenaHeader* arena = arena_create(1024);
  ASSERT_NE(arena, nullptr);
  std::uint64_t expected = arena->start;
  for (std::uint64_t n : {1ull, 7ull, 8ull, 9ull, 15ull, 16ull, 17ull, 23ull, 24ull, 25ull}) {
    void* p = arena_alloc(arena, n);
    EXPECT_EQ(addr(p), expected) << n;
    expected += round8(n);
    EXPECT_EQ(arena->current, expected) << n;
    EXPECT_EQ(arena_get_usage(arena), expected - arena->start) << n;
  }
  arena_destroy(arena);
}

TEST(ArenaAlloc, EveryPointerIsEightAlignedAndItsBlockLiesInside) {
  MfArenaHeader* arena = arena_create(3001);
  ASSERT_NE(arena, nullptr);
  std::uint64_t n = 1;
  for (;;) {
    void* p = arena_alloc(arena, n);
    if (p == nullptr) break;
    EXPECT_EQ(addr(p) % ARENA_ALIGN, 0u) << n;
    EXPECT_GE(addr(p), arena->start);
    EXPECT_LE(addr(p) + n, arena->end);
    EXPECT_LE(addr(p) + round8(n), arena->end);
    n = n % 37 + 3;  // a mix of sizes, most not multiples of 8
  }
  EXPECT_LT(arena->end - arena->current, round8(n));  // it stopped only when full
  arena_destroy(arena);
}

TEST(ArenaAlloc, ZeroBytesReturnsNullAndChangesNothing) {
  MfArenaHeader* arena = arena_create(64);
  ASSERT_NE(arena, nullptr);
  ASSERT_NE(arena_alloc(arena, 8), nullptr);
  const MfArenaHeader before = *arena;
  EXPECT_EQ(arena_alloc(arena, 0), nullptr);
  EXPECT_TRUE(same_header(*arena, before));
  arena_destroy(arena);
}

TEST(ArenaAlloc, SizeWhoseRound8OverflowsReturnsNullAndChangesNothing) {
  MfArenaHeader* arena = arena_create(64);
  ASSERT_NE(arena, nullptr);
  const MfArenaHeader before = *arena;
  for (std::uint64_t n = kMax - 6; n != 0; ++n) {  // 2^64-7 .. 2^64-1
    EXPECT_EQ(arena_alloc(arena, n), nullptr) << n;
  }
  EXPECT_TRUE(same_header(*arena, before));
  arena_destroy(arena);
}

// Sizes that round fine but can never fit: a bug that adds before comparing
// would wrap current past end.
TEST(ArenaAlloc, HugeSizesThatDoNotFitReturnNullAndChangeNothing) {
  MfArenaHeader* arena = arena_create(64);
  ASSERT_NE(arena, nullptr);
  ASSERT_NE(arena_alloc(arena, 8), nullptr);
  const MfArenaHeader before = *arena;
  for (std::uint64_t n : {kMax - 7, kMax - 8, kMax - 31, kMax - 32, std::uint64_t{1} << 63,
                          (std::uint64_t{1} << 63) + 1, kMax - arena->current + 1}) {
    EXPECT_EQ(arena_alloc(arena, n), nullptr) << n;
  }
  EXPECT_TRUE(same_header(*arena, before));
  arena_destroy(arena);
}

TEST(ArenaAlloc, ExactFitSucceedsAndLeavesNoRoom) {
  MfArenaHeader* arena = arena_create(64);
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(addr(arena_alloc(arena, 64)), arena->start);
  EXPECT_EQ(arena->current, arena->end);
  EXPECT_EQ(arena_get_usage(arena), 64u);
  const MfArenaHeader full = *arena;
  EXPECT_EQ(arena_alloc(arena, 1), nullptr);
  EXPECT_TRUE(same_header(*arena, full));
  arena_destroy(arena);
}

TEST(ArenaAlloc, OneByteOverReturnsNullAndChangesNothing) {
  MfArenaHeader* arena = arena_create(64);
  ASSERT_NE(arena, nullptr);
  const MfArenaHeader before = *arena;
  EXPECT_EQ(arena_alloc(arena, 65), nullptr);
  EXPECT_TRUE(same_header(*arena, before));
  ASSERT_NE(arena_alloc(arena, 40), nullptr);
  const MfArenaHeader partly_used = *arena;
  EXPECT_EQ(arena_alloc(arena, 25), nullptr);  // Round8 = 32 > 24 left
  EXPECT_TRUE(same_header(*arena, partly_used));
  EXPECT_NE(arena_alloc(arena, 24), nullptr);  // what is left still fits
  EXPECT_EQ(arena->current, arena->end);
  arena_destroy(arena);
}

// A capacity that is not a multiple of 8 cannot be used up to its last byte:
// the rounded request is what must fit.
TEST(ArenaAlloc, RoundedRequestMustFitNotTheRawOne) {
  MfArenaHeader* arena = arena_create(60);
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(arena_alloc(arena, 60), nullptr);  // Round8 = 64 > 60
  EXPECT_EQ(arena_get_usage(arena), 0u);
  EXPECT_NE(arena_alloc(arena, 56), nullptr);
  EXPECT_EQ(arena_alloc(arena, 1), nullptr);  // Round8 = 8 > 4 left
  EXPECT_EQ(arena_alloc(arena, 4), nullptr);
  EXPECT_EQ(arena_get_usage(arena), 56u);
  arena_destroy(arena);
}

TEST(ArenaAlloc, BlocksDoNotOverlap) {
  MfArenaHeader* arena = arena_create(256);
  ASSERT_NE(arena, nullptr);
  auto* a = static_cast<unsigned char*>(arena_alloc(arena, 13));
  auto* b = static_cast<unsigned char*>(arena_alloc(arena, 13));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  for (int i = 0; i < 13; ++i) a[i] = 0xAA;
  for (int i = 0; i < 13; ++i) b[i] = 0xBB;
  for (int i = 0; i < 13; ++i) EXPECT_EQ(a[i], 0xAA) << i;
  arena_destroy(arena);
}

// ---- arena_reset, arena_get_usage, arena_get_capacity ----

TEST(ArenaReset, SetsCurrentToStartSoMemoryIsHandedOutAgain) {
  MfArenaHeader* arena = arena_create(128);
  ASSERT_NE(arena, nullptr);
  void* first = arena_alloc(arena, 100);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(arena_alloc(arena, 100), nullptr);
  const MfArenaHeader before = *arena;
  arena_reset(arena);
  EXPECT_EQ(arena->current, arena->start);
  EXPECT_EQ(arena->start, before.start);
  EXPECT_EQ(arena->end, before.end);
  EXPECT_EQ(arena->id, before.id);
  EXPECT_EQ(arena_get_usage(arena), 0u);
  EXPECT_EQ(arena_alloc(arena, 100), first);
  arena_destroy(arena);
}

TEST(ArenaUsage, IsCurrentMinusStart) {
  MfArenaHeader* arena = arena_create(200);
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(arena_get_usage(arena), 0u);
  arena_alloc(arena, 3);
  EXPECT_EQ(arena_get_usage(arena), 8u);
  arena_alloc(arena, 50);
  EXPECT_EQ(arena_get_usage(arena), 64u);
  EXPECT_EQ(arena_get_usage(arena), arena->current - arena->start);
  arena_destroy(arena);
}

TEST(ArenaCapacity, IsExactlyTheSizeGivenToCreateWhateverIsUsed) {
  for (std::uint64_t size : {1ull, 13ull, 64ull, 8191ull, 70000ull}) {
    MfArenaHeader* arena = arena_create(size);
    ASSERT_NE(arena, nullptr);
    EXPECT_EQ(arena_get_capacity(arena), size);
    arena_alloc(arena, 1);
    EXPECT_EQ(arena_get_capacity(arena), size);
    arena_reset(arena);
    EXPECT_EQ(arena_get_capacity(arena), size);
    arena_destroy(arena);
  }
}

// ---- arena_destroy ----

// mem_free exits 111 unless given the size arena_create asked for, so a
// destroy that returns at all freed 32 + capacity; a large arena has a page
// of its own, which goes back to the OS.
TEST(ArenaDestroy, FreesTheBlockOfTheSizeCreateAskedFor) {
  for (std::uint64_t size : {1ull, 8ull, 1000ull, 8160ull, 8161ull, 100000ull}) {
    MfArenaHeader* arena = arena_create(size);
    ASSERT_NE(arena, nullptr);
    arena_alloc(arena, size);
    arena_destroy(arena);
  }
  const std::uint64_t pages = mem_page_count();
  MfArenaHeader* large = arena_create(200000);
  ASSERT_NE(large, nullptr);
  EXPECT_EQ(mem_page_count(), pages + 1);
  arena_destroy(large);
  EXPECT_EQ(mem_page_count(), pages);
}

TEST(ArenaDestroy, FreedBlockIsReusedByTheNextArena) {
  MfArenaHeader* first = arena_create(424);  // a size class no other test uses
  ASSERT_NE(first, nullptr);
  arena_destroy(first);
  MfArenaHeader* second = arena_create(424);
  EXPECT_EQ(second, first);
  EXPECT_EQ(second->current, second->start);  // a fresh header, not the old one
  arena_destroy(second);
}

TEST(ArenaDestroyDeathTest, SecondDestroyExits111) {
  EXPECT_EXIT(
      {
        MfArenaHeader* keep = arena_create(936);  // keeps the slab mapped
        MfArenaHeader* arena = arena_create(936);
        arena_destroy(arena);
        arena_destroy(arena);
        arena_destroy(keep);
      },
      ::testing::ExitedWithCode(111), "morph: out-of-bounds access in mem_free \\(exit 111\\)");
}

// ---- NULL arenas ----

TEST(ArenaDeathTest, NullArenaInAllocExits110) {
  EXPECT_EXIT(arena_alloc(nullptr, 8), ::testing::ExitedWithCode(110),
              "morph: NULL pointer dereference in arena_alloc \\(exit 110\\)");
}

TEST(ArenaDeathTest, NullArenaInAllocOfZeroBytesExits110) {
  EXPECT_EXIT(arena_alloc(nullptr, 0), ::testing::ExitedWithCode(110),
              "NULL pointer dereference in arena_alloc");
}

TEST(ArenaDeathTest, NullArenaInResetExits110) {
  EXPECT_EXIT(arena_reset(nullptr), ::testing::ExitedWithCode(110),
              "morph: NULL pointer dereference in arena_reset \\(exit 110\\)");
}

TEST(ArenaDeathTest, NullArenaInGetUsageExits110) {
  EXPECT_EXIT(arena_get_usage(nullptr), ::testing::ExitedWithCode(110),
              "morph: NULL pointer dereference in arena_get_usage \\(exit 110\\)");
}

TEST(ArenaDeathTest, NullArenaInGetCapacityExits110) {
  EXPECT_EXIT(arena_get_capacity(nullptr), ::testing::ExitedWithCode(110),
              "morph: NULL pointer dereference in arena_get_capacity \\(exit 110\\)");
}

TEST(ArenaDeathTest, NullArenaInDestroyExits110) {
  EXPECT_EXIT(arena_destroy(nullptr), ::testing::ExitedWithCode(110),
              "morph: NULL pointer dereference in arena_destroy \\(exit 110\\)");
}

}  // namespace
