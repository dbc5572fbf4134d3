// size_class_proofs.cpp - docs/spec.md's size classes: for every small
// request the class is in range and is the least class whose block holds it.
#include "layout_proof.h"
#include "spec_arith.h"

namespace mf::proof::layout_proofs {

void prove_size_classes(Prover& p) {
  namespace L = mf::layout;
  using spec::u64;
  z3::context& c = p.ctx();
  z3::expr n = c.bv_const("n", 64);
  std::vector<z3::expr> small = {z3::uge(n, u64(c, 1)), z3::ule(n, u64(c, L::SMALL_MAX))};
  z3::expr cls = spec::size_class(n);
  z3::expr bs = spec::class_block_size(cls);
  p.prove("every small request has a class 0..NUM_CLASSES-1", small, z3::ult(cls, u64(c, L::NUM_CLASSES)), {n});
  p.prove("the class's block holds the request", small, z3::uge(bs, n), {n});
  p.prove("no smaller class would hold it (the class is the least)", small,
          cls == u64(c, 0) || z3::ult(spec::class_block_size(cls - u64(c, 1)), n), {n});
  p.prove("up to 1024 bytes the block size is Round16(n)", {z3::uge(n, u64(c, 1)), z3::ule(n, u64(c, spec::kStepClassMax))},
          bs == spec::round_up(n, L::MEM_ALIGN), {n});
  z3::expr i = c.bv_const("i", 64), j = c.bv_const("j", 64);
  p.prove("block sizes strictly increase with the class", {z3::ult(i, j), z3::ult(j, u64(c, L::NUM_CLASSES))},
          z3::ult(spec::class_block_size(i), spec::class_block_size(j)), {i, j});
  p.prove("the last class's block is SMALL_MAX", {},
          spec::class_block_size(u64(c, L::NUM_CLASSES - 1)) == u64(c, L::SMALL_MAX), {});
}

}  // namespace mf::proof::layout_proofs
