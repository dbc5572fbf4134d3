// The pool allocator (asm/pool.s) against docs/spec.md, "The pool allocator",
// one rule per test, in native mode (the real OS shim).
//
// The page allocator is process-wide state shared by every test of this
// binary, so tests compare differences (the page count), never absolutes.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "morph_abi.h"

namespace {

using mf::layout::MEM_ALIGN;
using mf::layout::POOL_ALIGN;
using mf::layout::POOL_HDR_SIZE;

constexpr std::uint64_t kMax = ~std::uint64_t{0};  // 2^64 - 1
constexpr std::uint64_t kBit63 = std::uint64_t{1} << 63;

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uint64_t>(p); }
void* ptr(std::uint64_t a) { return reinterpret_cast<void*>(a); }

// The free bitmap that follows the slots: ceil(capacity / 64) quads.
const std::uint64_t* bitmap(const MfPoolHeader* pool) {
  return reinterpret_cast<const std::uint64_t*>(pool->end);
}
bool slot_marked_free(const MfPoolHeader* pool, std::uint64_t k) {
  return (bitmap(pool)[k / 64] >> (k % 64)) & 1;
}
std::uint64_t slot_of(const MfPoolHeader* pool, const void* obj) {
  return (addr(obj) - pool->start) / pool->obj_size;
}
// total = 48 + obj_size * capacity + 8 * ceil(capacity / 64), the block size.
std::uint64_t pool_total(std::uint64_t rounded_obj_size, std::uint64_t capacity) {
  return POOL_HDR_SIZE + rounded_obj_size * capacity + 8 * ((capacity + 63) / 64);
}

bool same_header(const MfPoolHeader& a, const MfPoolHeader& b) {
  return a.start == b.start && a.current == b.current && a.end == b.end &&
         a.obj_size == b.obj_size && a.free_head == b.free_head && a.reserved == b.reserved;
}

bool all_bytes_are(const void* p, std::uint64_t n, unsigned char value) {
  const auto* bytes = static_cast<const unsigned char*>(p);
  for (std::uint64_t i = 0; i < n; ++i) {
    if (bytes[i] != value) return false;
  }
  return true;
}

// ---- pool_create ----

TEST(PoolCreate, ObjectSizeBelowEightReturnsNull) {
  for (std::uint64_t obj_size : {0ull, 1ull, 7ull}) {
    EXPECT_EQ(pool_create(obj_size, 4), nullptr) << obj_size;
  }
  MfPoolHeader* pool = pool_create(8, 4);
  EXPECT_NE(pool, nullptr);
  pool_destroy(pool);
}

TEST(PoolCreate, CapacityZeroReturnsNull) {
  EXPECT_EQ(pool_create(8, 0), nullptr);
  EXPECT_EQ(pool_create(64, 0), nullptr);
}

TEST(PoolCreate, HeaderFieldsDescribeTheNewPool) {
  for (std::uint64_t capacity : {1ull, 3ull, 64ull, 65ull, 200ull}) {
    MfPoolHeader* pool = pool_create(24, capacity);
    ASSERT_NE(pool, nullptr) << capacity;
    EXPECT_EQ(addr(pool) % MEM_ALIGN, 0u);
    EXPECT_EQ(pool->start, addr(pool) + POOL_HDR_SIZE);
    EXPECT_EQ(pool->current, pool->start);
    EXPECT_EQ(pool->end, pool->start + 24 * capacity);
    EXPECT_EQ(pool->obj_size, 24u);
    EXPECT_EQ(pool->free_head, 0u);
    EXPECT_EQ(pool->reserved, 0u);
    pool_destroy(pool);
  }
}

TEST(PoolCreate, StoresTheObjectSizeRoundedUpToEight) {
  const std::uint64_t cases[][2] = {{8, 8},   {9, 16},  {15, 16}, {16, 16},
                                    {17, 24}, {63, 64}, {64, 64}, {65, 72}};
  for (const auto& c : cases) {
    MfPoolHeader* pool = pool_create(c[0], 5);
    ASSERT_NE(pool, nullptr) << c[0];
    EXPECT_EQ(pool->obj_size, c[1]) << c[0];
    EXPECT_EQ(pool->end - pool->start, c[1] * 5) << c[0];
    pool_destroy(pool);
  }
}

// The bitmap must be cleared even when the block is reused memory full of
// old data; the page allocator hands the last freed block of a class back
// first, so the pool lands on the block filled here.
TEST(PoolCreate, ZeroesTheBitmapOfReusedMemory) {
  const std::uint64_t capacity = 130;  // 3 bitmap quads, the last partly used
  const std::uint64_t total = pool_total(16, capacity);
  void* junk = mem_alloc(total);
  ASSERT_NE(junk, nullptr);
  std::memset(junk, 0xFF, total);
  mem_free(junk, total);
  MfPoolHeader* pool = pool_create(16, capacity);
  ASSERT_EQ(pool, junk) << "the test needs the freed block back";
  for (int q = 0; q < 3; ++q) EXPECT_EQ(bitmap(pool)[q], 0u) << q;
  EXPECT_EQ(pool->free_head, 0u);
  EXPECT_EQ(pool->reserved, 0u);
  pool_destroy(pool);
}

// Round8(obj_size) overflows for 2^64-7 .. 2^64-1: a wrapped obj_size would
// be 0 and the pool tiny, so these fail only if the rounding is checked.
TEST(PoolCreate, ObjectSizeWhoseRound8OverflowsReturnsNull) {
  for (std::uint64_t obj_size = kMax - 6; obj_size != 0; ++obj_size) {
    EXPECT_EQ(pool_create(obj_size, 1), nullptr) << obj_size;
  }
}

// 48 + obj_size * capacity wraps: with the wrap unchecked the totals would be
// small (2^64-8 + 48 = 40) and mem_alloc would succeed.
TEST(PoolCreate, HeaderPlusSlotsOverflowReturnsNull) {
  for (std::uint64_t obj_size : {kMax - 7, kMax - 8, kMax - 31, kMax - 32, kMax - 47}) {
    EXPECT_EQ(pool_create(obj_size, 1), nullptr) << obj_size;  // 2^64-8 .. 2^64-48
  }
  EXPECT_EQ(pool_create(8, (std::uint64_t{1} << 61) - 1), nullptr);
}

// obj_size * capacity >= 2^64: the low half alone would be a small total.
TEST(PoolCreate, SlotBytesOverflowReturnsNull) {
  EXPECT_EQ(pool_create(kBit63, 2), nullptr);          // exactly 2^64
  EXPECT_EQ(pool_create(kBit63 + 8, 2), nullptr);      // 2^64 + 16
  EXPECT_EQ(pool_create((1ull << 61) + 8, 8), nullptr);  // 2^64 + 64
  EXPECT_EQ(pool_create(8, 1ull << 61), nullptr);      // exactly 2^64
  EXPECT_EQ(pool_create(kMax - 7, kMax), nullptr);
}

// Only the bitmap's bytes push the total past 2^64, by a few bytes: capacity
// 64q with 48 + 520q = 2^64 + r for a small r > 0.
TEST(PoolCreate, BitmapBytesOverflowReturnsNull) {
  const std::uint64_t q = (kMax - 47) / 520 + 1;  // least q with 48 + 520q > 2^64 - 1
  const std::uint64_t capacity = 64 * q;
  const std::uint64_t wrapped_total = 48 + 520 * q;  // mod 2^64
  ASSERT_GT(wrapped_total, 0u);
  ASSERT_LT(wrapped_total, 520u);  // small: mem_alloc would accept it
  EXPECT_EQ(pool_create(8, capacity), nullptr);
}

// Totals that do not overflow but that the page allocator refuses.
TEST(PoolCreate, FailedMemAllocReturnsNullAndChangesNothing) {
  const std::uint64_t pages = mem_page_count();
  EXPECT_EQ(pool_create(8, std::uint64_t{1} << 40), nullptr);
  EXPECT_EQ(pool_create(kMax - 63, 1), nullptr);  // total 2^64 - 8
  EXPECT_EQ(pool_create(std::uint64_t{1} << 32, std::uint64_t{1} << 31), nullptr);
  EXPECT_EQ(mem_page_count(), pages);
}

// ---- pool_alloc ----

TEST(PoolAlloc, BumpsThroughTheSlotsInOrder) {
  MfPoolHeader* pool = pool_create(40, 4);
  ASSERT_NE(pool, nullptr);
  for (std::uint64_t k = 0; k < 4; ++k) {
    void* obj = pool_alloc(pool);
    EXPECT_EQ(addr(obj), pool->start + 40 * k) << k;
    EXPECT_EQ(addr(obj) % POOL_ALIGN, 0u);
    EXPECT_EQ(pool->current, pool->start + 40 * (k + 1));
  }
  EXPECT_EQ(pool->current, pool->end);
  pool_destroy(pool);
}

TEST(PoolAlloc, ExhaustedPoolReturnsNullAndChangesNothing) {
  MfPoolHeader* pool = pool_create(16, 3);
  ASSERT_NE(pool, nullptr);
  for (int i = 0; i < 3; ++i) ASSERT_NE(pool_alloc(pool), nullptr);
  const MfPoolHeader before = *pool;
  const std::uint64_t bits = bitmap(pool)[0];
  EXPECT_EQ(pool_alloc(pool), nullptr);
  EXPECT_EQ(pool_alloc(pool), nullptr);
  EXPECT_TRUE(same_header(*pool, before));
  EXPECT_EQ(bitmap(pool)[0], bits);
  pool_destroy(pool);
}

TEST(PoolAlloc, FreedObjectsComeBackLastInFirstOut) {
  MfPoolHeader* pool = pool_create(32, 8);
  ASSERT_NE(pool, nullptr);
  void* a = pool_alloc(pool);
  void* b = pool_alloc(pool);
  void* c = pool_alloc(pool);
  pool_free(pool, a);
  pool_free(pool, c);
  EXPECT_EQ(pool_alloc(pool), c);
  EXPECT_EQ(pool_alloc(pool), a);
  EXPECT_EQ(addr(pool_alloc(pool)), addr(c) + 32);  // list empty: bump again
  EXPECT_EQ(pool->free_head, 0u);
  (void)b;
  pool_destroy(pool);
}

// The sizes reach every way pool.s zeroes: quads (< 32), blocks of 32 with an
// overlapping last block, and rep stosb (from 1024); the neighbours on both
// sides show that no store lands outside the object.
TEST(PoolAlloc, EveryObjectIsZeroFilledEvenAfterReuse) {
  for (std::uint64_t obj_size : {8ull, 16ull, 24ull, 32ull, 40ull, 56ull, 64ull, 72ull, 96ull,
                                 200ull, 1016ull, 1024ull, 1032ull, 4096ull}) {
    MfPoolHeader* pool = pool_create(obj_size, 4);
    ASSERT_NE(pool, nullptr);
    // The block may be reused memory: make sure fresh slots start dirty.
    std::memset(ptr(pool->start), 0xCD, pool->end - pool->start);
    void* before = pool_alloc(pool);
    void* obj = pool_alloc(pool);
    void* after = pool_alloc(pool);
    EXPECT_TRUE(all_bytes_are(obj, obj_size, 0)) << obj_size << " fresh";
    EXPECT_TRUE(all_bytes_are(after, obj_size, 0)) << obj_size << " fresh";
    std::memset(before, 0xAB, obj_size);
    std::memset(obj, 0xAB, obj_size);
    std::memset(after, 0xAB, obj_size);
    pool_free(pool, obj);
    EXPECT_EQ(pool_alloc(pool), obj);
    EXPECT_TRUE(all_bytes_are(obj, obj_size, 0)) << obj_size << " reused";
    EXPECT_TRUE(all_bytes_are(before, obj_size, 0xAB)) << obj_size << " slot below touched";
    EXPECT_TRUE(all_bytes_are(after, obj_size, 0xAB)) << obj_size << " slot above touched";
    pool_destroy(pool);
  }
}

TEST(PoolAlloc, PoppingClearsTheSlotsBit) {
  MfPoolHeader* pool = pool_create(8, 130);
  ASSERT_NE(pool, nullptr);
  std::vector<void*> objs;
  for (int i = 0; i < 130; ++i) objs.push_back(pool_alloc(pool));
  pool_free(pool, objs[129]);
  pool_free(pool, objs[64]);
  EXPECT_TRUE(slot_marked_free(pool, 129));
  EXPECT_TRUE(slot_marked_free(pool, 64));
  EXPECT_EQ(pool_alloc(pool), objs[64]);
  EXPECT_FALSE(slot_marked_free(pool, 64));
  EXPECT_TRUE(slot_marked_free(pool, 129));
  EXPECT_EQ(pool_alloc(pool), objs[129]);
  EXPECT_EQ(bitmap(pool)[0], 0u);
  EXPECT_EQ(bitmap(pool)[1], 0u);
  EXPECT_EQ(bitmap(pool)[2], 0u);
  pool_destroy(pool);
}

// ---- pool_free ----

TEST(PoolFree, PushesTheObjectLinkingTheOldHeadAndSetsItsBit) {
  MfPoolHeader* pool = pool_create(16, 70);
  ASSERT_NE(pool, nullptr);
  std::vector<void*> objs;
  for (int i = 0; i < 70; ++i) objs.push_back(pool_alloc(pool));
  const MfPoolHeader before = *pool;
  pool_free(pool, objs[3]);
  EXPECT_EQ(pool->free_head, addr(objs[3]));
  EXPECT_EQ(*static_cast<std::uint64_t*>(objs[3]), 0u);  // old head: none
  pool_free(pool, objs[69]);
  EXPECT_EQ(pool->free_head, addr(objs[69]));
  EXPECT_EQ(*static_cast<std::uint64_t*>(objs[69]), addr(objs[3]));
  EXPECT_EQ(bitmap(pool)[0], std::uint64_t{1} << 3);
  EXPECT_EQ(bitmap(pool)[1], std::uint64_t{1} << (69 - 64));
  EXPECT_EQ(slot_of(pool, objs[69]), 69u);
  // Only the free list moved.
  EXPECT_EQ(pool->start, before.start);
  EXPECT_EQ(pool->current, before.current);
  EXPECT_EQ(pool->end, before.end);
  EXPECT_EQ(pool->obj_size, before.obj_size);
  pool_destroy(pool);
}

TEST(PoolFree, EverySlotCanBeFreedAndReallocated) {
  MfPoolHeader* pool = pool_create(24, 100);
  ASSERT_NE(pool, nullptr);
  std::vector<void*> objs;
  for (int i = 0; i < 100; ++i) objs.push_back(pool_alloc(pool));
  EXPECT_EQ(pool_alloc(pool), nullptr);
  for (void* obj : objs) pool_free(pool, obj);
  for (std::uint64_t k = 0; k < 100; ++k) EXPECT_TRUE(slot_marked_free(pool, k)) << k;
  for (int i = 99; i >= 0; --i) EXPECT_EQ(pool_alloc(pool), objs[i]);
  EXPECT_EQ(pool_alloc(pool), nullptr);
  pool_destroy(pool);
}

TEST(PoolFreeDeathTest, NullObjectExits110) {
  MfPoolHeader* pool = pool_create(16, 4);
  ASSERT_NE(pool, nullptr);
  EXPECT_EXIT(pool_free(pool, nullptr), ::testing::ExitedWithCode(110),
              "morph: NULL pointer dereference in pool_free \\(exit 110\\)");
  pool_destroy(pool);
}

TEST(PoolFreeDeathTest, NullPoolExits110) {
  MfPoolHeader* pool = pool_create(16, 4);
  ASSERT_NE(pool, nullptr);
  void* obj = pool_alloc(pool);
  EXPECT_EXIT(pool_free(nullptr, obj), ::testing::ExitedWithCode(110),
              "morph: NULL pointer dereference in pool_free \\(exit 110\\)");
  EXPECT_EXIT(pool_free(nullptr, nullptr), ::testing::ExitedWithCode(110),
              "NULL pointer dereference in pool_free");
  pool_destroy(pool);
}

// Each case frees one bad pointer in a pool with two objects handed out.
class PoolFreeBadPointerDeathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pool = pool_create(16, 8);
    ASSERT_NE(pool, nullptr);
    first = pool_alloc(pool);
    second = pool_alloc(pool);
  }
  void TearDown() override { pool_destroy(pool); }
  void expect_exit_111(std::uint64_t bad) {
    EXPECT_EXIT(pool_free(pool, ptr(bad)), ::testing::ExitedWithCode(111),
                "morph: out-of-bounds access in pool_free \\(exit 111\\)")
        << bad;
  }
  MfPoolHeader* pool = nullptr;
  void* first = nullptr;
  void* second = nullptr;
};

TEST_F(PoolFreeBadPointerDeathTest, BelowStartExits111) {
  expect_exit_111(pool->start - 16);
  expect_exit_111(pool->start - 1);
  expect_exit_111(addr(pool));  // the header itself
  expect_exit_111(1);
}

TEST_F(PoolFreeBadPointerDeathTest, AtOrAfterCurrentExits111) {
  expect_exit_111(pool->current);  // a slot never handed out
  expect_exit_111(pool->current + 16);
  expect_exit_111(pool->end);  // the bitmap
  expect_exit_111(kMax);
}

TEST_F(PoolFreeBadPointerDeathTest, InsideAnObjectExits111) {
  expect_exit_111(addr(first) + 8);  // a multiple of 8 but not of obj_size
  expect_exit_111(addr(first) + 1);
  expect_exit_111(addr(second) + 15);
}

TEST_F(PoolFreeBadPointerDeathTest, DoubleFreeOfTheHeadExits111) {
  pool_free(pool, first);
  expect_exit_111(addr(first));
}

TEST_F(PoolFreeBadPointerDeathTest, DoubleFreeBelowTheHeadExits111) {
  pool_free(pool, first);
  pool_free(pool, second);
  expect_exit_111(addr(first));
}

TEST_F(PoolFreeBadPointerDeathTest, FreeAfterReallocIsNotADoubleFree) {
  pool_free(pool, first);
  ASSERT_EQ(pool_alloc(pool), first);
  pool_free(pool, first);  // live again: a legal free
  EXPECT_EQ(pool->free_head, addr(first));
  expect_exit_111(addr(first));
}

// ---- pool_destroy ----

// mem_free exits 111 unless given the size pool_create asked for, so a destroy
// that returns at all computed the total; a large pool, with a page of its
// own, gives the page back to the OS.
// docs/spec.md, pool_alloc: the free head is checked before it is popped.
// A write into a freed object replaces its link; that object is popped
// fine (it was freed properly), and the next pool_alloc finds the written
// link at the head: it exits 111 before handing anything out.
struct CorruptPoolLink {
  const char* name;
  // The link to write into the freed object, from the pool and a live object.
  std::uint64_t (*link)(const MfPoolHeader* pool, std::uint64_t freed, std::uint64_t live);
};

void PrintTo(const CorruptPoolLink& c, std::ostream* out) { *out << c.name; }

class PoolAllocCorruptHeadDeathTest : public ::testing::TestWithParam<CorruptPoolLink> {};

TEST_P(PoolAllocCorruptHeadDeathTest, Exits111BeforeAnythingChanges) {
  const CorruptPoolLink& c = GetParam();
  EXPECT_EXIT(
      {
        MfPoolHeader* pool = pool_create(32, 8);
        void* live = pool_alloc(pool);
        void* freed = pool_alloc(pool);
        (void)pool_alloc(pool);  // current is past freed
        pool_free(pool, freed);
        *static_cast<std::uint64_t*>(freed) = c.link(pool, addr(freed), addr(live));
        if (pool_alloc(pool) != freed) std::exit(3);  // freed itself was a proper free slot
        // A child that survives the pop exits 0 (nothing changed) or 4.
        const MfPoolHeader before = *pool;
        const std::uint64_t bits = bitmap(pool)[0];
        pool_alloc(pool);
        std::exit(same_header(before, *pool) && bits == bitmap(pool)[0] ? 0 : 4);
      },
      ::testing::ExitedWithCode(111), "morph: out-of-bounds access in pool_alloc \\(exit 111\\)");
}

INSTANTIATE_TEST_SUITE_P(
    Links, PoolAllocCorruptHeadDeathTest,
    ::testing::Values(
        CorruptPoolLink{"wild", [](const MfPoolHeader*, std::uint64_t, std::uint64_t) -> std::uint64_t {
                          return 0x12345678;
                        }},
        CorruptPoolLink{"below_start",
                        [](const MfPoolHeader* pool, std::uint64_t, std::uint64_t) { return pool->start - 32; }},
        CorruptPoolLink{"inside_a_slot", [](const MfPoolHeader*, std::uint64_t freed, std::uint64_t) { return freed + 8; }},
        CorruptPoolLink{"at_current", [](const MfPoolHeader* pool, std::uint64_t, std::uint64_t) { return pool->current; }},
        CorruptPoolLink{"at_end", [](const MfPoolHeader* pool, std::uint64_t, std::uint64_t) { return pool->end; }},
        CorruptPoolLink{"live_object", [](const MfPoolHeader*, std::uint64_t, std::uint64_t live) { return live; }},
        CorruptPoolLink{"itself", [](const MfPoolHeader*, std::uint64_t freed, std::uint64_t) { return freed; }}),
    [](const ::testing::TestParamInfo<CorruptPoolLink>& info) { return std::string(info.param.name); });

TEST(PoolDestroy, FreesTheBlockOfTheSizeCreateAskedFor) {
  const std::uint64_t shapes[][2] = {{8, 1}, {9, 65}, {24, 64}, {24, 1000}, {4096, 300}, {7000, 3}};
  for (const auto& s : shapes) {
    MfPoolHeader* pool = pool_create(s[0], s[1]);
    ASSERT_NE(pool, nullptr) << s[0] << " x " << s[1];
    pool_free(pool, pool_alloc(pool));
    pool_destroy(pool);
  }
  const std::uint64_t pages = mem_page_count();
  MfPoolHeader* large = pool_create(64, 5000);
  ASSERT_NE(large, nullptr);
  EXPECT_EQ(mem_page_count(), pages + 1);
  pool_destroy(large);
  EXPECT_EQ(mem_page_count(), pages);
}

TEST(PoolDestroyDeathTest, SecondDestroyExits111) {
  EXPECT_EXIT(
      {
        MfPoolHeader* keep = pool_create(40, 20);  // keeps the slab mapped
        MfPoolHeader* pool = pool_create(40, 20);
        pool_destroy(pool);
        pool_destroy(pool);
        pool_destroy(keep);
      },
      ::testing::ExitedWithCode(111), "out-of-bounds access");
}

// total is computed from the header; a header whose obj_size reads 0 must
// reach mem_free as size 0 (exit 111), not fault dividing by zero.
TEST(PoolDestroyDeathTest, ZeroObjectSizeInTheHeaderExits111NotSigfpe) {
  EXPECT_EXIT(
      {
        MfPoolHeader* pool = pool_create(16, 4);
        pool->obj_size = 0;
        pool_destroy(pool);
      },
      ::testing::ExitedWithCode(111), "out-of-bounds access in mem_free");
}

// ---- NULL pools ----

TEST(PoolDeathTest, NullPoolInAllocExits110) {
  EXPECT_EXIT(pool_alloc(nullptr), ::testing::ExitedWithCode(110),
              "morph: NULL pointer dereference in pool_alloc \\(exit 110\\)");
}

TEST(PoolDeathTest, NullPoolInDestroyExits110) {
  EXPECT_EXIT(pool_destroy(nullptr), ::testing::ExitedWithCode(110),
              "morph: NULL pointer dereference in pool_destroy \\(exit 110\\)");
}

}  // namespace
