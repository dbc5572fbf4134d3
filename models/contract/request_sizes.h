// request_sizes.h - the sizes docs/spec.md derives from an op's arguments
// (what a creation asks of mem_alloc, what an arena allocation takes), as
// pure functions: the model's allocators are built on them, and the
// harness's generators and decoders ask them (which creations can succeed at
// all, how much of an arena a request uses) instead of deriving the
// contract again.
//
// Every function returns nullopt exactly when the spec makes the op return 0
// before any system call (a zero or too small argument, or a size
// computation that overflows 64 bits).  A creation's request that exists may
// still be refused by mem_alloc (mem_request_in_range) or by the OS.
#pragma once

#include <cstdint>
#include <optional>

#include "checked_math.h"
#include "layout.h"

namespace mf::model {

// mem_alloc(n) asks the OS for anything at all: 1 <= n <= MEM_MAX_REQUEST.
bool mem_request_in_range(std::uint64_t n);

// The bytes a new page for mem_alloc(n) maps (n in range): a whole slab for
// a small request, Round4096(LARGE_USER_OFFSET + n) for a large one.
std::uint64_t mem_new_page_size(std::uint64_t n);

// arena_create(size): mem_alloc(ARENA_HDR_SIZE + size).
inline std::optional<std::uint64_t> arena_create_request(std::uint64_t size) {
  if (size == 0) return std::nullopt;
  return checked_add(layout::ARENA_HDR_SIZE, size);
}

// What arena_alloc(arena, n) takes from the arena: n rounded up to
// ARENA_ALIGN (n = 0 is refused).  Inline: the model calls it on every
// arena allocation.
inline std::optional<std::uint64_t> arena_alloc_size(std::uint64_t n) {
  if (n == 0) return std::nullopt;
  return round_up(n, layout::ARENA_ALIGN);
}

// A pool's object size: obj_size rounded up to POOL_ALIGN.
inline std::optional<std::uint64_t> pool_object_size(std::uint64_t obj_size) {
  return round_up(obj_size, layout::POOL_ALIGN);
}

// pool_create(obj_size, capacity): mem_alloc(POOL_HDR_SIZE + objects +
// bitmap), objects = pool_object_size(obj_size) * capacity and bitmap =
// 8 * ceil(capacity / 64).
std::optional<std::uint64_t> pool_create_request(std::uint64_t obj_size, std::uint64_t capacity);

}  // namespace mf::model
