// rounding_proofs.cpp - docs/spec.md's Round8 (arena, pool), Round16
// (allocator classes) and Round4096 (large mappings), over all 64-bit n.
#include "layout_proof.h"
#include "spec_arith.h"

namespace mf::proof::layout_proofs {

void prove_rounding(Prover& p) {
  namespace L = mf::layout;
  z3::context& c = p.ctx();
  z3::expr n = c.bv_const("n", 64);
  struct Unit {
    const char* name;
    std::uint64_t unit;
  };
  for (Unit u : {Unit{"Round8 (ARENA_ALIGN)", L::ARENA_ALIGN}, Unit{"Round8 (POOL_ALIGN)", L::POOL_ALIGN},
                 Unit{"Round16 (MEM_ALIGN)", L::MEM_ALIGN}, Unit{"Round4096 (OS_PAGE_SIZE)", L::OS_PAGE_SIZE}}) {
    std::string name = u.name;
    z3::expr rounded = spec::round_up(n, u.unit);
    z3::expr accepted = !spec::round_overflows(n, u.unit);
    // In 66 bits nothing wraps: the least multiple of the unit that is >= n.
    z3::expr wide = z3::zext(n, 2) + c.bv_val(u.unit - 1, 66);
    z3::expr least = wide - z3::urem(wide, c.bv_val(u.unit, 66));
    p.prove(name + ": rejected exactly when the least multiple >= n is >= 2^64", {},
            spec::round_overflows(n, u.unit) == z3::uge(least, z3::shl(c.bv_val(1, 66), c.bv_val(64, 66))), {n});
    p.prove(name + ": an accepted n + (unit - 1) does not wrap", {accepted},
            z3::ule(n, n + spec::u64(c, u.unit - 1)), {n});
    p.prove(name + ": never shrinks a request", {accepted}, z3::uge(rounded, n), {n});
    p.prove(name + ": is a multiple of the unit", {accepted},
            (rounded & spec::u64(c, u.unit - 1)) == spec::u64(c, 0), {n});
    p.prove(name + ": adds less than one unit", {accepted}, z3::ult(rounded - n, spec::u64(c, u.unit)), {n});
    p.prove(name + ": equals the least multiple computed without wrapping", {accepted},
            z3::zext(rounded, 2) == least, {n});
  }
}

}  // namespace mf::proof::layout_proofs
