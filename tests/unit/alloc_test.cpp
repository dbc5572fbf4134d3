// The page allocator (asm/alloc.s) against docs/spec.md, "The page
// allocator", in native mode (real mmap/munmap/time through asm/os.s).
//
// The allocator's state is global to the process and shared by every test of
// this binary, so tests measure deltas (page count before/after, pages that
// are new to the test) and free everything they allocate.  Death tests run in
// a forked child, so whatever they do to the state is not seen here.

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <set>
#include <utility>
#include <vector>

#include "morph_abi.h"

namespace {

namespace L = mf::layout;

constexpr std::uint64_t kTiB = std::uint64_t{1} << 40;
constexpr const char* kNullExit = "morph: NULL pointer dereference in mem_free \\(exit 110\\)";
constexpr const char* kBoundsExit = "morph: out-of-bounds access in mem_free \\(exit 111\\)";

constexpr std::uint64_t round_up(std::uint64_t n, std::uint64_t to) { return (n + to - 1) / to * to; }

// The documented class of a small request and its block size.
constexpr std::uint64_t class_of(std::uint64_t n) {
  if (n <= 1024) return (n + 15) / 16 - 1;
  if (n <= 2048) return 64;
  if (n <= 4096) return 65;
  return 66;
}
constexpr std::uint64_t block_size_of(std::uint64_t n) {
  return n <= 1024 ? round_up(n, 16) : (n <= 2048 ? 2048 : (n <= 4096 ? 4096 : 8192));
}
constexpr std::uint64_t blocks_per_slab(std::uint64_t block_size) {
  return (L::SLAB_SIZE - L::SLAB_BLOCKS_OFFSET) / block_size;
}

std::uint64_t field(const void* page, std::uint64_t offset) {
  std::uint64_t value;
  std::memcpy(&value, static_cast<const char*>(page) + offset, sizeof value);
  return value;
}

std::uintptr_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

std::vector<const MfPageHeader*> live_pages() {
  std::vector<const MfPageHeader*> pages;
  for (const MfPageHeader* page = mem_page_list_head(); page != nullptr; page = page->next) {
    pages.push_back(page);
  }
  return pages;
}

bool on_list(const void* page) {
  for (const MfPageHeader* p : live_pages()) {
    if (p == page) return true;
  }
  return false;
}

// The live page whose mapping holds p, or nullptr.
const MfPageHeader* page_of(const void* p) {
  for (const MfPageHeader* page : live_pages()) {
    if (addr(p) >= addr(page) && addr(p) - addr(page) < page->page_size) return page;
  }
  return nullptr;
}

// Whether the OS still has a mapping at the page holding p (mincore fails
// with ENOMEM on an unmapped range).
bool is_mapped(const void* p) {
  unsigned char residency;
  void* start = reinterpret_cast<void*>(addr(p) & ~std::uintptr_t{L::OS_PAGE_SIZE - 1});
  return mincore(start, L::OS_PAGE_SIZE, &residency) == 0;
}

bool bitmap_bit(const void* slab, std::uint64_t index) {
  const auto* bitmap = static_cast<const unsigned char*>(slab) + L::PAGE_BITMAP;
  return (bitmap[index / 8] >> (index % 8)) & 1;
}

std::uint64_t block_index(const void* slab, const void* block) {
  return (addr(block) - addr(slab) - L::SLAB_BLOCKS_OFFSET) / field(slab, L::PAGE_BLOCK_SIZE);
}

std::set<const void*> page_set() {
  std::set<const void*> pages;
  for (const MfPageHeader* page : live_pages()) pages.insert(page);
  return pages;
}

// Allocates blocks of n bytes until one is the first block of a slab that did
// not exist before; that slab is then the only open slab of n's class and
// holds exactly one live block.  Returns the blocks allocated before it (the caller
// frees them) and the fresh block.
std::pair<std::vector<void*>, void*> fresh_slab_block(std::uint64_t n) {
  const std::set<const void*> before = page_set();
  std::vector<void*> others;
  for (;;) {
    void* p = mem_alloc(n);
    if (p == nullptr) return {others, nullptr};
    const MfPageHeader* page = page_of(p);
    if (before.count(page) == 0 && addr(p) == addr(page) + L::SLAB_BLOCKS_OFFSET) return {others, p};
    others.push_back(p);
  }
}

// ---- mem_alloc: requests that return 0 ----

TEST(MemAlloc, ZeroAndOversizeReturnNullAndChangeNothing) {
  const std::uint64_t count = mem_page_count();
  const MfPageHeader* head = mem_page_list_head();
  for (std::uint64_t n : {std::uint64_t{0}, kTiB + 1, kTiB + 16, std::uint64_t{1} << 63, ~std::uint64_t{0}}) {
    EXPECT_EQ(mem_alloc(n), nullptr) << n;
    EXPECT_EQ(mem_page_count(), count) << n;
    EXPECT_EQ(mem_page_list_head(), head) << n;
  }
}

TEST(MemAlloc, MaxRequestIsLargeNotRejected) {
  // 2^40 is the largest accepted request; the OS may refuse a 1 TiB mapping,
  // and then the result is 0 with nothing changed.
  const std::uint64_t count = mem_page_count();
  void* p = mem_alloc(kTiB);
  if (p == nullptr) {
    EXPECT_EQ(mem_page_count(), count);
    return;
  }
  const MfPageHeader* page = mem_page_list_head();
  EXPECT_EQ(addr(p), addr(page) + L::LARGE_USER_OFFSET);
  EXPECT_EQ(page->page_size, round_up(L::LARGE_USER_OFFSET + kTiB, L::OS_PAGE_SIZE));
  EXPECT_EQ(field(page, L::PAGE_BLOCK_SIZE), kTiB);
  EXPECT_EQ(mem_page_count(), count + 1);
  mem_free(p, kTiB);
  EXPECT_EQ(mem_page_count(), count);
}

// ---- alignment, classes and slab geometry ----

TEST(MemAlloc, EverySmallSizeGetsAnAlignedBlockOfItsClass) {
  std::vector<std::pair<std::uintptr_t, std::uint64_t>> blocks;  // address, size
  for (std::uint64_t n = 1; n <= L::SMALL_MAX; ++n) {
    void* p = mem_alloc(n);
    ASSERT_NE(p, nullptr) << n;
    EXPECT_EQ(addr(p) % L::MEM_ALIGN, 0u) << n;
    const MfPageHeader* page = page_of(p);
    ASSERT_NE(page, nullptr) << n;
    EXPECT_EQ(page->page_size, L::SLAB_SIZE) << n;
    EXPECT_EQ(field(page, L::PAGE_CLASS), class_of(n)) << n;
    EXPECT_EQ(field(page, L::PAGE_BLOCK_SIZE), block_size_of(n)) << n;
    const std::uint64_t offset = addr(p) - addr(page);
    EXPECT_GE(offset, L::SLAB_BLOCKS_OFFSET) << n;
    EXPECT_EQ((offset - L::SLAB_BLOCKS_OFFSET) % block_size_of(n), 0u) << n;
    EXPECT_LE(offset + block_size_of(n), L::SLAB_SIZE) << n;
    blocks.emplace_back(addr(p), n);
  }
  std::vector<std::pair<std::uintptr_t, std::uint64_t>> sorted = blocks;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    EXPECT_LE(sorted[i - 1].first + sorted[i - 1].second, sorted[i].first) << "blocks overlap";
  }
  for (const auto& [p, n] : blocks) mem_free(reinterpret_cast<void*>(p), n);
}

TEST(MemAlloc, LargeBlocksHaveTheirOwnAlignedMapping) {
  for (std::uint64_t n : {L::SMALL_MAX + 1, std::uint64_t{8208}, std::uint64_t{10000}, std::uint64_t{65536},
                          std::uint64_t{1} << 20, (std::uint64_t{1} << 24) + 5}) {
    const std::uint64_t count = mem_page_count();
    void* p = mem_alloc(n);
    ASSERT_NE(p, nullptr) << n;
    const MfPageHeader* page = mem_page_list_head();
    EXPECT_EQ(addr(p) % L::MEM_ALIGN, 0u) << n;
    EXPECT_EQ(addr(p), addr(page) + L::LARGE_USER_OFFSET) << n;
    EXPECT_EQ(page->page_size, round_up(L::LARGE_USER_OFFSET + n, L::OS_PAGE_SIZE)) << n;
    EXPECT_EQ(field(page, L::PAGE_BLOCK_SIZE), round_up(n, 16)) << n;
    EXPECT_EQ(field(page, L::PAGE_LIVE), 1u) << n;
    EXPECT_EQ(field(page, L::PAGE_FREE_HEAD), 0u) << n;
    EXPECT_EQ(field(page, L::PAGE_BUMP), 0u) << n;
    EXPECT_EQ(field(page, L::PAGE_CLASS), L::PAGE_CLASS_LARGE) << n;
    EXPECT_EQ(field(page, L::PAGE_RECIP), 0u) << n;
    EXPECT_EQ(mem_page_count(), count + 1) << n;
    std::memset(p, 0xA5, n);  // the whole block is usable
    mem_free(p, n);
    EXPECT_EQ(mem_page_count(), count) << n;
  }
}

TEST(SizeClasses, BoundariesPickTheDocumentedClass) {
  struct Case {
    std::uint64_t n, cls, block_size;
  };
  const Case cases[] = {{1, 0, 16},         {16, 0, 16},        {17, 1, 32},        {1024, 63, 1024},
                        {1025, 64, 2048},   {2048, 64, 2048},   {2049, 65, 4096},   {4096, 65, 4096},
                        {4097, 66, 8192},   {8192, 66, 8192}};
  for (const Case& c : cases) {
    void* p = mem_alloc(c.n);
    ASSERT_NE(p, nullptr) << c.n;
    const MfPageHeader* page = page_of(p);
    ASSERT_NE(page, nullptr) << c.n;
    EXPECT_EQ(field(page, L::PAGE_CLASS), c.cls) << c.n;
    EXPECT_EQ(field(page, L::PAGE_BLOCK_SIZE), c.block_size) << c.n;
    mem_free(p, c.n);
  }
  void* large = mem_alloc(8193);
  ASSERT_NE(large, nullptr);
  const MfPageHeader* page = mem_page_list_head();
  EXPECT_EQ(field(page, L::PAGE_CLASS), L::PAGE_CLASS_LARGE);
  EXPECT_EQ(field(page, L::PAGE_BLOCK_SIZE), 8208u);
  mem_free(large, 8193);
}

TEST(SizeClasses, FreeAcceptsAnySizeOfTheSameClass) {
  void* p = mem_alloc(17);
  ASSERT_NE(p, nullptr);
  mem_free(p, 32);
  EXPECT_EQ(mem_alloc(32), p) << "the block went back to class 1";
  mem_free(p, 20);

  void* q = mem_alloc(1025);
  ASSERT_NE(q, nullptr);
  mem_free(q, 2048);

  const std::uint64_t count = mem_page_count();
  void* large = mem_alloc(8193);
  ASSERT_NE(large, nullptr);
  mem_free(large, 8208);  // Round16(8193) = Round16(8208)
  EXPECT_EQ(mem_page_count(), count);
}

TEST(Slab, HeaderFieldsAndBitmapFollowTheBlocks) {
  const std::uint64_t n = 100;  // class 6, block size 112
  void* p = mem_alloc(n);
  ASSERT_NE(p, nullptr);
  const MfPageHeader* slab = page_of(p);
  ASSERT_NE(slab, nullptr);
  const std::uint64_t bs = block_size_of(n);
  EXPECT_EQ(slab->page_size, L::SLAB_SIZE);
  EXPECT_EQ(field(slab, L::PAGE_CLASS), class_of(n));
  EXPECT_EQ(field(slab, L::PAGE_BLOCK_SIZE), bs);
  EXPECT_EQ(field(slab, L::PAGE_RECIP), ((std::uint64_t{1} << 32) + bs - 1) / bs);
  EXPECT_GT(field(slab, L::PAGE_BUMP), addr(p));
  EXPECT_LE(field(slab, L::PAGE_BUMP), addr(slab) + L::SLAB_SIZE);
  EXPECT_EQ((field(slab, L::PAGE_BUMP) - addr(slab) - L::SLAB_BLOCKS_OFFSET) % bs, 0u);
  const std::uint64_t live = field(slab, L::PAGE_LIVE);
  EXPECT_GE(live, 1u);
  EXPECT_FALSE(bitmap_bit(slab, block_index(slab, p))) << "a live block is not marked free";

  void* q = mem_alloc(n);  // keeps the slab live after p is freed
  ASSERT_NE(q, nullptr);
  const MfPageHeader* q_slab = page_of(q);
  mem_free(p, n);
  EXPECT_TRUE(bitmap_bit(slab, block_index(slab, p)));
  EXPECT_EQ(field(slab, L::PAGE_FREE_HEAD), addr(p));
  EXPECT_EQ(field(slab, L::PAGE_LIVE), live - (q_slab == slab ? 0 : 1));

  EXPECT_EQ(mem_alloc(n), p);
  EXPECT_FALSE(bitmap_bit(slab, block_index(slab, p)));
  mem_free(p, n);
  mem_free(q, n);
}

TEST(Slab, AFullSlabHandsOutEachBlockOnceWhileLive) {
  const std::uint64_t n = 16;
  const std::uint64_t per_slab = blocks_per_slab(n);
  ASSERT_EQ(per_slab, 4057u);
  const std::set<const void*> before = page_set();
  std::vector<void*> blocks;
  for (std::uint64_t i = 0; i < 2 * per_slab + 10; ++i) {
    void* p = mem_alloc(n);
    ASSERT_NE(p, nullptr) << i;
    std::memset(p, static_cast<int>(i & 0xFF), n);
    blocks.push_back(p);
  }
  for (std::uint64_t i = 0; i < blocks.size(); ++i) {
    const auto* bytes = static_cast<const unsigned char*>(blocks[i]);
    for (std::uint64_t k = 0; k < n; ++k) ASSERT_EQ(bytes[k], i & 0xFF) << "block " << i << " was overwritten";
  }
  std::vector<void*> sorted = blocks;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 1; i < sorted.size(); ++i) EXPECT_GE(addr(sorted[i]) - addr(sorted[i - 1]), n);

  // Each slab mapped during the loop and then filled holds exactly per_slab of
  // our blocks: none is skipped, none is given twice.
  std::vector<std::uint64_t> ours_per_new_slab;
  for (const MfPageHeader* page : live_pages()) {
    if (before.count(page) != 0 || field(page, L::PAGE_CLASS) != class_of(n)) continue;
    std::uint64_t ours = 0;
    for (void* p : blocks) ours += page_of(p) == page;
    EXPECT_LE(ours, per_slab);
    EXPECT_EQ(field(page, L::PAGE_LIVE), ours);
    ours_per_new_slab.push_back(ours);
  }
  EXPECT_GE(std::count(ours_per_new_slab.begin(), ours_per_new_slab.end(), per_slab), 1);
  for (void* p : blocks) mem_free(p, n);
}

// ---- reuse ----

TEST(Reuse, FreedBlocksComeBackLastInFirstOut) {
  void* a = mem_alloc(48);
  void* b = mem_alloc(48);
  void* c = mem_alloc(48);
  ASSERT_TRUE(a && b && c);
  EXPECT_TRUE(a != b && b != c && a != c);
  const std::uint64_t count = mem_page_count();
  mem_free(a, 48);
  mem_free(b, 48);
  EXPECT_EQ(mem_alloc(48), b);
  EXPECT_EQ(mem_alloc(48), a);
  EXPECT_EQ(mem_page_count(), count) << "reuse maps nothing";
  mem_free(a, 48);
  mem_free(b, 48);
  mem_free(c, 48);
}

// Slabs of 8192-byte blocks (7 each) a and b, full, mapped by the test, and
// the blocks of each; c, the open slab after them, holds the last block.
struct ThreeSlabs {
  std::vector<void*> a, b, c;
};
ThreeSlabs three_slabs() {
  const std::uint64_t n = L::SMALL_MAX;
  ThreeSlabs t;
  // A fresh slab: the class's open list is then that slab alone.
  auto [others, p] = fresh_slab_block(n);
  t.c = others;  // freed by the caller, last
  if (p == nullptr) return t;
  t.a.push_back(p);
  for (std::uint64_t i = 1; i < 7; ++i) t.a.push_back(mem_alloc(n));
  for (std::uint64_t i = 0; i < 7; ++i) t.b.push_back(mem_alloc(n));
  t.c.push_back(mem_alloc(n));
  return t;
}

TEST(Reuse, EmptySlabThatIsNotFirstOpenIsReleasedAndKept) {
  const std::uint64_t n = L::SMALL_MAX;
  ASSERT_EQ(blocks_per_slab(n), 7u);
  mem_trim();  // nothing kept: the next released page is kept whatever the budget
  ThreeSlabs t = three_slabs();
  ASSERT_EQ(t.a.size(), 7u);
  const MfPageHeader* a = page_of(t.a[0]);
  const MfPageHeader* b = page_of(t.b[0]);
  ASSERT_NE(a, b);
  const std::uint64_t count = mem_page_count();
  // a opens (first), then b opens ahead of it: a is no longer first.
  for (std::size_t i = 1; i < t.a.size(); ++i) mem_free(t.a[i], n);
  EXPECT_EQ(field(a, L::SLAB_OPEN_PREV), 0u);
  mem_free(t.b[0], n);
  EXPECT_EQ(field(b, L::SLAB_OPEN_NEXT), addr(a));
  EXPECT_EQ(field(a, L::SLAB_OPEN_PREV), addr(b));
  mem_free(t.a[0], n);  // a empties behind b: released, kept
  EXPECT_EQ(mem_page_count(), count - 1);
  EXPECT_FALSE(on_list(a));
  EXPECT_TRUE(is_mapped(a));
  EXPECT_EQ(field(b, L::SLAB_OPEN_NEXT), addr(page_of(t.c.back())));
  EXPECT_GE(mem_trim(), L::SLAB_SIZE);
  EXPECT_FALSE(is_mapped(a));
  for (std::size_t i = 1; i < t.b.size(); ++i) mem_free(t.b[i], n);
  for (void* p : t.c) mem_free(p, n);
}

// The page map under load: thousands of pages make it double several times,
// and freeing them in a shuffled order removes entries from the middle of
// probe runs (the backward shift of unlink_page).  Every block must still be
// found by mem_free, and the list must count exactly the live pages.
TEST(PageMap, ThousandsOfPagesComeAndGoInAnyOrder) {
  const std::uint64_t count = mem_page_count();
  std::vector<std::pair<void*, std::uint64_t>> blocks;
  std::uint64_t seed = 0x2545F4914F6CDD1Du;
  auto next = [&seed] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  for (int round = 0; round < 3; ++round) {
    while (blocks.size() < 3000) {
      // Large blocks of 3 to 20 pages, and small ones of every class.
      const std::uint64_t n = next() % 4 == 0 ? 1 + next() % L::SMALL_MAX : L::SMALL_MAX + 1 + next() % 70000;
      void* p = mem_alloc(n);
      ASSERT_NE(p, nullptr) << n;
      blocks.emplace_back(p, n);
    }
    for (std::size_t i = blocks.size(); i > 1; --i) std::swap(blocks[i - 1], blocks[next() % i]);
    for (std::size_t i = 0; i < 2000; ++i) mem_free(blocks[i].first, blocks[i].second);
    blocks.erase(blocks.begin(), blocks.begin() + 2000);
    EXPECT_EQ(live_pages().size(), mem_page_count());
  }
  for (const auto& [p, n] : blocks) mem_free(p, n);
  EXPECT_LE(mem_page_count(), count + L::NUM_CLASSES) << "at most one empty slab per class stays live";
  mem_trim();
}

TEST(Reuse, FirstOpenSlabStaysLiveWhenItBecomesEmpty) {
  const std::uint64_t n = 4000;  // class 65: few blocks, so a fresh slab comes soon
  auto [others, p] = fresh_slab_block(n);
  ASSERT_NE(p, nullptr);
  const MfPageHeader* slab = page_of(p);
  ASSERT_EQ(field(slab, L::PAGE_LIVE), 1u);
  const std::uint64_t count = mem_page_count();
  mem_free(p, n);
  EXPECT_EQ(mem_page_count(), count);
  EXPECT_TRUE(on_list(slab));
  EXPECT_TRUE(is_mapped(slab));
  EXPECT_EQ(field(slab, L::PAGE_LIVE), 0u);
  EXPECT_EQ(mem_alloc(n), p) << "the slab that stayed serves the next request";
  EXPECT_EQ(mem_page_count(), count);
  mem_free(p, n);
  for (void* q : others) mem_free(q, n);
}

TEST(Reuse, LargeBlockIsKeptOnFreeTakenBackAndTrimmed) {
  const std::uint64_t n = 3 * L::SMALL_MAX;
  mem_trim();  // nothing kept: the next freed page is kept whatever the budget
  const std::uint64_t count = mem_page_count();
  void* p = mem_alloc(n);
  ASSERT_NE(p, nullptr);
  const MfPageHeader* page = mem_page_list_head();
  EXPECT_EQ(mem_page_count(), count + 1);
  EXPECT_TRUE(is_mapped(page));
  mem_free(p, n);
  EXPECT_EQ(mem_page_count(), count);
  EXPECT_FALSE(on_list(page));
  EXPECT_TRUE(is_mapped(page));
  EXPECT_EQ(mem_alloc(n + 16), p) << "a request of the same page size takes the kept page back";
  const std::uint64_t size = field(page, L::PAGE_SIZE_FIELD);
  mem_free(p, n + 16);
  // The page, and the page map's table too when no page is live.
  const std::uint64_t released = mem_trim();
  EXPECT_TRUE(released == size || (mem_page_count() == 0 && released > size)) << released;
  EXPECT_FALSE(is_mapped(page));
}

// ---- the page list ----

TEST(PageList, NewPageHeaderHasTheSeedFields) {
  const MfPageHeader* old_head = mem_page_list_head();
  const std::uint64_t t0 = static_cast<std::uint64_t>(std::time(nullptr));
  void* p = mem_alloc(20000);
  const std::uint64_t t1 = static_cast<std::uint64_t>(std::time(nullptr));
  ASSERT_NE(p, nullptr);
  const MfPageHeader* page = mem_page_list_head();
  EXPECT_EQ(page->next, old_head);
  EXPECT_EQ(page->prev, nullptr);
  if (old_head != nullptr) EXPECT_EQ(old_head->prev, page);
  EXPECT_GE(page->timestamp, t0);
  EXPECT_LE(page->timestamp, t1);
  EXPECT_EQ(page->magic, L::PAGE_MAGIC_VALUE);
  EXPECT_EQ(std::memcmp(reinterpret_cast<const char*>(page) + L::PAGE_MAGIC, "VZOELFOX", 8), 0);
  EXPECT_EQ(page->reserved, 0u);
  EXPECT_EQ(page->page_size, round_up(L::LARGE_USER_OFFSET + 20000, L::OS_PAGE_SIZE));
  mem_free(p, 20000);
  EXPECT_EQ(mem_page_list_head(), old_head);
  if (old_head != nullptr) EXPECT_EQ(old_head->prev, nullptr);
}

void expect_consistent_list() {
  const std::uint64_t now = static_cast<std::uint64_t>(std::time(nullptr));
  const MfPageHeader* prev = nullptr;
  std::uint64_t length = 0;
  for (const MfPageHeader* page = mem_page_list_head(); page != nullptr; page = page->next) {
    ++length;
    ASSERT_LE(length, mem_page_count()) << "list longer than the count (or a cycle)";
    EXPECT_EQ(page->prev, prev);
    EXPECT_EQ(page->magic, L::PAGE_MAGIC_VALUE);
    EXPECT_EQ(page->reserved, 0u);
    EXPECT_LE(page->timestamp, now);
    EXPECT_GT(page->timestamp, 0u);
    EXPECT_EQ(page->page_size % L::OS_PAGE_SIZE, 0u);
    if (field(page, L::PAGE_CLASS) == L::PAGE_CLASS_LARGE) {
      EXPECT_EQ(field(page, L::PAGE_LIVE), 1u);
    } else {
      EXPECT_EQ(page->page_size, L::SLAB_SIZE);
      EXPECT_LT(field(page, L::PAGE_CLASS), L::NUM_CLASSES);
    }
    prev = page;
  }
  EXPECT_EQ(length, mem_page_count());
}

TEST(PageList, LinksAreConsistentAndCountMatchesLength) {
  expect_consistent_list();
  std::vector<std::pair<void*, std::uint64_t>> blocks;
  for (std::uint64_t n : {1, 200, 1000, 3000, 8192, 9000, 70000, 5, 8193}) {
    void* p = mem_alloc(n);
    ASSERT_NE(p, nullptr) << n;
    blocks.emplace_back(p, n);
    expect_consistent_list();
  }
  // Free from the middle of the list first, so unlinking has both neighbours.
  std::swap(blocks[0], blocks[6]);
  for (const auto& [p, n] : blocks) {
    mem_free(p, n);
    expect_consistent_list();
  }
}

// ---- mem_free: contract violations (each in a forked child) ----

TEST(MemFreeDeathTest, NullPointerExits110) {
  EXPECT_EXIT(mem_free(nullptr, 16), ::testing::ExitedWithCode(110), kNullExit);
  EXPECT_EXIT(mem_free(nullptr, 0), ::testing::ExitedWithCode(110), kNullExit) << "NULL is checked first";
  EXPECT_EXIT(mem_free(nullptr, 100000), ::testing::ExitedWithCode(110), kNullExit);
}

TEST(MemFreeDeathTest, DoubleFreeOfASmallBlockExits111) {
  void* p = mem_alloc(32);
  void* q = mem_alloc(32);  // keeps the slab alive
  ASSERT_TRUE(p && q);
  mem_free(p, 32);
  EXPECT_EXIT(mem_free(p, 32), ::testing::ExitedWithCode(111), kBoundsExit);
  mem_free(q, 32);
}

TEST(MemFreeDeathTest, DoubleFreeAfterTheSlabWasReusedExits111) {
  void* a = mem_alloc(64);
  void* b = mem_alloc(64);
  ASSERT_TRUE(a && b);
  mem_free(a, 64);
  mem_free(b, 64);
  EXPECT_EQ(mem_alloc(64), b);  // b is live again, a is still free
  EXPECT_EXIT(mem_free(a, 64), ::testing::ExitedWithCode(111), kBoundsExit);
  mem_free(b, 64);
}

TEST(MemFreeDeathTest, DoubleFreeOfALargeBlockExits111) {
  void* p = mem_alloc(50000);
  ASSERT_NE(p, nullptr);
  mem_free(p, 50000);
  EXPECT_EXIT(mem_free(p, 50000), ::testing::ExitedWithCode(111), kBoundsExit);
}

TEST(MemFreeDeathTest, WrongSizeClassExits111) {
  void* p16 = mem_alloc(16);
  void* p1025 = mem_alloc(1025);
  void* p4097 = mem_alloc(4097);
  void* large = mem_alloc(8193);  // class Round16 = 8208
  ASSERT_TRUE(p16 && p1025 && p4097 && large);
  EXPECT_EXIT(mem_free(p16, 17), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(p16, 8193), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(p1025, 1024), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(p1025, 2049), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(p4097, 4096), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(large, 8192), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(large, 8209), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(large, 8192 * 2), ::testing::ExitedWithCode(111), kBoundsExit);
  mem_free(p16, 16);
  mem_free(p1025, 1025);
  mem_free(p4097, 4097);
  mem_free(large, 8193);
}

TEST(MemFreeDeathTest, InteriorPointerExits111) {
  void* p = mem_alloc(48);
  void* large = mem_alloc(30000);
  ASSERT_TRUE(p && large);
  char* bytes = static_cast<char*>(p);
  EXPECT_EXIT(mem_free(bytes + 16, 48), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(bytes + 1, 48), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(bytes + 47, 48), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(static_cast<char*>(large) + 16, 30000), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(static_cast<char*>(large) - 16, 30000), ::testing::ExitedWithCode(111), kBoundsExit);
  mem_free(p, 48);
  mem_free(large, 30000);
}

TEST(MemFreeDeathTest, PointerIntoAHeaderOrTheBitmapExits111) {
  void* p = mem_alloc(16);
  void* large = mem_alloc(20000);
  ASSERT_TRUE(p && large);
  const char* slab = reinterpret_cast<const char*>(page_of(p));
  const char* large_page = reinterpret_cast<const char*>(page_of(large));
  for (std::uint64_t offset : {std::uint64_t{0}, L::PAGE_MAGIC, L::PAGE_BITMAP, L::SLAB_BLOCKS_OFFSET - 16}) {
    void* bad = const_cast<char*>(slab + offset);
    EXPECT_EXIT(mem_free(bad, 16), ::testing::ExitedWithCode(111), kBoundsExit) << offset;
  }
  EXPECT_EXIT(mem_free(const_cast<char*>(large_page), 20000), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(const_cast<char*>(large_page + 0x30), 20000), ::testing::ExitedWithCode(111),
              kBoundsExit);
  mem_free(p, 16);
  mem_free(large, 20000);
}

TEST(MemFreeDeathTest, StackPointerExits111) {
  alignas(16) char local[64] = {};
  EXPECT_EXIT(mem_free(local, 16), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(local, 50000), ::testing::ExitedWithCode(111), kBoundsExit);
}

alignas(16) char g_static_block[64];

TEST(MemFreeDeathTest, NeverAllocatedAddressExits111) {
  void* malloced = std::malloc(32);
  EXPECT_EXIT(mem_free(malloced, 32), ::testing::ExitedWithCode(111), kBoundsExit);
  std::free(malloced);
  EXPECT_EXIT(mem_free(g_static_block, 32), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(reinterpret_cast<void*>(0x1000), 16), ::testing::ExitedWithCode(111), kBoundsExit);
  // Below 64 KiB, for a class with or without an open slab.
  EXPECT_EXIT(mem_free(reinterpret_cast<void*>(L::SLAB_BLOCKS_OFFSET), 1008), ::testing::ExitedWithCode(111),
              kBoundsExit);
  EXPECT_EXIT(mem_free(reinterpret_cast<void*>(~std::uintptr_t{15}), 16), ::testing::ExitedWithCode(111),
              kBoundsExit);

  // A block of a live slab that was never handed out: the one at bump.
  void* p = mem_alloc(16);
  ASSERT_NE(p, nullptr);
  const MfPageHeader* slab = page_of(p);
  void* at_bump = reinterpret_cast<void*>(field(slab, L::PAGE_BUMP));
  ASSERT_LT(addr(at_bump), addr(slab) + L::SLAB_SIZE);
  EXPECT_EXIT(mem_free(at_bump, 16), ::testing::ExitedWithCode(111), kBoundsExit);
  mem_free(p, 16);
}

// docs/spec.md, mem_alloc: the free-list head is checked when it is popped.
// A write into a freed block replaces its link; the block is popped fine
// (it was freed properly), and the next mem_alloc of the class finds the
// written link at the head: it exits 111 before handing anything out.
struct CorruptLink {
  const char* name;
  // The link to write into the freed block b, from b and its slab's state.
  std::uint64_t (*link)(std::uint64_t b, const MfPageHeader* slab, std::uint64_t live_block);
};

void PrintTo(const CorruptLink& c, std::ostream* out) { *out << c.name; }

class MemAllocDeathTest : public ::testing::TestWithParam<CorruptLink> {};

TEST_P(MemAllocDeathTest, ACorruptFreeListHeadExits111) {
  constexpr std::uint64_t n = 48;
  const CorruptLink& c = GetParam();
  EXPECT_EXIT(
      {
        void* live = mem_alloc(n);
        void* b = mem_alloc(n);
        void* after = mem_alloc(n);  // keeps b off bump: b's slab has room after it
        mem_free(b, n);
        const MfPageHeader* slab = page_of(b);
        *static_cast<std::uint64_t*>(b) = c.link(addr(b), slab, addr(live));
        if (mem_alloc(n) != b) std::exit(3);  // b itself was a proper free block
        (void)after;
        mem_alloc(n);  // pops the written link
        std::exit(0);
      },
      ::testing::ExitedWithCode(111), "morph: out-of-bounds access in mem_alloc \\(exit 111\\)");
}

INSTANTIATE_TEST_SUITE_P(
    Links, MemAllocDeathTest,
    ::testing::Values(
        CorruptLink{"wild", [](std::uint64_t, const MfPageHeader*, std::uint64_t) -> std::uint64_t { return 0x12345678; }},
        CorruptLink{"interior", [](std::uint64_t b, const MfPageHeader*, std::uint64_t) { return b + 8; }},
        CorruptLink{"slab_header",
                    [](std::uint64_t, const MfPageHeader* slab, std::uint64_t) { return addr(slab) + L::PAGE_BITMAP; }},
        CorruptLink{"at_bump",
                    [](std::uint64_t, const MfPageHeader* slab, std::uint64_t) { return field(slab, L::PAGE_BUMP); }},
        CorruptLink{"live_block", [](std::uint64_t, const MfPageHeader*, std::uint64_t live) { return live; }},
        CorruptLink{"itself", [](std::uint64_t b, const MfPageHeader*, std::uint64_t) { return b; }}),
    [](const ::testing::TestParamInfo<CorruptLink>& info) { return std::string(info.param.name); });

TEST(MemFreeDeathTest, SlotPastTheLastBlockOfASlabExits111) {
  void* p = mem_alloc(L::SMALL_MAX);
  ASSERT_NE(p, nullptr);
  const char* slab = reinterpret_cast<const char*>(page_of(p));
  // 7 blocks of 8192 end at 0xE270; the tail up to 64 KiB is no block.
  void* tail = const_cast<char*>(slab + L::SLAB_BLOCKS_OFFSET + blocks_per_slab(L::SMALL_MAX) * L::SMALL_MAX);
  EXPECT_EXIT(mem_free(tail, L::SMALL_MAX), ::testing::ExitedWithCode(111), kBoundsExit);
  mem_free(p, L::SMALL_MAX);
}

TEST(MemFreeDeathTest, WildPointerIntoProtectedMemoryExits111WithoutFaulting) {
  void* guard = mmap(nullptr, L::OS_PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(guard, MAP_FAILED);
  EXPECT_EXIT(mem_free(guard, 16), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(mem_free(static_cast<char*>(guard) + L::LARGE_USER_OFFSET, 9000), ::testing::ExitedWithCode(111),
              kBoundsExit);
  munmap(guard, L::OS_PAGE_SIZE);
}

TEST(MemFreeDeathTest, SizeZeroOrOversizeExits111) {
  void* p = mem_alloc(16);
  void* large = mem_alloc(20000);
  ASSERT_TRUE(p && large);
  for (std::uint64_t n : {std::uint64_t{0}, kTiB + 1, ~std::uint64_t{0}}) {
    EXPECT_EXIT(mem_free(p, n), ::testing::ExitedWithCode(111), kBoundsExit) << n;
    EXPECT_EXIT(mem_free(large, n), ::testing::ExitedWithCode(111), kBoundsExit) << n;
  }
  mem_free(p, 16);
  mem_free(large, 20000);
}

TEST(MemFreeDeathTest, PageWithoutTheMagicExits111) {
  void* p = mem_alloc(16);
  void* large = mem_alloc(20000);
  ASSERT_TRUE(p && large);
  auto corrupt_magic_and_free = [](void* block, std::uint64_t n) {
    auto* page = const_cast<MfPageHeader*>(page_of(block));
    page->magic ^= 1;
    mem_free(block, n);
  };
  EXPECT_EXIT(corrupt_magic_and_free(p, 16), ::testing::ExitedWithCode(111), kBoundsExit);
  EXPECT_EXIT(corrupt_magic_and_free(large, 20000), ::testing::ExitedWithCode(111), kBoundsExit);
  mem_free(p, 16);
  mem_free(large, 20000);
}

// ---- OS refusal (needs a forked child to limit the address space) ----

// In the child: fills a slab of the class of SMALL_MAX so that the next small
// request must map, then forbids any new mapping.  Both a small and a large
// request must then return 0 and change nothing, and a freed block must still
// be reusable.  Exits 0 when all holds, 1 (with the reason on stderr) if not.
void refusal_scenario() {
  const std::uint64_t n = L::SMALL_MAX;
  auto [others, first] = fresh_slab_block(n);
  if (first == nullptr) std::_Exit(2);
  std::vector<void*> fill;
  for (std::uint64_t i = 1; i < blocks_per_slab(n); ++i) fill.push_back(mem_alloc(n));

  unsigned long vm_pages = 0;
  FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr || std::fscanf(statm, "%lu", &vm_pages) != 1) std::_Exit(3);
  std::fclose(statm);
  const rlim_t limit = static_cast<rlim_t>(vm_pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE));
  const rlimit rl{limit, limit};
  if (setrlimit(RLIMIT_AS, &rl) != 0) std::_Exit(4);

  const std::uint64_t count = mem_page_count();
  const MfPageHeader* head = mem_page_list_head();
  const bool small_refused = mem_alloc(n) == nullptr;
  const bool large_refused = mem_alloc(100000) == nullptr;
  const bool unchanged = mem_page_count() == count && mem_page_list_head() == head;
  mem_free(fill.back(), n);
  const bool reused = mem_alloc(n) == fill.back();
  if (small_refused && large_refused && unchanged && reused) std::_Exit(0);
  std::fprintf(stderr, "small_refused=%d large_refused=%d unchanged=%d reused=%d\n", small_refused,
               large_refused, unchanged, reused);
  std::_Exit(1);
}

TEST(MemAllocDeathTest, OsRefusalReturnsNullAndChangesNothing) {
  EXPECT_EXIT(refusal_scenario(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
