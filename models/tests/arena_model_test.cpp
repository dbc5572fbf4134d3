// The arena model against expectations computed by hand from docs/spec.md
// ("The arena allocator").
#include <gtest/gtest.h>

#include "model.h"
#include "model_test_support.h"

namespace mf::model {
namespace {

using namespace mf::model::testing;
constexpr std::uint64_t kU64Max = ~std::uint64_t{0};

TEST(ArenaModel, CreateAllocatesHeaderAndDataThroughMemAlloc) {
  Model m;
  Outcome out = m.arena_create(4096);  // mem_alloc(4128): class 66, 8192-byte blocks
  expect_pointer(out, Addr::page(0, 0x270));
  EXPECT_EQ(out.new_arena, 0u);
  EXPECT_EQ(out.new_block, 0u);
  EXPECT_EQ(out.new_page, 0u);
  EXPECT_EQ(m.pages().block(0).request, 4128u);
  EXPECT_EQ(m.pages().view(0).block_size, 8192u);
  ArenaView v = m.arenas().view(0);
  EXPECT_EQ(v.header, Addr::page(0, 0x270));
  EXPECT_EQ(v.start, Addr::page(0, 0x290));
  EXPECT_EQ(v.current, Addr::page(0, 0x290));
  EXPECT_EQ(v.end, Addr::page(0, 0x290 + 4096));
  EXPECT_EQ(v.id, 1u);
  expect_number(m.arena_get_capacity(Addr::arena(0)), 4096);
  expect_number(m.arena_get_usage(Addr::arena(0)), 0);
  expect_sound(m);
}

TEST(ArenaModel, AllocRoundsTo8AndStopsAtTheEnd) {
  Model m;
  Addr a = pointer_of(m.arena_create(4096));
  const Addr start = a.plus(32);
  expect_pointer(m.arena_alloc(a, 1), start);
  expect_pointer(m.arena_alloc(a, 1), start.plus(8));
  expect_number(m.arena_get_usage(a), 16);
  expect_null(m.arena_alloc(a, 4081));  // rounds to 4088 > 4080 left
  expect_number(m.arena_get_usage(a), 16);
  expect_pointer(m.arena_alloc(a, 4080), start.plus(16));
  expect_number(m.arena_get_usage(a), 4096);
  expect_null(m.arena_alloc(a, 1));
  expect_sound(m);
  expect_void(m.arena_reset(a));
  expect_number(m.arena_get_usage(a), 0);
  expect_pointer(m.arena_alloc(a, 8), start);
  expect_number(m.arena_get_capacity(a), 4096);
  expect_sound(m);
}

TEST(ArenaModel, ZeroAndUnroundableRequestsReturnNull) {
  Model m;
  Addr a = pointer_of(m.arena_create(64));
  expect_null(m.arena_alloc(a, 0));
  expect_null(m.arena_alloc(a, kU64Max - 6));  // Round8 overflows
  expect_null(m.arena_alloc(a, kU64Max - 7));  // rounds to itself, does not fit
  expect_number(m.arena_get_usage(a), 0);
}

TEST(ArenaModel, SmallArenasShareASlab) {
  Model m;
  expect_pointer(m.arena_create(1), Addr::page(0, 0x270));  // mem_alloc(33): 48-byte blocks
  expect_pointer(m.arena_create(16), Addr::page(0, 0x2A0));
  EXPECT_EQ(m.arenas().view(1).id, 2u);
  expect_sound(m);
}

TEST(ArenaModel, FailedCreationsChangeNothingAndConsumeNoId) {
  Model m;
  expect_null(m.arena_create(0));
  expect_null(m.arena_create(kU64Max - 31));  // 32 + size overflows
  expect_null(m.arena_create(kU64Max - 32));  // mem_alloc(2^64 - 1): oversize
  EXPECT_EQ(m.os().mmap_calls(), 0u);
  expect_null(m.arena_create((std::uint64_t{1} << 40) - 32));  // mem_alloc(2^40): OS refuses
  EXPECT_EQ(m.os().mmap_calls(), 2u);                            // the page map's table, then the page
  m.os().fail_mmap(1);                                           // the slab (the table is there)
  expect_null(m.arena_create(100));
  EXPECT_EQ(m.arenas().arena_total(), 0u);
  EXPECT_EQ(m.pages().block_total(), 0u);
  Outcome ok = m.arena_create(100);
  EXPECT_EQ(ok.new_arena, 0u);
  EXPECT_EQ(m.arenas().view(0).id, 1u);
  expect_sound(m);
}

TEST(ArenaModel, IdsCountSuccessfulCreations) {
  Model m;
  m.arena_create(8);
  Addr second = pointer_of(m.arena_create(8));
  m.arena_create(8);
  EXPECT_EQ(m.arenas().view(2).id, 3u);
  expect_void(m.arena_destroy(second));
  Outcome again = m.arena_create(8);  // reuses the freed block (LIFO)
  expect_pointer(again, second);
  EXPECT_EQ(again.new_arena, 3u);
  EXPECT_EQ(m.arenas().view(3).id, 4u);
  expect_sound(m);
}

TEST(ArenaModel, DestroyFreesTheBlockAndASecondDestroyExits111) {
  Model m;
  Addr keep = pointer_of(m.arena_create(4096));
  Addr a = pointer_of(m.arena_create(4096));
  Outcome out = m.arena_destroy(a);
  expect_void(out);
  EXPECT_EQ(out.freed_block, 1u);
  EXPECT_TRUE(m.arenas().live_arenas().size() == 1 && m.arenas().live_arenas()[0].header == keep);
  expect_sound(m);
  expect_exit(m.arena_destroy(a), 111);
}

TEST(ArenaModel, NullArenaExits110EverywhereAndIsFinal) {
  for (int op = 0; op < 5; ++op) {
    Model m;
    m.arena_create(64);
    Outcome out;
    switch (op) {
      case 0: out = m.arena_alloc(Addr::null(), 8); break;
      case 1: out = m.arena_reset(Addr::null()); break;
      case 2: out = m.arena_get_usage(Addr::null()); break;
      case 3: out = m.arena_get_capacity(Addr::null()); break;
      default: out = m.arena_destroy(Addr::null()); break;
    }
    expect_exit(out, 110);
    EXPECT_THROW(m.arena_get_usage(Addr::arena(0)), std::logic_error) << op;
  }
}

TEST(ArenaModel, PointersThatAreNotArenasAreUnsafe) {
  Model m;
  Addr arena = pointer_of(m.arena_create(64));
  Addr plain = pointer_of(m.mem_alloc(96));  // a live block of another kind
  expect_unsafe(m.arena_alloc(plain, 8));
  expect_unsafe(m.arena_alloc(arena.plus(8), 8));  // interior of the header
  expect_unsafe(m.arena_get_usage(Addr::raw(0x5000)));
  expect_unsafe(m.arena_destroy(plain));           // mem_free size depends on its bytes
  expect_unsafe(m.arena_destroy(Addr::raw(0x5000)));  // reading it could fault
  EXPECT_FALSE(m.exited());
  expect_number(m.arena_get_usage(arena), 0);  // nothing changed
}

TEST(ArenaModel, DestroyOfAReadableNonBlockExits111) {
  Model m;
  m.arena_create(64);
  expect_exit(m.arena_destroy(Addr::page(0, 0x40)), 111);  // inside the page header
}

TEST(ArenaModel, ArenaFreedByAPlainMemFreeIsGone) {
  Model m;
  Addr a = pointer_of(m.arena_create(64));
  expect_void(m.mem_free(a, 96));  // 32 + 64: a live block of that class
  EXPECT_TRUE(m.arenas().live_arenas().empty());
  expect_unsafe(m.arena_alloc(a, 8));
  expect_sound(m);
}

TEST(ArenaModel, HandleFormsResolveToTheSameArena) {
  Model m;
  m.mem_alloc(16);     // page 0, class 0
  m.arena_create(16);  // mem_alloc(48): class 2, its own slab, page 1
  EXPECT_EQ(m.canonical(Addr::arena(0)), Addr::page(1, 0x270));
  EXPECT_EQ(m.canonical(Addr::arena(0, 32)), Addr::page(1, 0x290));
  EXPECT_EQ(m.canonical(Addr::block(1, 32)), Addr::page(1, 0x290));
  expect_pointer(m.arena_alloc(Addr::block(1), 8), Addr::page(1, 0x290));
}

}  // namespace
}  // namespace mf::model
