// slot_lemma_proofs.cpp - the integer proofs of spec/slot_lemmas.h, the
// facts the pool code proofs assume.  Each lemma is read over the integers:
// x, z, cap are 64-bit values; z * cap < 2^64 is "no overflow"; bvudiv and
// bvurem are integer division and remainder (z != 0); and under the
// hypotheses x + z <= z * cap < 2^64, so the 64-bit sum does not wrap.
//
// The nonlinear solver proves slot_ends_within only in steps (stated whole,
// it does not finish), so it is proved as three facts and their chaining.
#include "layout_proof.h"

namespace mf::proof::layout_proofs {

namespace {
z3::expr k_range(z3::context& c) {
  z3::expr k = c.int_const("k");
  return k >= 0 && k < c.int_const("cap");
}
}  // namespace

void prove_slot_lemmas(Prover& p) {
  z3::context& c = p.ctx();
  z3::expr x = c.int_const("x"), z = c.int_const("z"), cap = c.int_const("cap"), q = c.int_const("q");
  std::vector<z3::expr> hypotheses = {in_u64(x), in_u64(z), in_u64(cap), z != 0, z * cap < two_to(c, 64),
                                      x < z * cap};
  std::vector<z3::expr> shown = {x, z, cap};
  p.prove("lemma slot_index_below_capacity: x < z * cap  =>  x / z < cap", hypotheses, x / z < cap, shown);

  // slot_ends_within, step by step, with q standing for x / z.
  p.prove("  step 1: x mod z = 0  =>  x = z * (x / z)", {in_u64(x), in_u64(z), z != 0, x % z == 0}, x == z * (x / z),
          shown);
  p.prove("  step 2: 0 <= q, q + 1 <= cap  =>  z * q + z <= z * cap", {q >= 0, z >= 1, q + 1 <= cap},
          z * q + z <= z * cap, {q, z, cap});
  std::vector<z3::expr> chained = hypotheses;
  chained.push_back(x % z == 0);
  chained.push_back(q == x / z);
  chained.push_back(x == z * q);                                     // step 1
  chained.push_back(q < cap);                                        // the first lemma
  chained.push_back(z3::implies(q >= 0 && q + 1 <= cap, z * q + z <= z * cap));  // step 2
  p.prove("lemma slot_ends_within: x < z * cap, x mod z = 0  =>  x + z <= z * cap (chaining the steps)", chained,
          x + z <= z * cap, shown);

  // slot_offset_aligned, with z = 8 * y and q = x / z, in two steps.
  z3::expr y = c.int_const("y"), w = c.int_const("w");
  p.prove("  step 3: z = 8y  =>  z * q = 8 * (y * q)", {z == 8 * y}, z * q == 8 * (y * q), {z, q});
  p.prove("lemma slot_offset_aligned: x mod z = 0, z = 8y, x = z * q = 8w  =>  x mod 8 = 0 (chaining steps 1 and 3)",
          {in_u64(x), z >= 1, x % z == 0, q == x / z, x == z * q, w == y * q, z * q == 8 * w}, x % 8 == 0,
          {x, z});
  p.prove("lemma bitmap_quad_exists: k < cap  =>  k / 64 < ceil(cap / 64)", {k_range(c), cap >= 1},
          c.int_const("k") / 64 < (cap + 63) / 64, {cap});
  p.prove("lemma exact_quotient: z * cap < 2^64  =>  (z * cap) / z = cap",
          {in_u64(z), in_u64(cap), z != 0, z * cap < two_to(c, 64)}, (z * cap) / z == cap, {z, cap});
}

}  // namespace mf::proof::layout_proofs
