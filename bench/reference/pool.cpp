// pool.cpp - the pool allocator in plain C++, the same algorithm as
// asm/pool.s per docs/spec.md: LIFO free list, bump for never-used slots,
// zero fill on every allocation, and the free bitmap after `end` that turns
// a double free into exit 111.  Timing yardstick only (see the header).

#include <cstdint>
#include <cstring>

#include "reference_allocators.h"

namespace mf::bench_ref {
namespace {

using namespace mf::layout;

std::uint64_t* free_bitmap(const MfPoolHeader* pool) {
  return reinterpret_cast<std::uint64_t*>(pool->end);
}

// 48 + obj_size * capacity + 8 * ceil(capacity / 64); false on any overflow.
bool pool_total_size(std::uint64_t obj_size, std::uint64_t capacity, std::uint64_t* total) {
  std::uint64_t slots = 0;
  if (__builtin_mul_overflow(obj_size, capacity, &slots)) return false;
  const std::uint64_t bitmap_bytes = 8 * (capacity / 64 + (capacity % 64 != 0));
  std::uint64_t sum = 0;
  if (__builtin_add_overflow(slots, bitmap_bytes, &sum)) return false;
  return !__builtin_add_overflow(sum, POOL_HDR_SIZE, total);
}

std::uint64_t capacity_of(const MfPoolHeader* pool) {
  return (pool->end - pool->start) / pool->obj_size;
}

}  // namespace

MfPoolHeader* pool_create(std::uint64_t obj_size, std::uint64_t capacity) {
  if (obj_size < POOL_MIN_OBJ || capacity == 0) return nullptr;
  if (obj_size > ~std::uint64_t{0} - (POOL_ALIGN - 1)) return nullptr;
  obj_size = (obj_size + POOL_ALIGN - 1) & ~(POOL_ALIGN - 1);
  std::uint64_t total = 0;
  if (!pool_total_size(obj_size, capacity, &total)) return nullptr;
  auto* pool = static_cast<MfPoolHeader*>(::mem_alloc(total));
  if (pool == nullptr) return nullptr;
  pool->start = reinterpret_cast<std::uint64_t>(pool) + POOL_HDR_SIZE;
  pool->current = pool->start;
  pool->end = pool->start + obj_size * capacity;
  pool->obj_size = obj_size;
  pool->free_head = 0;
  pool->reserved = 0;
  std::memset(free_bitmap(pool), 0, total - (pool->end - reinterpret_cast<std::uint64_t>(pool)));
  return pool;
}

void* pool_alloc(MfPoolHeader* pool) {
  if (pool == nullptr) __mf_panic(static_cast<int>(MF_EXIT_NULL), "pool_alloc");
  std::uint64_t obj = pool->free_head;
  if (obj != 0) {
    pool->free_head = *reinterpret_cast<std::uint64_t*>(obj);
    const std::uint64_t k = (obj - pool->start) / pool->obj_size;
    free_bitmap(pool)[k / 64] &= ~(std::uint64_t{1} << (k % 64));
  } else if (pool->end - pool->current >= pool->obj_size) {
    obj = pool->current;
    pool->current = obj + pool->obj_size;
  } else {
    return nullptr;
  }
  std::memset(reinterpret_cast<void*>(obj), 0, pool->obj_size);
  return reinterpret_cast<void*>(obj);
}

void pool_free(MfPoolHeader* pool, void* obj) {
  if (pool == nullptr || obj == nullptr) __mf_panic(static_cast<int>(MF_EXIT_NULL), "pool_free");
  const std::uint64_t p = reinterpret_cast<std::uint64_t>(obj);
  if (p < pool->start || p >= pool->current) __mf_panic(static_cast<int>(MF_EXIT_BOUNDS), "pool_free");
  const std::uint64_t offset = p - pool->start;
  const std::uint64_t k = offset / pool->obj_size;
  if (offset % pool->obj_size != 0) __mf_panic(static_cast<int>(MF_EXIT_BOUNDS), "pool_free");
  std::uint64_t* word = &free_bitmap(pool)[k / 64];
  const std::uint64_t bit = std::uint64_t{1} << (k % 64);
  if ((*word & bit) != 0) __mf_panic(static_cast<int>(MF_EXIT_BOUNDS), "pool_free");
  *reinterpret_cast<std::uint64_t*>(p) = pool->free_head;
  pool->free_head = p;
  *word |= bit;
}

void pool_destroy(MfPoolHeader* pool) {
  if (pool == nullptr) __mf_panic(static_cast<int>(MF_EXIT_NULL), "pool_destroy");
  std::uint64_t total = 0;
  pool_total_size(pool->obj_size, capacity_of(pool), &total);
  ::mem_free(pool, total);
}

}  // namespace mf::bench_ref
