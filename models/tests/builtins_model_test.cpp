// The checked builtins against expectations computed by hand from
// docs/spec.md ("Checked builtins").
#include <gtest/gtest.h>

#include "model.h"
#include "model_test_support.h"

namespace mf::model {
namespace {

using namespace mf::model::testing;
constexpr std::uint64_t kUserEnd = std::uint64_t{1} << 47;

TEST(BuiltinsModel, NullPageExits110) {
  Model a;
  expect_exit(a.load_i64(Addr::null()), 110);
  Model b;
  expect_exit(b.load_byte(Addr::raw(4095)), 110);
  Model c;
  expect_exit(c.poke_i64(Addr::raw(8), 1), 110);
}

TEST(BuiltinsModel, RangesLeavingUserSpaceExit111) {
  Model a;
  expect_exit(a.load_i64(Addr::raw(kUserEnd - 7)), 111);
  Model b;
  expect_exit(b.load_byte(Addr::raw(kUserEnd)), 111);
  Model c;
  expect_exit(c.poke_i64(Addr::raw(~std::uint64_t{0} - 3), 1), 111);  // wraps
}

TEST(BuiltinsModel, RangesThatPassButAreNotUserMemoryAreUnsafe) {
  Model m;
  expect_unsafe(m.load_i64(Addr::raw(4096)));
  expect_unsafe(m.load_i64(Addr::raw(kUserEnd - 8)));
  expect_unsafe(m.load_byte(Addr::raw(kUserEnd - 1)));
  Addr block = pointer_of(m.mem_alloc(16));
  expect_unsafe(m.load_i64(Addr::page(block.handle, 0x20)));  // page header
  expect_unsafe(m.load_i64(block.plus(9)));                   // 9 + 8 > 16 requested
  expect_unsafe(m.poke_byte(block.plus(16), 1));              // one past the 16 bytes requested
  EXPECT_FALSE(m.exited());
}

TEST(BuiltinsModel, PokeThenLoadPredictsTheBytes) {
  Model m;
  Addr b = pointer_of(m.mem_alloc(16));
  expect_number(m.load_i64(b), 0);  // a fresh mapping is zero
  expect_void(m.poke_i64(b, 0x1122334455667788));
  expect_number(m.load_i64(b), 0x1122334455667788);
  expect_number(m.load_byte(b.plus(1)), 0x77);
  expect_void(m.poke_i64(b.plus(3), 0xAABBCCDDEEFF0011));  // unaligned
  expect_number(m.load_i64(b), 0xDDEEFF0011667788);
  expect_void(m.poke_byte(b.plus(15), 0x1FF));  // low 8 bits
  expect_number(m.load_byte(b.plus(15)), 0xFF);
  expect_sound(m);
}

TEST(BuiltinsModel, MemcpyCopiesOverlappingRangesAsMemmove) {
  Model m;
  Addr b = pointer_of(m.mem_alloc(16));
  m.poke_i64(b, 0x0807060504030201);
  expect_pointer(m.memcpy(b.plus(1), b, 7), b.plus(1));
  expect_number(m.load_i64(b), 0x0706050403020101);
  m.poke_i64(b, 0x0807060504030201);
  expect_pointer(m.memcpy(b, b.plus(1), 7), b);
  expect_number(m.load_i64(b), 0x0808070605040302);
  Addr c = pointer_of(m.mem_alloc(32));
  expect_pointer(m.memcpy(c.plus(8), b, 8), c.plus(8));
  expect_number(m.load_i64(c.plus(8)), 0x0808070605040302);
  expect_sound(m);
}

TEST(BuiltinsModel, MemcpyOfZeroBytesChecksNothing) {
  Model m;
  expect_pointer(m.memcpy(Addr::null(), Addr::raw(kUserEnd), 0), Addr::null());
  expect_pointer(m.memcpy(Addr::raw(0x5000), Addr::null(), 0), Addr::raw(0x5000));
  EXPECT_FALSE(m.exited());
}

TEST(BuiltinsModel, MemcpyChecksTheDestinationFirst) {
  Model a;
  expect_exit(a.memcpy(Addr::raw(0x10), Addr::raw(kUserEnd), 8), 110);
  Model b;
  expect_exit(b.memcpy(Addr::raw(kUserEnd), Addr::raw(0x10), 8), 111);
  Model c;
  Addr block = pointer_of(c.mem_alloc(16));
  expect_exit(c.memcpy(block, Addr::raw(0x10), 8), 110);  // a good dst, then src
}

TEST(BuiltinsModel, MemcpyOutsideUserMemoryIsUnsafe) {
  Model m;
  Addr b = pointer_of(m.mem_alloc(16));
  expect_unsafe(m.memcpy(b, Addr::raw(0x5000), 8));
  expect_unsafe(m.memcpy(b.plus(8), b, 9));
}

TEST(BuiltinsModel, FreedAndReusedBlocksKeepOldDataButNotTheLink) {
  Model m;
  Addr a = pointer_of(m.mem_alloc(16));
  Addr b = pointer_of(m.mem_alloc(16));
  m.poke_i64(a.plus(8), 42);
  m.poke_i64(b, 7);
  m.mem_free(a, 16);  // link = 0 (the list was empty)
  m.mem_free(b, 16);  // link = a's absolute address
  expect_unsafe(m.load_i64(a));
  expect_pointer(m.mem_alloc(16), b);
  Outcome link = m.load_i64(b);
  ASSERT_EQ(link.kind, OutcomeKind::Number);
  EXPECT_EQ(link.known_mask, 0u);
  expect_pointer(m.mem_alloc(16), a);
  expect_number(m.load_i64(a), 0);
  expect_number(m.load_i64(a.plus(8)), 42);
  Outcome byte = m.load_byte(b.plus(2));
  EXPECT_EQ(byte.known_mask, ~std::uint64_t{0xFF});  // upper bytes zero-extended
}

TEST(BuiltinsModel, ArenaHeadersAreNotUserMemoryButTheirDataIs) {
  Model m;
  Addr arena = pointer_of(m.arena_create(64));
  expect_unsafe(m.load_i64(arena));
  expect_unsafe(m.poke_byte(arena.plus(31), 1));
  expect_void(m.poke_i64(arena.plus(32), 5));  // start: before any arena_alloc too
  expect_number(m.load_i64(arena.plus(32 + 56)), 0);
  expect_unsafe(m.load_i64(arena.plus(32 + 57)));
  std::vector<UserRegion> regions = m.user_regions();
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].kind, RegionKind::ArenaData);
  EXPECT_EQ(regions[0].start, arena.plus(32));
  EXPECT_EQ(regions[0].length, 64u);
}

TEST(BuiltinsModel, OnlyAllocatedPoolObjectsAreUserMemory) {
  Model m;
  Addr pool = pointer_of(m.pool_create(16, 4));
  Addr obj = pointer_of(m.pool_alloc(pool));
  expect_void(m.poke_i64(obj.plus(8), 1));
  expect_unsafe(m.load_i64(obj.plus(16)));  // never handed out
  expect_unsafe(m.load_i64(obj.plus(12)));  // straddles two slots
  expect_unsafe(m.load_i64(pool.plus(40)));  // header
  EXPECT_EQ(m.user_regions().size(), 1u);
}

TEST(BuiltinsModel, AbsoluteChecksUseTheBoundPageBase) {
  Model m;
  Addr b = pointer_of(m.mem_alloc(8192));  // page 0 + 0x270
  m.bind_page_base(0, kUserEnd - 65536);
  expect_number(m.load_i64(b), 0);
  EXPECT_EQ(m.absolute(b), kUserEnd - 65536 + 0x270);
  m.bind_page_base(0, 0);  // a page at 0 would sit in the null page
  expect_exit(m.load_i64(b.plus(8)), 110);
}

TEST(BuiltinsModel, InitMapsTheAlternateStackOnce) {
  Model m;
  m.os().fail_mmap(1);
  Outcome failed = m.init();
  ASSERT_EQ(failed.kind, OutcomeKind::Number);
  EXPECT_EQ(static_cast<std::int64_t>(failed.number), -12);
  EXPECT_EQ(m.os().mapped_bytes(), 0u);
  expect_number(m.init(), 0);
  EXPECT_EQ(m.os().mapped_bytes(), 65536u);
  expect_number(m.init(), 0);
  EXPECT_EQ(m.os().mmap_calls(), 2u);
  expect_sound(m);
}

TEST(BuiltinsModel, HarnessWritesAreSeenByLoads) {
  Model m;
  Addr b = pointer_of(m.mem_alloc(32));
  const std::uint8_t pattern[4] = {0xDE, 0xAD, 0xBE, 0xEF};
  m.write_bytes(b.plus(4), pattern);
  expect_number(m.load_i64(b), 0xEFBEADDE00000000);
  std::vector<std::optional<std::uint8_t>> bytes = m.read_bytes(b.plus(5), 2);
  EXPECT_EQ(bytes[0], 0xAD);
  EXPECT_EQ(bytes[1], 0xBE);
  EXPECT_THROW(m.read_bytes(Addr::raw(0x5000), 1), std::invalid_argument);
}

}  // namespace
}  // namespace mf::model
