// slot_lemmas.h - two facts about a pool's slot arithmetic that bit-blasting
// cannot prove in reasonable time (they are nonlinear: a 64-bit division
// against a 64-bit product), but Z3's integer arithmetic proves in
// milliseconds.  proofs/layout/slot_lemma_proofs.cpp proves each one over
// the integers for all 64-bit inputs; the code proofs assume their
// bit-vector instances (an unsigned 64-bit value is the integer it denotes,
// and under the hypotheses no operation below wraps).
//
//   slot_index_below_capacity:  z != 0, z * cap < 2^64, x < z * cap
//                               =>  x / z < cap
//   slot_ends_within:           the same and x mod z = 0
//                               =>  x + z <= z * cap
//   exact_quotient:             z != 0, z * cap < 2^64  =>  (z * cap) / z = cap
#pragma once

#include <z3++.h>

#include "spec_arith.h"

namespace mf::proof::lemma {

inline z3::expr slot_hypotheses(const z3::expr& x, const z3::expr& z, const z3::expr& cap) {
  z3::context& c = x.ctx();
  return z != spec::u64(c, 0) && !spec::mul_overflows(z, cap) && z3::ult(x, spec::low_product(z, cap));
}

inline z3::expr slot_index_below_capacity(const z3::expr& x, const z3::expr& z, const z3::expr& cap) {
  return z3::implies(slot_hypotheses(x, z, cap), z3::ult(z3::udiv(x, z), cap)).simplify();
}

inline z3::expr slot_ends_within(const z3::expr& x, const z3::expr& z, const z3::expr& cap) {
  z3::context& c = x.ctx();
  // x + z <= z * cap, written so that no term can wrap: the instance then
  // says as much to a solver with the arithmetic abstracted as it does over
  // the integers.
  z3::expr slots = spec::low_product(z, cap);
  return z3::implies(slot_hypotheses(x, z, cap) && z3::urem(x, z) == spec::u64(c, 0),
                     z3::ule(z, slots) && z3::ule(x, slots - z))
      .simplify();
}

// A multiple of a multiple of 8 is a multiple of 8:
//   z mod 8 = 0, z != 0, x mod z = 0  =>  x mod 8 = 0
inline z3::expr slot_offset_aligned(const z3::expr& x, const z3::expr& z) {
  z3::context& c = x.ctx();
  z3::expr seven = spec::u64(c, 7), zero = spec::u64(c, 0);
  return z3::implies((z & seven) == zero && z != zero && z3::urem(x, z) == zero, (x & seven) == zero).simplify();
}

// Slot k's bitmap quad exists: k < cap => k / 64 < ceil(cap / 64)
// (layout/pool_slot_proofs.cpp, "its bitmap bit lies inside the bitmap").
inline z3::expr bitmap_quad_exists(const z3::expr& k, const z3::expr& cap) {
  z3::context& c = k.ctx();
  return z3::implies(z3::ult(k, cap), z3::ult(z3::lshr(k, spec::u64(c, 6)), spec::bitmap_quads(cap))).simplify();
}

// The slot count comes back from the slot bytes: with no overflow,
// (z * cap) / z = cap (pool_destroy recomputes a pool's capacity this way).
inline z3::expr exact_quotient(const z3::expr& z, const z3::expr& cap) {
  z3::context& c = z.ctx();
  return z3::implies(z != spec::u64(c, 0) && !spec::mul_overflows(z, cap),
                     z3::udiv(spec::low_product(z, cap), z) == cap)
      .simplify();
}

}  // namespace mf::proof::lemma
