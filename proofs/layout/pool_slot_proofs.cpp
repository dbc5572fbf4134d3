// pool_slot_proofs.cpp - the pool's slot arithmetic (docs/spec.md, "The pool
// allocator"), over unbounded integers standing for 64-bit values: the
// spec's products and sums never wrap under pool_create's checks, so integer
// arithmetic is the exact meaning, and Z3's nonlinear integer solver proves
// these facts where bit-blasting a 64-bit multiplier would not finish.
#include "layout_proof.h"
#include "spec_arith.h"

namespace mf::proof::layout_proofs {

void prove_pool_slots(Prover& p) {
  namespace L = mf::layout;
  z3::context& c = p.ctx();
  z3::expr header = c.int_const("header"), size = c.int_const("obj_size"), cap = c.int_const("capacity");
  z3::expr k = c.int_const("k"), obj = c.int_const("obj"), current = c.int_const("current");
  z3::expr size8 = c.int_const("obj_size_div_8"), header16 = c.int_const("header_div_16");
  z3::expr start = header + int_of(c, L::POOL_HDR_SIZE);
  z3::expr end = start + size * cap;
  z3::expr quads = (cap + 63) / 64;  // ceil(capacity / 64)
  // A pool as pool_create makes it: header 16-aligned, obj_size rounded to a
  // multiple of 8 (>= 8), capacity >= 1, and the whole block below 2^64.
  std::vector<z3::expr> pool = {in_u64(header),
                                header == int_of(c, L::MEM_ALIGN) * header16,
                                size == int_of(c, L::POOL_ALIGN) * size8,
                                size >= int_of(c, L::POOL_MIN_OBJ),
                                cap >= 1,
                                end + 8 * quads <= two_to(c, 64)};
  auto with = [&](std::vector<z3::expr> extra) {
    std::vector<z3::expr> all = pool;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  std::vector<z3::expr> shown = {header, size, cap, k};

  p.prove("every slot start + k * obj_size (0 <= k < capacity) lies in [start, end)", with({k >= 0, k < cap}),
          start <= start + k * size && start + k * size + size <= end, shown);
  p.prove("every slot is 8-aligned", with({k >= 0, k < cap}),
          start + k * size == 8 * (header16 * 2 + int_of(c, L::POOL_HDR_SIZE / 8) + k * size8), shown);
  p.prove("header, slots and bitmap follow each other without overlap",
          pool, header + int_of(c, L::POOL_HDR_SIZE) <= start && start <= end && end <= end + 8 * quads, shown);

  // pool_free's check: start <= obj < current <= end and (obj - start) a
  // multiple of obj_size.  Its slot index is k = (obj - start) / obj_size.
  std::vector<z3::expr> accepted = with({in_u64(obj), start <= obj, obj < current, current <= end,
                                         (obj - start) % size == 0});
  z3::expr index = (obj - start) / size;
  std::vector<z3::expr> seen = {header, size, cap, obj, current};
  p.prove("an address the free check accepts is start + k * obj_size ...", accepted,
          obj == start + index * size, seen);
  p.prove("... with 0 <= k < capacity, so it is one of the slots", accepted, index >= 0 && index < cap, seen);
  p.prove("its bitmap bit lies inside the bitmap (quad k / 64 < ceil(capacity / 64))",
          with({k >= 0, k < cap}), k / 64 < quads, shown);
  p.prove("pool_alloc's bump keeps current a slot boundary: start + j * obj_size + obj_size <= end iff j < capacity",
          with({k >= 0, k <= cap}), (start + k * size + size <= end) == (k < cap), shown);
}

}  // namespace mf::proof::layout_proofs
