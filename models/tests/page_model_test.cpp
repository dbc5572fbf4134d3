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
constexpr std::uint64_t kFirstBlock = 0x260;
constexpr std::uint64_t kMaxRequest = std::uint64_t{1} << 40;

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
  EXPECT_EQ(v.bump, Addr::page(0, 0x270));
  EXPECT_EQ(v.class_index, 0u);
  EXPECT_EQ(v.recip, std::uint64_t{1} << 28);
  EXPECT_EQ(v.bitmap, std::vector<std::uint8_t>(512, 0));
  expect_number(m.mem_page_count(), 1);
  expect_pointer(m.mem_page_list_head(), Addr::page(0));
  EXPECT_EQ(m.os().mapped_bytes(), kSlab);
  expect_sound(m);
}

TEST(PageModel, SameClassBumpsAndANewClassMapsANewHeadPage) {
  Model m;
  expect_pointer(m.mem_alloc(1), Addr::page(0, 0x260));
  Outcome second = m.mem_alloc(16);
  expect_pointer(second, Addr::page(0, 0x270));
  EXPECT_FALSE(second.new_page.has_value());
  Outcome other = m.mem_alloc(17);  // class 1: its own slab
  expect_pointer(other, Addr::page(1, 0x260));
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

TEST(PageModel, A16ByteSlabHolds4058BlocksThenANewPageIsMapped) {
  Model m;
  Outcome last;
  for (int i = 0; i < 4058; ++i) last = m.mem_alloc(16);
  expect_pointer(last, Addr::page(0, 0xFFF0));  // 0x260 + 4057 * 16
  EXPECT_EQ(m.pages().view(0).bump, Addr::page(0, kSlab));
  Outcome next = m.mem_alloc(16);
  expect_pointer(next, Addr::page(1, kFirstBlock));
  EXPECT_EQ(next.new_page, 1u);
  EXPECT_EQ(m.pages().current_slab(0), 1u);
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
  expect_pointer(m.mem_alloc(16), Addr::page(0, 0x290));  // then bump again
  EXPECT_EQ(m.pages().view(0).bitmap[0], 0);
  EXPECT_EQ(b, Addr::page(0, 0x270));
  expect_sound(m);
}

TEST(PageModel, TheEmptyCurrentSlabIsKept) {
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

TEST(PageModel, AnEmptySlabThatIsNotCurrentIsReleased) {
  Model m;
  std::vector<Addr> first;
  for (int i = 0; i < 4058; ++i) first.push_back(pointer_of(m.mem_alloc(16)));
  expect_pointer(m.mem_alloc(16), Addr::page(1, kFirstBlock));  // page 1 is now current
  for (std::size_t i = 0; i + 1 < first.size(); ++i) {
    Outcome out = m.mem_free(first[i], 16);
    ASSERT_TRUE(out.released_pages.empty());
  }
  Outcome last = m.mem_free(first.back(), 16);
  expect_void(last);
  EXPECT_EQ(last.released_pages, (std::vector<PageHandle>{0}));
  EXPECT_EQ(m.pages().list(), (std::vector<PageHandle>{1}));
  EXPECT_EQ(m.os().mapped_bytes(), kSlab);
  EXPECT_EQ(m.os().munmap_calls(), 1u);
  expect_sound(m);
}

TEST(PageModel, AFullCurrentSlabHandsOverToTheFirstListedSlabWithRoom) {
  Model m;
  std::vector<Addr> first;
  for (int i = 0; i < 4058; ++i) first.push_back(pointer_of(m.mem_alloc(16)));
  expect_pointer(m.mem_alloc(16), Addr::page(1, kFirstBlock));
  expect_void(m.mem_free(first[10], 16));  // page 0 gets room, page 1 stays current
  for (int i = 1; i < 4058; ++i) ASSERT_EQ(m.mem_alloc(16).pointer.handle, 1u);
  EXPECT_EQ(m.pages().current_slab(0), 1u);
  expect_pointer(m.mem_alloc(16), first[10]);  // page 1 full: page 0 is found
  EXPECT_EQ(m.pages().current_slab(0), 0u);
  EXPECT_EQ(m.pages().page_total(), 2u);
  expect_sound(m);
}

TEST(PageModel, LargeBlocksGetTheirOwnPageAndGoBackOnFree) {
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
  EXPECT_EQ(m.os().mapped_bytes(), 0u);
  expect_sound(m);
}

TEST(PageModel, ZeroAndOversizeReturnNullWithoutASystemCall) {
  Model m;
  expect_null(m.mem_alloc(0));
  expect_null(m.mem_alloc(kMaxRequest + 1));
  expect_null(m.mem_alloc(~std::uint64_t{0}));
  EXPECT_EQ(m.os().mmap_calls(), 0u);
  // 2^40 itself is a valid request: the OS refuses it (1 GiB limit).
  expect_null(m.mem_alloc(kMaxRequest));
  EXPECT_EQ(m.os().mmap_calls(), 1u);
  EXPECT_EQ(m.pages().page_total(), 0u);
  EXPECT_EQ(m.pages().block_total(), 0u);
  expect_sound(m);
}

TEST(PageModel, RefusedMmapReturnsNullAndChangesNothing) {
  Model m;
  m.os().fail_mmap(1);
  expect_null(m.mem_alloc(1));
  m.os().fail_mmap(1);
  expect_null(m.mem_alloc(9000));
  EXPECT_EQ(m.pages().page_total(), 0u);
  EXPECT_EQ(m.pages().block_total(), 0u);
  EXPECT_EQ(m.pages().current_slab(0), std::nullopt);
  Outcome out = m.mem_alloc(1);  // handles were not consumed
  expect_pointer(out, Addr::page(0, kFirstBlock));
  EXPECT_EQ(out.new_block, 0u);
  expect_sound(m);
}

TEST(PageModel, RefusedMunmapStillUnlinksThePage) {
  Model m;
  Addr big = pointer_of(m.mem_alloc(100000));
  m.os().fail_munmap(1);
  Outcome out = m.mem_free(big, 100000);
  expect_void(out);
  EXPECT_EQ(out.released_pages, (std::vector<PageHandle>{0}));
  EXPECT_TRUE(m.pages().page(0).leaked);
  expect_number(m.mem_page_count(), 0);
  EXPECT_EQ(m.os().mapped_bytes(), 102400u);  // Round4096(0x60 + 100000), leaked
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

// Each case: one live 16-byte block at page 0 + 0x260 (and a large block at
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
    ::testing::Values(BadFree{"size_zero", Addr::page(0, 0x260), 0},
                      BadFree{"size_oversize", Addr::page(0, 0x260), kMaxRequest + 1},
                      BadFree{"wrong_class", Addr::page(0, 0x260), 17},
                      BadFree{"large_size_for_small_block", Addr::page(0, 0x260), 9000},
                      BadFree{"interior", Addr::page(0, 0x268), 16},
                      BadFree{"header", Addr::page(0, 0x30), 16},
                      BadFree{"page_start", Addr::page(0, 0), 16},
                      BadFree{"bitmap", Addr::page(0, 0x100), 16},
                      BadFree{"never_used_block", Addr::page(0, 0x270), 16},
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

TEST(PageModel, FreeIntoAnUnmappedPageExits111) {
  Model m;
  Addr big = pointer_of(m.mem_alloc(20000));
  expect_void(m.mem_free(big, 20000));
  expect_exit(m.mem_free(big, 20000), 111);
}

TEST(PageModel, RawAddressesInsideABoundPageAreThatPage) {
  Model m;
  m.mem_alloc(16);
  m.bind_page_base(0, 0x7f0000000000);
  EXPECT_EQ(m.canonical(Addr::raw(0x7f0000000260)), Addr::page(0, 0x260));
  EXPECT_EQ(m.canonical(Addr::raw(0x7f0000010000)), Addr::raw(0x7f0000010000));  // one past the end
  EXPECT_EQ(m.absolute(Addr::block(0, 4)), 0x7f0000000264u);
  expect_void(m.mem_free(Addr::raw(0x7f0000000260), 16));
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
