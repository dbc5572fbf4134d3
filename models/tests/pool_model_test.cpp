// The pool model against expectations computed by hand from docs/spec.md
// ("The pool allocator").
#include <gtest/gtest.h>

#include "model.h"
#include "model_test_support.h"

namespace mf::model {
namespace {

using namespace mf::model::testing;
constexpr std::uint64_t kU64Max = ~std::uint64_t{0};

TEST(PoolModel, CreateComputesTotalAndLaysOutTheHeader) {
  Model m;
  Outcome out = m.pool_create(8, 4);  // total 48 + 32 + 8 = 88: class 5, 96-byte blocks
  expect_pointer(out, Addr::page(0, 0x270));
  EXPECT_EQ(out.new_pool, 0u);
  EXPECT_EQ(m.pages().block(0).request, 88u);
  PoolView v = m.pools().view(0);
  EXPECT_EQ(v.start, Addr::page(0, 0x2A0));
  EXPECT_EQ(v.current, v.start);
  EXPECT_EQ(v.end, Addr::page(0, 0x2A0 + 32));
  EXPECT_EQ(v.obj_size, 8u);
  EXPECT_EQ(v.free_head, Addr::null());
  EXPECT_EQ(v.reserved, 0u);
  EXPECT_EQ(v.bitmap_quads, 1u);
  EXPECT_EQ(v.bitmap, v.end);
  expect_sound(m);
}

TEST(PoolModel, ObjSizeIsRoundedAndTheBitmapHasOneQuadPer64Slots) {
  Model m;
  m.pool_create(9, 65);  // 16-byte objects: 48 + 1040 + 16 = 1104
  EXPECT_EQ(m.pools().view(0).obj_size, 16u);
  EXPECT_EQ(m.pools().view(0).bitmap_quads, 2u);
  EXPECT_EQ(m.pages().block(0).request, 1104u);
}

TEST(PoolModel, InvalidOrOverflowingCreationsReturnNullWithoutMemAlloc) {
  Model m;
  expect_null(m.pool_create(7, 1));
  expect_null(m.pool_create(8, 0));
  expect_null(m.pool_create(kU64Max - 6, 1));                    // Round8 overflows
  expect_null(m.pool_create(std::uint64_t{1} << 32, std::uint64_t{1} << 32));  // product overflows
  expect_null(m.pool_create(8, (kU64Max - 48) / 8));             // sum with the bitmap overflows
  EXPECT_EQ(m.os().mmap_calls(), 0u);
  EXPECT_EQ(m.pages().block_total(), 0u);
  m.os().fail_mmap(1);
  expect_null(m.pool_create(8, 8));
  EXPECT_EQ(m.pools().pool_total(), 0u);
  expect_sound(m);
}

TEST(PoolModel, AllocBumpsUntilExhausted) {
  Model m;
  Addr p = pointer_of(m.pool_create(8, 4));
  const Addr start = p.plus(48);
  for (std::uint64_t k = 0; k < 4; ++k) expect_pointer(m.pool_alloc(p), start.plus(8 * k));
  expect_null(m.pool_alloc(p));
  EXPECT_EQ(m.pools().view(0).current, m.pools().view(0).end);
  expect_sound(m);
}

TEST(PoolModel, FreedObjectsComeBackLastInFirstOut) {
  Model m;
  Addr p = pointer_of(m.pool_create(8, 4));
  const Addr start = p.plus(48);
  for (int k = 0; k < 4; ++k) m.pool_alloc(p);
  expect_void(m.pool_free(p, start.plus(8)));
  expect_void(m.pool_free(p, start.plus(16)));
  PoolView v = m.pools().view(0);
  EXPECT_EQ(v.free_head, start.plus(16));
  EXPECT_EQ(v.free_list, (std::vector<std::uint64_t>{2, 1}));
  EXPECT_EQ(m.pools().bitmap_quad(0, 0), 0b110u);
  expect_sound(m);
  expect_pointer(m.pool_alloc(p), start.plus(16));
  expect_pointer(m.pool_alloc(p), start.plus(8));
  expect_null(m.pool_alloc(p));
  EXPECT_EQ(m.pools().bitmap_quad(0, 0), 0u);
  expect_sound(m);
}

TEST(PoolModel, AllocatedObjectsAreZeroFilled) {
  Model m;
  Addr p = pointer_of(m.pool_create(16, 2));
  Addr obj = pointer_of(m.pool_alloc(p));
  expect_void(m.poke_i64(obj.plus(8), 0x1234));
  expect_void(m.poke_i64(obj, 0x5678));
  expect_void(m.pool_free(p, obj));
  expect_unsafe(m.load_i64(obj.plus(8)));  // a free object is no user region
  expect_pointer(m.pool_alloc(p), obj);
  expect_number(m.load_i64(obj), 0);
  expect_number(m.load_i64(obj.plus(8)), 0);
  expect_sound(m);
}

// Each case: a pool of 4 16-byte objects with objects 0 and 1 allocated and
// object 0 freed, then one pool_free that must exit with `code`.
struct BadPoolFree {
  const char* name;
  bool null_pool;
  std::int64_t obj_offset;  // from start; kNull for NULL, kOtherPage for elsewhere
  int code;
};
constexpr std::int64_t kNull = -1000;
constexpr std::int64_t kOtherPage = -2000;

// Printed by name only: the default byte dump holds a string pointer, which
// would make ctest's test names differ from run to run.
void PrintTo(const BadPoolFree& c, std::ostream* out) { *out << c.name; }

class PoolModelBadFree : public ::testing::TestWithParam<BadPoolFree> {};

TEST_P(PoolModelBadFree, ExitsAndChangesNothing) {
  Model m;
  Addr p = pointer_of(m.pool_create(16, 4));
  Addr other = pointer_of(m.mem_alloc(5000));  // another page
  Addr start = p.plus(48);
  m.pool_alloc(p);
  m.pool_alloc(p);
  m.pool_free(p, start);
  const BadPoolFree& c = GetParam();
  Addr obj = c.obj_offset == kNull        ? Addr::null()
             : c.obj_offset == kOtherPage ? other
                                          : Addr::page(start.handle, start.offset + c.obj_offset);
  expect_exit(m.pool_free(c.null_pool ? Addr::null() : p, obj), c.code);
  EXPECT_EQ(m.pools().view(0).free_list, (std::vector<std::uint64_t>{0}));
  expect_sound(m);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PoolModelBadFree,
    ::testing::Values(BadPoolFree{"null_pool", true, 16, 110},
                      BadPoolFree{"null_pool_and_obj", true, kNull, 110},
                      BadPoolFree{"null_obj", false, kNull, 110},
                      BadPoolFree{"below_start", false, -8, 111},
                      BadPoolFree{"at_current", false, 32, 111},
                      BadPoolFree{"never_handed_out", false, 48, 111},
                      BadPoolFree{"past_end", false, 4096, 111},
                      BadPoolFree{"misaligned", false, 20, 111},
                      BadPoolFree{"double_free", false, 0, 111},
                      BadPoolFree{"other_page", false, kOtherPage, 111}),
    [](const ::testing::TestParamInfo<BadPoolFree>& info) { return std::string(info.param.name); });

TEST(PoolModel, ForeignRawObjectExits111) {
  Model m;
  Addr p = pointer_of(m.pool_create(16, 4));
  m.pool_alloc(p);
  expect_exit(m.pool_free(p, Addr::raw(0x5000)), 111);
}

TEST(PoolModel, NullPoolExits110ForAllocAndDestroy) {
  Model a;
  expect_exit(a.pool_alloc(Addr::null()), 110);
  Model b;
  expect_exit(b.pool_destroy(Addr::null()), 110);
}

TEST(PoolModel, DestroyFreesTotalAndASecondDestroyExits111) {
  Model m;
  m.mem_alloc(96);  // keeps the class-5 slab alive after the pool is gone
  Addr p = pointer_of(m.pool_create(8, 4));
  Outcome out = m.pool_destroy(p);
  expect_void(out);
  EXPECT_EQ(out.freed_block, 1u);
  EXPECT_TRUE(m.pools().live_pools().empty());
  expect_sound(m);
  expect_unsafe(m.pool_alloc(p));  // a dead pool is outside the contract
  expect_exit(m.pool_destroy(p), 111);
}

TEST(PoolModel, TheBitmapSitsAfterTheObjectsAndOutlivesThePool) {
  Model m;
  m.mem_alloc(96);  // keeps the class-5 slab alive
  Addr p = pointer_of(m.pool_create(8, 4));  // total 88: 96-byte block
  Addr o0 = pointer_of(m.pool_alloc(p));
  Addr o1 = pointer_of(m.pool_alloc(p));
  m.pool_free(p, o1);
  m.pool_free(p, o0);
  m.pool_destroy(p);
  // A plain block of the same class gets the pool's old block back: its
  // bytes are the pool's (mem_free overwrote only the first 8).
  expect_pointer(m.mem_alloc(96), p);
  expect_number(m.load_byte(p.plus(48 + 32)), 0b11);  // the bitmap quad at end
  Outcome link = m.load_i64(o0);  // o0's link is o1's absolute address
  EXPECT_EQ(link.known_mask, 0u);
  expect_number(m.load_i64(o1), 0);  // o1 was freed onto an empty list
}

TEST(PoolModel, PointersThatAreNotPoolsAreUnsafe) {
  Model m;
  Addr pool = pointer_of(m.pool_create(8, 4));
  Addr arena = pointer_of(m.arena_create(64));
  expect_unsafe(m.pool_alloc(arena));
  expect_unsafe(m.pool_free(arena, Addr::null()));
  expect_unsafe(m.pool_destroy(arena));
  expect_unsafe(m.pool_alloc(pool.plus(48)));
  EXPECT_FALSE(m.exited());
}

}  // namespace
}  // namespace mf::model
