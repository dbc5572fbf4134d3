// arena.cpp - the arena allocator in plain C++, the same algorithm as
// asm/arena.s per docs/spec.md.  Timing yardstick only (see the header).

#include <cstdint>

#include "reference_allocators.h"

namespace mf::bench_ref {
namespace {

using namespace mf::layout;

std::uint64_t g_next_id = 1;

[[noreturn]] void null_arena(const char* function) {
  __mf_panic(static_cast<int>(MF_EXIT_NULL), function);
}

}  // namespace

MfArenaHeader* arena_create(std::uint64_t size) {
  if (size == 0 || size > ~std::uint64_t{0} - ARENA_HDR_SIZE) return nullptr;
  auto* arena = static_cast<MfArenaHeader*>(::mem_alloc(ARENA_HDR_SIZE + size));
  if (arena == nullptr) return nullptr;
  arena->start = reinterpret_cast<std::uint64_t>(arena) + ARENA_HDR_SIZE;
  arena->current = arena->start;
  arena->end = arena->start + size;
  arena->id = g_next_id++;
  return arena;
}

void* arena_alloc(MfArenaHeader* arena, std::uint64_t size) {
  if (arena == nullptr) null_arena("arena_alloc");
  if (size == 0 || size > ~std::uint64_t{0} - (ARENA_ALIGN - 1)) return nullptr;
  const std::uint64_t rounded = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
  if (rounded > arena->end - arena->current) return nullptr;
  const std::uint64_t block = arena->current;
  arena->current = block + rounded;
  return reinterpret_cast<void*>(block);
}

void arena_reset(MfArenaHeader* arena) {
  if (arena == nullptr) null_arena("arena_reset");
  arena->current = arena->start;
}

void arena_destroy(MfArenaHeader* arena) {
  if (arena == nullptr) null_arena("arena_destroy");
  ::mem_free(arena, ARENA_HDR_SIZE + (arena->end - arena->start));
}

}  // namespace mf::bench_ref
