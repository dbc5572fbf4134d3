// total_size_proofs.cpp - the total sizes arena_create, pool_create and
// mem_alloc compute either fit in 64 bits or are rejected by the spec's
// checks, computed in the order the spec gives them.
#include "layout_proof.h"
#include "spec_arith.h"

namespace mf::proof::layout_proofs {

void prove_total_sizes(Prover& p) {
  namespace L = mf::layout;
  using spec::u64;
  z3::context& c = p.ctx();
  {
    z3::expr size = c.bv_const("size", 64);
    z3::expr wide = z3::zext(size, 1) + c.bv_val(L::ARENA_HDR_SIZE, 65);
    p.prove("arena_create: size <= 2^64 - 33 exactly when 32 + size fits in 64 bits", {},
            z3::ule(size, u64(c, 0 - L::ARENA_HDR_SIZE - 1)) == (wide.extract(64, 64) == c.bv_val(0, 1)), {size});
  }
  {
    z3::expr obj = c.bv_const("obj_size", 64), cap = c.bv_const("capacity", 64);
    z3::expr z = spec::round_up(obj, L::POOL_ALIGN);
    std::vector<z3::expr> asked = {z3::uge(obj, u64(c, L::POOL_MIN_OBJ)), !spec::round_overflows(obj, L::POOL_ALIGN),
                                   cap != u64(c, 0)};
    // Proved for any 128-bit product value, which is stronger and keeps the
    // multiplier circuit out of the SAT problem: only the adders matter.
    z3::expr product = c.bv_const("product", 128);
    // A product of two 64-bit values is at most (2^64 - 1)^2 < 2^128 - 2^64.
    asked.push_back(z3::ule(product.extract(127, 64), u64(c, ~0ULL - 1)));
    z3::expr slots = product.extract(63, 0);
    z3::expr bitmap = spec::bitmap_quads(cap) * u64(c, 8);
    z3::expr with_header = slots + u64(c, L::POOL_HDR_SIZE);
    z3::expr exact = product + z3::zext(u64(c, L::POOL_HDR_SIZE), 64) + z3::zext(bitmap, 64);
    z3::expr fits = exact.extract(127, 64) == u64(c, 0);
    // The checked computation: product without overflow, then two sums without carry.
    z3::expr checked_ok = product.extract(127, 64) == u64(c, 0) && z3::uge(with_header, slots) &&
                          z3::uge(with_header + bitmap, with_header);
    p.prove("pool_create: the bitmap's 8 * ceil(capacity / 64) bytes never overflow", asked,
            z3::ule(spec::bitmap_quads(cap), u64(c, 1ULL << 58)), {obj, cap});
    p.prove("pool_create: the checked sum accepts exactly when the exact total fits in 64 bits", asked,
            checked_ok == fits, {obj, cap, product});
    p.prove("pool_create: when accepted, the checked sum is the exact total", asked,
            z3::implies(checked_ok, z3::zext(with_header + bitmap, 64) == exact), {obj, cap, product});
    p.prove("pool_create: spec::pool_total_wide is that exact total for the real product", asked,
            spec::pool_total_wide(z, cap) ==
                spec::wide_product(z, cap) + z3::zext(u64(c, L::POOL_HDR_SIZE), 64) + z3::zext(bitmap, 64),
            {obj, cap});
  }
  {
    z3::expr a = c.int_const("a"), b = c.int_const("b");
    p.prove("a product of two 64-bit values has a high half <= 2^64 - 2 (used above)", {in_u64(a), in_u64(b)},
            a * b / two_to(c, 64) <= two_to(c, 64) - 2, {a, b});
  }
  {
    z3::expr n = c.bv_const("n", 64);
    p.prove("mem_alloc: every request up to MEM_MAX_REQUEST has a mapping size that fits",
            {z3::uge(n, u64(c, 1)), z3::ule(n, u64(c, L::MEM_MAX_REQUEST))},
            !spec::round_overflows(n + u64(c, L::LARGE_USER_OFFSET), L::OS_PAGE_SIZE) &&
                z3::ule(spec::large_page_size(n), u64(c, L::USER_SPACE_END)),
            {n});
    p.prove("mem_alloc: Round16 of every accepted request fits", {z3::ule(n, u64(c, L::MEM_MAX_REQUEST))},
            !spec::round_overflows(n, L::MEM_ALIGN), {n});
  }
}

}  // namespace mf::proof::layout_proofs
