// The page allocator model against expectations computed by hand from
// docs/spec.md ("The page allocator").
#include <gtest/gtest.h>

#include "model.h"
#include "model_test_support.h"
#include "layout.h"

namespace mf::model {
namespace {

using namespace mf::model::testing;
constexpr std::uint64_t kSlab = 65536;
constexpr std::uint64_t kFirstBlock = 0x270;
constexpr std::uint64_t kMaxRequest = std::uint64_t{1} << 40;
constexpr std::uint64_t kMap = 4096;  // the first page-map table: 512 slots of 8 bytes

TEST(PageModel, FirstSmallAllocationMapsASlabWithTheSpecHeader) {
  Model m;
  m.os().set_time(1234);
  Outcome out = m.mem_alloc(1);
  expect_pointer(out, Addr::page(0, kFirstBlock));
  EXPECT_EQ(out.new_page, 0u);
  EXPECT_EQ(out.new_block, 0u);

  std::vector<PageView> pages = m.pages().live_pages();
  ASSERT_EQ(pages.size(), 1u);
  const PageView& v = pages[0];
  EXPECT_EQ(v.next, Addr::null());
  EXPECT_EQ(v.prev, Addr::null());
  EXPECT_EQ(v.timestamp, 1234u);
  EXPECT_EQ(v.page_size, kSlab);
  EXPECT_EQ(v.magic, 0x584F464C454F5A56u);
  EXPECT_EQ(v.reserved, 0u);
  EXPECT_EQ(v.block_size, 16u);
  EXPECT_EQ(v.live, 1u);
  EXPECT_EQ(v.free_head, Addr::null());
  EXPECT_EQ(v.bump, Addr::page(0, 0x280));
  EXPECT_EQ(v.class_index, 0u);
  EXPECT_EQ(v.recip, std::uint64_t{1} << 28);
  EXPECT_EQ(v.bitmap, std::vector<std::uint8_t>(512, 0));
  expect_number(m.mem_page_count(), 1);
  expect_pointer(m.mem_page_list_head(), Addr::page(0));
  EXPECT_EQ(m.os().mapped_bytes(), kMap + kSlab);  // the page map first, then the slab
  EXPECT_EQ(m.os().mmap_calls(), 2u);
  EXPECT_EQ(v.open_next, Addr::null());
  EXPECT_EQ(v.open_prev, Addr::null());
  expect_sound(m);
}

TEST(PageModel, SameClassBumpsAndANewClassMapsANewHeadPage) {
  Model m;
  expect_pointer(m.mem_alloc(1), Addr::page(0, 0x270));
  Outcome second = m.mem_alloc(16);
  expect_pointer(second, Addr::page(0, 0x280));
  EXPECT_FALSE(second.new_page.has_value());
  Outcome other = m.mem_alloc(17);  // class 1: its own slab
  expect_pointer(other, Addr::page(1, 0x270));
  EXPECT_EQ(other.new_page, 1u);
  EXPECT_EQ(m.pages().list(), (std::vector<PageHandle>{1, 0}));
  std::vector<PageView> pages = m.pages().live_pages();
  EXPECT_EQ(pages[0].next, Addr::page(0));
  EXPECT_EQ(pages[0].prev, Addr::null());
  EXPECT_EQ(pages[1].prev, Addr::page(1));
  EXPECT_EQ(pages[1].next, Addr::null());
  EXPECT_EQ(pages[0].block_size, 32u);
  expect_number(m.mem_page_count(), 2);
  expect_sound(m);
}

TEST(PageModel, A16ByteSlabHolds4057BlocksThenLeavesItsOpenList) {
  Model m;
  Outcome last;
  for (int i = 0; i < 4057; ++i) last = m.mem_alloc(16);
  expect_pointer(last, Addr::page(0, 0xFFF0));  // 0x270 + 4056 * 16
  EXPECT_EQ(m.pages().view(0).bump, Addr::page(0, kSlab));
  EXPECT_TRUE(m.pages().open_slabs(0).empty());  // full
  Outcome next = m.mem_alloc(16);
  expect_pointer(next, Addr::page(1, kFirstBlock));
  EXPECT_EQ(next.new_page, 1u);
  EXPECT_EQ(m.pages().open_slabs(0), (std::vector<PageHandle>{1}));
  expect_sound(m);
}

TEST(PageModel, An8192ByteSlabHoldsSevenBlocks) {
  Model m;
  for (std::uint64_t k = 0; k < 7; ++k) expect_pointer(m.mem_alloc(8192), Addr::page(0, kFirstBlock + k * 8192));
  expect_pointer(m.mem_alloc(4097), Addr::page(1, kFirstBlock));
  expect_sound(m);
}

TEST(PageModel, FreedBlocksComeBackLastInFirstOut) {
  Model m;
  Addr a = pointer_of(m.mem_alloc(16));
  Addr b = pointer_of(m.mem_alloc(16));
  Addr c = pointer_of(m.mem_alloc(16));
  expect_void(m.mem_free(a, 16));
  expect_void(m.mem_free(c, 1));  // any size of the same class
  PageView v = m.pages().view(0);
  EXPECT_EQ(v.free_head, c);
  EXPECT_EQ(v.live, 1u);
  EXPECT_EQ(v.bitmap[0], 0b101);  // blocks 0 and 2 free
  expect_sound(m);
  expect_pointer(m.mem_alloc(5), c);
  expect_pointer(m.mem_alloc(9), a);
  expect_pointer(m.mem_alloc(16), Addr::page(0, 0x2A0));  // then bump again
  EXPECT_EQ(m.pages().view(0).bitmap[0], 0);
  EXPECT_EQ(b, Addr::page(0, 0x280));
  expect_sound(m);
}

TEST(PageModel, TheEmptyFirstOpenSlabStaysLive) {
  Model m;
  Addr a = pointer_of(m.mem_alloc(100));
  Outcome freed = m.mem_free(a, 100);
  expect_void(freed);
  EXPECT_TRUE(freed.released_pages.empty());
  expect_number(m.mem_page_count(), 1);
  EXPECT_EQ(m.pages().view(0).live, 0u);
  expect_pointer(m.mem_alloc(100), a);  // no remap: the same block
  expect_sound(m);
}

TEST(PageModel, AnEmptySlabThatIsNotFirstOpenIsReleasedAndKept) {
  Model m;
  std::vector<Addr> first;
  for (int i = 0; i < 4057; ++i) first.push_back(pointer_of(m.mem_alloc(16)));
  Addr other = pointer_of(m.mem_alloc(16));  // page 0 full: page 1, open
  expect_pointer(Outcome::ptr(other), Addr::page(1, kFirstBlock));
  // The first free reopens page 0, at the head of the open list.
  expect_void(m.mem_free(first[0], 16));
  EXPECT_EQ(m.pages().open_slabs(0), (std::vector<PageHandle>{0, 1}));
  EXPECT_EQ(m.pages().view(0).open_next, Addr::page(1));
  EXPECT_EQ(m.pages().view(1).open_prev, Addr::page(0));
  for (std::size_t i = 1; i < first.size(); ++i) {
    Outcome out = m.mem_free(first[i], 16);
    ASSERT_TRUE(out.released_pages.empty());  // page 0 is first open: it stays, even empty
  }
  Outcome last = m.mem_free(other, 16);  // page 1 empties behind it: released
  EXPECT_EQ(last.released_pages, (std::vector<PageHandle>{1}));
  EXPECT_EQ(m.pages().list(), (std::vector<PageHandle>{0}));
  EXPECT_TRUE(m.pages().page(1).kept);  // nothing was kept yet: no budget needed
  EXPECT_EQ(m.pages().kept_bytes(), kSlab);
  EXPECT_EQ(m.os().mapped_bytes(), kMap + 2 * kSlab);
  EXPECT_EQ(m.os().munmap_calls(), 0u);
  expect_sound(m);
  expect_exit(m.mem_free(other, 16), 111);  // a pointer into a kept page is no block
}

TEST(PageModel, AFullSlabThatOpensReplacesAnEmptyFirstOpenSlab) {
  Model m;
  std::vector<Addr> a, b;
  for (int i = 0; i < 7; ++i) a.push_back(pointer_of(m.mem_alloc(8192)));  // page 0, full
  for (int i = 0; i < 7; ++i) b.push_back(pointer_of(m.mem_alloc(8192)));  // page 1, full
  for (Addr p : a) expect_void(m.mem_free(p, 8192));  // page 0 opens first, empties: stays
  EXPECT_EQ(m.pages().open_slabs(66), (std::vector<PageHandle>{0}));
  Outcome out = m.mem_free(b[0], 8192);                // page 1 opens: page 0 is released
  EXPECT_EQ(out.released_pages, (std::vector<PageHandle>{0}));
  EXPECT_EQ(m.pages().open_slabs(66), (std::vector<PageHandle>{1}));
  EXPECT_TRUE(m.pages().page(0).kept);
  expect_sound(m);
}

TEST(PageModel, AKeptSlabIsTakenBackByAnyClassBeforeTheOsIsAsked) {
  Model m;
  m.os().set_time(5);
  std::vector<Addr> first;
  for (int i = 0; i < 4057; ++i) first.push_back(pointer_of(m.mem_alloc(16)));
  Addr other = pointer_of(m.mem_alloc(16));  // page 1
  for (Addr a : first) m.mem_free(a, 16);    // page 0 reopens first: it stays
  m.mem_free(other, 16);                     // page 1 empties: kept
  ASSERT_TRUE(m.pages().page(1).kept);
  m.os().set_time(9);
  const std::uint64_t mmaps = m.os().mmap_calls();
  Outcome out = m.mem_alloc(3000);  // class 65: the kept slab, in a new record
  expect_pointer(out, Addr::page(2, kFirstBlock));
  EXPECT_EQ(out.new_page, 2u);
  EXPECT_EQ(m.os().mmap_calls(), mmaps);
  EXPECT_EQ(m.pages().page(2).base, m.pages().page(1).base);
  PageView v = m.pages().view(2);
  EXPECT_EQ(v.timestamp, 5u);  // the mapping's time
  EXPECT_EQ(v.block_size, 4096u);
  EXPECT_EQ(v.class_index, 65u);
  EXPECT_EQ(v.bitmap, std::vector<std::uint8_t>(512, 0));
  EXPECT_EQ(m.pages().kept_bytes(), 0u);
  EXPECT_EQ(m.pages().list(), (std::vector<PageHandle>{2, 0}));
  expect_sound(m);
}

TEST(PageModel, AFreeIntoAFullSlabPutsItFirstOnTheOpenList) {
  Model m;
  std::vector<Addr> first;
  for (int i = 0; i < 4057; ++i) first.push_back(pointer_of(m.mem_alloc(16)));
  expect_pointer(m.mem_alloc(16), Addr::page(1, kFirstBlock));
  expect_void(m.mem_free(first[10], 16));  // page 0 opens, ahead of page 1
  EXPECT_EQ(m.pages().open_slabs(0), (std::vector<PageHandle>{0, 1}));
  expect_pointer(m.mem_alloc(16), first[10]);  // page 0 is full again: it leaves
  EXPECT_EQ(m.pages().open_slabs(0), (std::vector<PageHandle>{1}));
  expect_pointer(m.mem_alloc(16), Addr::page(1, kFirstBlock + 16));
  EXPECT_EQ(m.pages().page_total(), 2u);
  expect_sound(m);
}

TEST(PageModel, KeptPagesStayWithin2MibOrHalfTheLiveBytes) {
  Model m;
  constexpr std::uint64_t kMib = 1 << 20;
  constexpr std::uint64_t kPage1Mib = kMib + 4096;  // Round4096(0x60 + 1 MiB)
  std::vector<Addr> one_mib;
  for (int i = 0; i < 3; ++i) one_mib.push_back(pointer_of(m.mem_alloc(kMib)));
  expect_void(m.mem_free(one_mib[0], kMib));  // 1052672 <= 2 MiB: kept
  EXPECT_TRUE(m.pages().page(0).kept);
  expect_void(m.mem_free(one_mib[1], kMib));  // 2105344 > 2 MiB and > live / 2: unmapped
  EXPECT_FALSE(m.pages().page(1).kept);
  EXPECT_EQ(m.os().munmap_calls(), 1u);
  // With 8 MiB live, half the live bytes is the budget.
  Addr big = pointer_of(m.mem_alloc(8 * kMib));  // above MEM_KEEP_MAX_BYTES: never kept itself
  std::vector<Addr> more;
  for (int i = 0; i < 3; ++i) more.push_back(pointer_of(m.mem_alloc(kMib)));  // the first takes page 0 back
  EXPECT_EQ(m.pages().kept_bytes(), 0u);
  // Live after each free: 11550720, 10498048, 9445376, 8392704 bytes.
  expect_void(m.mem_free(one_mib[2], kMib));  // 1052672 <= 2 MiB: kept
  expect_void(m.mem_free(more[0], kMib));     // 2105344 <= 10498048 / 2: kept
  expect_void(m.mem_free(more[1], kMib));     // 3158016 <= 9445376 / 2: kept
  EXPECT_EQ(m.pages().kept_bytes(), 3 * kPage1Mib);
  const std::uint64_t munmaps = m.os().munmap_calls();
  expect_void(m.mem_free(more[2], kMib));     // 4210688 > 8392704 / 2: unmapped
  EXPECT_EQ(m.pages().kept_bytes(), 3 * kPage1Mib);
  EXPECT_EQ(m.os().munmap_calls(), munmaps + 1);
  expect_void(m.mem_free(big, 8 * kMib));
  EXPECT_EQ(m.os().munmap_calls(), munmaps + 2);
  expect_sound(m);
}

TEST(PageModel, TrimGivesBackEveryKeptPageThenThePageMap) {
  Model m;
  Addr small = pointer_of(m.mem_alloc(16));
  Addr big = pointer_of(m.mem_alloc(20000));
  expect_void(m.mem_free(big, 20000));  // kept: the first kept page
  expect_number(m.mem_trim(), 20480);   // the large page; the slab is live, so the map stays
  EXPECT_EQ(m.pages().kept_bytes(), 0u);
  EXPECT_EQ(m.os().mapped_bytes(), kMap + kSlab);
  expect_void(m.mem_free(small, 16));   // the first open slab: it stays live
  expect_number(m.mem_trim(), 0);
  big = pointer_of(m.mem_alloc(20000));
  expect_void(m.mem_free(big, 20000));
  m.os().fail_munmap(1);                // the kept page's unmap is refused: leaked
  expect_number(m.mem_trim(), 0);
  EXPECT_TRUE(m.pages().page(2).leaked);
  EXPECT_EQ(m.os().mapped_bytes(), kMap + kSlab + 20480);
  expect_sound(m);
}

TEST(PageModel, TrimWithNoLivePageGivesBackThePageMap) {
  Model m;
  Addr big = pointer_of(m.mem_alloc(20000));
  expect_void(m.mem_free(big, 20000));
  expect_number(m.mem_trim(), 20480 + kMap);
  EXPECT_EQ(m.os().mapped_bytes(), 0u);
  EXPECT_EQ(m.pages().page_map_bytes(), 0u);
  expect_pointer(m.mem_alloc(20000), Addr::page(1, 0x60));  // a new table, a new page
  EXPECT_EQ(m.os().mmap_calls(), 4u);
  expect_sound(m);
}

TEST(PageModel, ThePageMapDoublesBeforeItIsHalfFull) {
  Model m;
  for (int i = 0; i < 256; ++i) ASSERT_FALSE(m.mem_alloc(20000).pointer.is_null());
  EXPECT_EQ(m.os().mmap_calls(), 257u);  // one table, 256 pages
  EXPECT_EQ(m.pages().page_map_bytes(), kMap);
  m.os().fail_mmap(1);                   // the bigger table is refused
  expect_null(m.mem_alloc(20000));
  EXPECT_EQ(m.pages().page_total(), 256u);
  Outcome next = m.mem_alloc(20000);     // an 8 KiB table mapped, the 4 KiB one unmapped, then the page
  EXPECT_EQ(next.new_page, 256u);
  EXPECT_EQ(m.os().mmap_calls(), 260u);
  EXPECT_EQ(m.os().munmap_calls(), 1u);
  EXPECT_EQ(m.pages().page_map_bytes(), 2 * kMap);
  expect_sound(m);
}

TEST(PageModel, LargeBlocksGetTheirOwnPageAndAreKeptOnFree) {
  Model m;
  m.os().set_time(77);
  Outcome out = m.mem_alloc(8193);
  expect_pointer(out, Addr::page(0, 0x60));
  PageView v = m.pages().view(0);
  EXPECT_EQ(v.page_size, 12288u);
  EXPECT_EQ(v.block_size, 8208u);
  EXPECT_EQ(v.live, 1u);
  EXPECT_EQ(v.class_index, 0xFFFFu);
  EXPECT_EQ(v.free_head, Addr::null());
  EXPECT_EQ(v.bump, Addr::null());
  EXPECT_EQ(v.recip, 0u);
  EXPECT_EQ(v.timestamp, 77u);
  EXPECT_TRUE(v.bitmap.empty());
  expect_sound(m);
  Outcome freed = m.mem_free(out.pointer, 8200);  // same Round16
  expect_void(freed);
  EXPECT_EQ(freed.released_pages, (std::vector<PageHandle>{0}));
  expect_number(m.mem_page_count(), 0);
  expect_pointer(m.mem_page_list_head(), Addr::null());
  EXPECT_TRUE(m.pages().page(0).kept);
  EXPECT_EQ(m.os().mapped_bytes(), kMap + 12288u);
  expect_sound(m);
  // The same page size comes back from the kept page, another does not.
  Outcome again = m.mem_alloc(8300);  // Round4096(0x60 + 8300) = 12288 too
  expect_pointer(again, Addr::page(1, 0x60));
  EXPECT_EQ(m.pages().page(1).base, m.pages().page(0).base);
  EXPECT_EQ(m.pages().view(1).block_size, 8304u);
  EXPECT_EQ(m.os().mmap_calls(), 2u);
  expect_pointer(m.mem_alloc(20000), Addr::page(2, 0x60));
  EXPECT_EQ(m.os().mmap_calls(), 3u);
  expect_sound(m);
}

TEST(PageModel, ZeroAndOversizeReturnNullWithoutASystemCall) {
  Model m;
  expect_null(m.mem_alloc(0));
  expect_null(m.mem_alloc(kMaxRequest + 1));
  expect_null(m.mem_alloc(~std::uint64_t{0}));
  EXPECT_EQ(m.os().mmap_calls(), 0u);
  // 2^40 itself is a valid request: the OS refuses it (1 GiB limit), after
  // the page map's first table.
  expect_null(m.mem_alloc(kMaxRequest));
  EXPECT_EQ(m.os().mmap_calls(), 2u);
  EXPECT_EQ(m.pages().page_total(), 0u);
  EXPECT_EQ(m.pages().block_total(), 0u);
  expect_sound(m);
}

TEST(PageModel, RefusedMmapReturnsNullAndChangesNothing) {
  Model m;
  m.os().fail_mmap(1);  // the page map's table
  expect_null(m.mem_alloc(1));
  m.os().fail_mmap(2);  // the page itself, after the table
  expect_null(m.mem_alloc(9000));
  EXPECT_EQ(m.pages().page_total(), 0u);
  EXPECT_EQ(m.pages().block_total(), 0u);
  EXPECT_TRUE(m.pages().open_slabs(0).empty());
  Outcome out = m.mem_alloc(1);  // handles were not consumed
  expect_pointer(out, Addr::page(0, kFirstBlock));
  EXPECT_EQ(out.new_block, 0u);
  expect_sound(m);
}

TEST(PageModel, RefusedMunmapStillUnlinksThePage) {
  Model m;
  Addr big = pointer_of(m.mem_alloc(2000000));  // too big to be kept
  m.os().fail_munmap(1);
  Outcome out = m.mem_free(big, 2000000);
  expect_void(out);
  EXPECT_EQ(out.released_pages, (std::vector<PageHandle>{0}));
  EXPECT_TRUE(m.pages().page(0).leaked);
  expect_number(m.mem_page_count(), 0);
  EXPECT_EQ(m.os().mapped_bytes(), kMap + 2002944u);  // Round4096(0x60 + 2000000), leaked
  expect_sound(m);
}

TEST(PageModel, TimestampIsTheMappingTime) {
  Model m;
  m.os().set_time(100);
  m.mem_alloc(1);
  m.os().set_time(200);
  m.mem_alloc(1);
  m.mem_alloc(1000);
  EXPECT_EQ(m.pages().view(0).timestamp, 100u);
  EXPECT_EQ(m.pages().view(1).timestamp, 200u);
}

TEST(PageModel, FreeOfNullExits110) {
  Model m;
  expect_exit(m.mem_free(Addr::null(), 16), 110);
  EXPECT_EQ(m.exit_code(), 110);
}

// Each case: one live 16-byte block at page 0 + 0x270 (and a large block at
// page 1 + 0x60), then one mem_free that must exit 111.
struct BadFree {
  const char* name;
  Addr p;
  std::uint64_t n;
};

// Printed by name only: the default byte dump holds a string pointer, which
// would make ctest's test names differ from run to run.
void PrintTo(const BadFree& c, std::ostream* out) { *out << c.name; }

class PageModelBadFree : public ::testing::TestWithParam<BadFree> {};

TEST_P(PageModelBadFree, Exits111AndChangesNothing) {
  Model m;
  m.mem_alloc(16);
  m.mem_alloc(9000);
  const BadFree& c = GetParam();
  std::vector<PageView> before = m.pages().live_pages();
  expect_exit(m.mem_free(c.p, c.n), 111);
  std::vector<PageView> after = m.pages().live_pages();
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(before[i].live, after[i].live);
    EXPECT_EQ(before[i].free_head, after[i].free_head);
  }
  expect_sound(m);
  EXPECT_THROW(m.mem_alloc(16), std::logic_error);  // exits are final
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PageModelBadFree,
    ::testing::Values(BadFree{"size_zero", Addr::page(0, 0x270), 0},
                      BadFree{"size_oversize", Addr::page(0, 0x270), kMaxRequest + 1},
                      BadFree{"wrong_class", Addr::page(0, 0x270), 17},
                      BadFree{"large_size_for_small_block", Addr::page(0, 0x270), 9000},
                      BadFree{"interior", Addr::page(0, 0x278), 16},
                      BadFree{"header", Addr::page(0, 0x30), 16},
                      BadFree{"page_start", Addr::page(0, 0), 16},
                      BadFree{"bitmap", Addr::page(0, 0x100), 16},
                      BadFree{"never_used_block", Addr::page(0, 0x280), 16},
                      BadFree{"open_links", Addr::page(0, 0x260), 16},
                      BadFree{"beyond_page", Addr::page(0, 0x20000), 16},
                      BadFree{"foreign_raw", Addr::raw(0x5000), 16},
                      BadFree{"large_wrong_round16", Addr::page(1, 0x60), 9017},
                      BadFree{"large_small_size", Addr::page(1, 0x60), 16},
                      BadFree{"large_interior", Addr::page(1, 0x70), 9000},
                      BadFree{"large_header", Addr::page(1, 0), 9000}),
    [](const ::testing::TestParamInfo<BadFree>& info) { return std::string(info.param.name); });

TEST(PageModel, DoubleFreeExits111) {
  Model m;
  Addr a = pointer_of(m.mem_alloc(16));
  m.mem_alloc(16);  // keeps the slab non-empty
  expect_void(m.mem_free(a, 16));
  expect_exit(m.mem_free(a, 16), 111);
}

TEST(PageModel, FreeIntoAKeptPageExits111) {
  Model m;
  Addr big = pointer_of(m.mem_alloc(20000));
  expect_void(m.mem_free(big, 20000));
  expect_exit(m.mem_free(big, 20000), 111);
}

TEST(PageModel, RawAddressesInsideABoundPageAreThatPage) {
  Model m;
  m.mem_alloc(16);
  m.bind_page_base(0, 0x7f0000000000);
  EXPECT_EQ(m.canonical(Addr::raw(0x7f0000000270)), Addr::page(0, 0x270));
  EXPECT_EQ(m.canonical(Addr::raw(0x7f0000010000)), Addr::raw(0x7f0000010000));  // one past the end
  EXPECT_EQ(m.absolute(Addr::block(0, 4)), 0x7f0000000274u);
  expect_void(m.mem_free(Addr::raw(0x7f0000000270), 16));
  expect_sound(m);
}

TEST(PageModel, InvariantCheckNoticesOverlappingPages) {
  Model m;
  m.mem_alloc(16);
  m.mem_alloc(32);
  m.bind_page_base(0, 0x10000000);
  m.bind_page_base(1, 0x10008000);  // inside page 0's 64 KiB
  EXPECT_FALSE(m.pages().check_invariants().empty());
}

TEST(PageModel, InvariantCheckNoticesMemoryTheOsLostTrackOf) {
  Model m;
  m.mem_alloc(16);
  ASSERT_TRUE(m.os().munmap(4096));  // behind the allocator's back
  EXPECT_FALSE(m.pages().check_invariants().empty());
  EXPECT_FALSE(m.check_invariants().empty());
}

}  // namespace
}  // namespace mf::model
