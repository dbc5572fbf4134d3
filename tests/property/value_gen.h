// value_gen.h - numbers for op operands, biased towards the values where the
// contract changes behaviour.
//
// Every draw_* function uses RapidCheck's `*gen` and must be called while a
// generator runs (inside rc::gen::exec or a command's constructor), so that
// every number it picks shrinks.  Plain random draws are uniform over their
// range (not scaled down by RapidCheck's size), because a size of 2^63 is as
// interesting at the first test case as at the last; the length of the traces
// is what grows with the size.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>

namespace mf::property {

// Uniform in [lo, hi] (inclusive), shrinking towards lo.
std::uint64_t draw_uniform(std::uint64_t lo, std::uint64_t hi);

// One of the indices 0..n-1 of `weights`, each with its weight; shrinks
// towards index 0, so list the tamest choice first.
std::size_t draw_choice(std::span<const unsigned> weights);
inline std::size_t draw_choice(std::initializer_list<unsigned> weights) {
  return draw_choice(std::span<const unsigned>(weights.begin(), weights.size()));
}

// The boundary sizes: the binary format's table (harness/ops/binary_values.h)
// plus 0, 1, 7, 8, 9, the size-class edges and the top of the range, sorted.
std::span<const std::uint64_t> edge_sizes();
std::uint64_t draw_edge_size();
// A size-class edge of the page allocator (16, 1024, 2048, 4096, 8192 and
// every multiple of 16 up to 1024), give or take 2.
std::uint64_t draw_near_class_edge();
// A size of the same page-allocator size class as n (docs/spec.md, "Size
// classes"), possibly n itself; n of no class gives n.
std::uint64_t draw_same_class(std::uint64_t n);

// What a size operand is for: each use has its own mix of edges, small,
// medium and huge values.
enum class SizeUse : std::uint8_t {
  request,         // mem_alloc
  arena_capacity,  // arena_create
  pool_object,     // pool_create's obj_size
  pool_capacity,   // pool_create's slot count
};
std::uint64_t draw_size(SizeUse use);

// arena_alloc's request for an arena of `capacity` bytes with about `used`
// of them handed out: often an exact fit or one past it.
std::uint64_t draw_arena_request(std::uint64_t capacity, std::uint64_t used);
// memcpy's length where `room` bytes fit after both pointers.
std::uint64_t draw_copy_length(std::uint64_t room);

std::uint64_t draw_value();       // what a poke stores
std::uint64_t draw_seconds();     // clock_set / clock_advance
std::uint64_t draw_fail_count();  // os_fail's N: 1..8
std::uint64_t draw_memory_limit();  // memory_limit's bytes

}  // namespace mf::property
