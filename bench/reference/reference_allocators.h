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

// The page allocator has no C++ twin: its yardsticks are glibc and mimalloc
// (mem_bench, churn_bench).  The arena and pool references below take their
// memory from the assembly's mem_alloc / mem_free, as the assembly's own
// arena and pool do, outside the timed operations.

// Arena allocator (spec: "The arena allocator"), on top of ::mem_alloc.
MfArenaHeader* arena_create(std::uint64_t size);
void* arena_alloc(MfArenaHeader* arena, std::uint64_t size);
void arena_reset(MfArenaHeader* arena);
void arena_destroy(MfArenaHeader* arena);

// Pool allocator (spec: "The pool allocator"), on top of ::mem_alloc.
MfPoolHeader* pool_create(std::uint64_t obj_size, std::uint64_t capacity);
void* pool_alloc(MfPoolHeader* pool);
void pool_free(MfPoolHeader* pool, void* obj);
void pool_destroy(MfPoolHeader* pool);

}  // namespace mf::bench_ref
