// spec_arith.h - the arithmetic of docs/spec.md as Z3 bit-vector terms, for
// both the layout proofs and the code proofs.  Every constant comes from
// harness/sut/morph_abi.h; this file only adds what the spec states in prose.
#pragma once

#include <z3++.h>

#include <cstdint>

#include "morph_abi.h"

namespace mf::proof::spec {

namespace L = mf::layout;

// docs/spec.md, "Size classes": requests up to this size get the classes
// 16, 32, ..., in steps of MEM_ALIGN; above it the block sizes double up to
// SMALL_MAX.  layout.inc has no constant for it (alloc.s derives the same
// value from NUM_CLASSES); the static_assert ties the two descriptions.
inline constexpr std::uint64_t kStepClassMax = 1024;
inline constexpr std::uint64_t kStepClasses = kStepClassMax / L::MEM_ALIGN;
constexpr std::uint64_t doubling_classes() {
  std::uint64_t n = 0;
  for (std::uint64_t size = kStepClassMax; size < L::SMALL_MAX; size *= 2) ++n;
  return n;
}
static_assert(kStepClasses + doubling_classes() == L::NUM_CLASSES,
              "docs/spec.md's class list and NUM_CLASSES disagree");
// ceil(2^32 / block size): the slab's recip field.
inline constexpr unsigned kRecipShift = 32;

inline z3::expr u64(z3::context& c, std::uint64_t v) { return c.bv_val(static_cast<std::uint64_t>(v), 64); }

// The least multiple of `unit` (a power of two) >= n, modulo 2^64.
inline z3::expr round_up(const z3::expr& n, std::uint64_t unit) {
  z3::context& c = n.ctx();
  return ((n + u64(c, unit - 1)) & u64(c, ~(unit - 1))).simplify();
}
// That multiple is >= 2^64: the spec's "the rounding overflows".
inline z3::expr round_overflows(const z3::expr& n, std::uint64_t unit) {
  return z3::ugt(n, u64(n.ctx(), 0 - unit));
}

// The full 128-bit product, exactly as `mul` forms it.
inline z3::expr wide_product(const z3::expr& a, const z3::expr& b) {
  return (z3::zext(a, 64) * z3::zext(b, 64)).simplify();
}
// Its low half: the product modulo 2^64, written through the wide product so
// that every proof names one product term (see nonlinear_abstraction.h).
inline z3::expr low_product(const z3::expr& a, const z3::expr& b) { return wide_product(a, b).extract(63, 0); }
inline z3::expr mul_overflows(const z3::expr& a, const z3::expr& b) {
  return wide_product(a, b).extract(127, 64) != u64(a.ctx(), 0);
}

// ceil(n / 64) for n >= 1: the pool bitmap's quads.
inline z3::expr bitmap_quads(const z3::expr& capacity) {
  z3::context& c = capacity.ctx();
  return (z3::lshr(capacity - u64(c, 1), u64(c, 6)) + u64(c, 1)).simplify();
}

// pool_create's total = 48 + size * capacity + 8 * ceil(capacity / 64),
// computed without wrapping (in 128 bits), and whether it exceeds 2^64 - 1.
inline z3::expr pool_total_wide(const z3::expr& size, const z3::expr& capacity) {
  z3::context& c = size.ctx();
  z3::expr wide = wide_product(size, capacity) + z3::zext(u64(c, L::POOL_HDR_SIZE), 64) +
                  z3::zext(bitmap_quads(capacity), 64) * c.bv_val(8, 128);
  return wide.simplify();
}
inline z3::expr pool_total_overflows(const z3::expr& size, const z3::expr& capacity) {
  return pool_total_wide(size, capacity).extract(127, 64) != u64(size.ctx(), 0);
}

// The size class of a small request 1 <= n <= SMALL_MAX (docs/spec.md).
inline z3::expr size_class(const z3::expr& n) {
  z3::context& c = n.ctx();
  z3::expr cls = u64(c, L::NUM_CLASSES - 1);
  std::uint64_t index = L::NUM_CLASSES - 1;
  for (std::uint64_t size = L::SMALL_MAX / 2; size >= kStepClassMax; size /= 2)
    cls = z3::ite(z3::ule(n, u64(c, size)), u64(c, --index), cls);
  z3::expr step = z3::udiv(n + u64(c, L::MEM_ALIGN - 1), u64(c, L::MEM_ALIGN)) - u64(c, 1);
  return z3::ite(z3::ule(n, u64(c, kStepClassMax)), step, cls).simplify();
}
// The block size of small class `index` (0..NUM_CLASSES-1).
inline z3::expr class_block_size(const z3::expr& index) {
  z3::context& c = index.ctx();
  z3::expr doubling = z3::lshr(u64(c, L::SMALL_MAX), u64(c, L::NUM_CLASSES - 1) - index);
  return z3::ite(z3::ult(index, u64(c, kStepClasses)), (index + u64(c, 1)) * u64(c, L::MEM_ALIGN), doubling)
      .simplify();
}
// recip = ceil(2^32 / d), stated without division: the least r with r * d >= 2^32.
inline z3::expr is_recip_of(const z3::expr& recip, const z3::expr& d) {
  z3::context& c = d.ctx();
  z3::expr two32 = u64(c, 1ULL << kRecipShift);
  return z3::uge(recip * d, two32) && z3::ult((recip - u64(c, 1)) * d, two32) && z3::ult(recip, two32 + u64(c, 1)) &&
         recip != u64(c, 0);
}
// Bytes mapped for a large request: Round4096(LARGE_USER_OFFSET + n).
inline z3::expr large_page_size(const z3::expr& n) {
  return round_up(n + u64(n.ctx(), L::LARGE_USER_OFFSET), L::OS_PAGE_SIZE);
}

}  // namespace mf::proof::spec
