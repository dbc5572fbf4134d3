// arena_bounds_proofs.cpp - start <= current <= end is established by
// arena_create and kept by every arena operation of docs/spec.md, and each
// block arena_alloc hands out lies wholly in [start, end), 8-aligned.
#include "layout_proof.h"
#include "spec_arith.h"

namespace mf::proof::layout_proofs {

void prove_arena_bounds(Prover& p) {
  namespace L = mf::layout;
  using spec::u64;
  z3::context& c = p.ctx();
  z3::expr h = c.bv_const("header", 64), size = c.bv_const("size", 64), n = c.bv_const("n", 64);
  z3::expr start = c.bv_const("start", 64), current = c.bv_const("current", 64), end = c.bv_const("end", 64);
  auto invariant = [&](const z3::expr& s, const z3::expr& cur, const z3::expr& e) {
    return z3::ule(s, cur) && z3::ule(cur, e) && ((cur - s) & u64(c, L::ARENA_ALIGN - 1)) == u64(c, 0) &&
           (s & u64(c, L::ARENA_ALIGN - 1)) == u64(c, 0);
  };

  // arena_create: mem_alloc(32 + size) returned a 16-aligned block in user
  // space: h + 32 + size <= USER_SPACE_END.
  z3::expr user_end = u64(c, L::USER_SPACE_END);
  z3::expr created = h != u64(c, 0) && (h & u64(c, L::MEM_ALIGN - 1)) == u64(c, 0) && size != u64(c, 0) &&
                     z3::ule(size, u64(c, 0 - L::ARENA_HDR_SIZE - 1)) && z3::ult(h, user_end) &&
                     z3::ule(size + u64(c, L::ARENA_HDR_SIZE), user_end - h);
  z3::expr s0 = h + u64(c, L::ARENA_HDR_SIZE);
  p.prove("arena_create establishes start <= current <= end (8-aligned start, usage 0)", {created},
          invariant(s0, s0, s0 + size), {h, size});
  p.prove("arena_create: capacity end - start is exactly size, and start..end does not wrap", {created},
          (s0 + size) - s0 == size && z3::ule(s0, s0 + size) && z3::ugt(s0, h), {h, size});

  // arena_alloc(n) on any state satisfying the invariant.
  z3::expr rounded = spec::round_up(n, L::ARENA_ALIGN);
  z3::expr refused = n == u64(c, 0) || spec::round_overflows(n, L::ARENA_ALIGN) || z3::ugt(rounded, end - current);
  z3::expr inv = invariant(start, current, end);
  p.prove("arena_alloc keeps start <= current <= end", {inv},
          invariant(start, z3::ite(refused, current, current + rounded), end), {start, current, end, n});
  p.prove("arena_alloc: a returned block lies wholly in [start, end)", {inv, !refused},
          z3::ule(start, current) && z3::ule(current, end) && z3::ule(rounded, end - current) &&
              z3::ule(current, current + rounded) && z3::ule(current + rounded, end),
          {start, current, end, n});
  p.prove("arena_alloc: a returned block is 8-aligned and at least n bytes", {inv, !refused},
          (current & u64(c, L::ARENA_ALIGN - 1)) == u64(c, 0) && z3::uge(rounded, n), {start, current, end, n});
  p.prove("arena_alloc: successive blocks do not overlap (the next starts at the old end)", {inv, !refused},
          z3::uge(current + rounded, current + n), {start, current, end, n});
  p.prove("arena_reset keeps start <= current <= end", {inv}, invariant(start, start, end), {start, current, end});
  p.prove("arena_get_usage <= arena_get_capacity", {inv}, z3::ule(current - start, end - start),
          {start, current, end});
}

}  // namespace mf::proof::layout_proofs
