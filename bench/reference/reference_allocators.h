// reference_allocators.h - the C++ yardstick the assembly is timed against.
//
// Each function here follows the same algorithm as its assembly namesake,
// exactly as docs/spec.md describes it (same headers, same checks, same
// failure exits through __mf_panic), written as plain -O2 C++.  They live in
// their own translation units and library so the compiler cannot inline them
// into the benchmark loop: both sides pay one real call per operation.
//
// These are for timing only; the reference model that defines correctness is
// in models/.
#pragma once

#include <cstdint>

#include "morph_abi.h"

namespace mf::bench_ref {

// Page allocator (spec: "The page allocator").  Own page list, separate from
// the assembly's; maps through the same __mf_os_* shim.
void* mem_alloc(std::uint64_t size);
void mem_free(void* ptr, std::uint64_t size);
std::uint64_t mem_page_count();

// Arena allocator (spec: "The arena allocator"), on top of mem_alloc above.
MfArenaHeader* arena_create(std::uint64_t size);
void* arena_alloc(MfArenaHeader* arena, std::uint64_t size);
void arena_reset(MfArenaHeader* arena);
void arena_destroy(MfArenaHeader* arena);

// Pool allocator (spec: "The pool allocator"), on top of mem_alloc above.
MfPoolHeader* pool_create(std::uint64_t obj_size, std::uint64_t capacity);
void* pool_alloc(MfPoolHeader* pool);
void pool_free(MfPoolHeader* pool, void* obj);
void pool_destroy(MfPoolHeader* pool);

}  // namespace mf::bench_ref
