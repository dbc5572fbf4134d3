// layout_proof.h - a tiny driver for the layout proofs: each property is a
// claim checked valid (its negation unsatisfiable) under hypotheses, timed,
// and on failure printed with a counterexample.
#pragma once

#include <z3++.h>

#include <functional>
#include <string>
#include <vector>

namespace mf::proof::layout_proofs {

class Prover {
 public:
  explicit Prover(z3::context& ctx) : ctx_(ctx) {}
  z3::context& ctx() { return ctx_; }

  // Proves `claim` for every value of its free constants satisfying all
  // `hypotheses`; `witness` (true by default) must be satisfiable together
  // with the hypotheses, so that a property is never proved vacuously.
  void prove(const std::string& name, const std::vector<z3::expr>& hypotheses, const z3::expr& claim,
             std::vector<z3::expr> shown = {});
  // The same property for instances 0..count-1 (e.g. each size class):
  // `instance(i, hypotheses)` returns the claim for instance i.  Reported
  // as one line with the total time; the first failing instance is shown.
  void prove_each(const std::string& name, std::uint64_t count,
                  const std::function<z3::expr(std::uint64_t, std::vector<z3::expr>&)>& instance);
  bool all_proved() const { return failures_ == 0; }

 private:
  z3::context& ctx_;
  int failures_ = 0;
};

// 0 <= x < 2^64: an integer standing for an unsigned 64-bit value.
z3::expr in_u64(const z3::expr& x);
z3::expr two_to(z3::context& ctx, unsigned exponent);
z3::expr int_of(z3::context& ctx, std::uint64_t value);

// One group of properties per file.
void prove_rounding(Prover& p);
void prove_arena_bounds(Prover& p);
void prove_pool_slots(Prover& p);
void prove_slot_lemmas(Prover& p);
void prove_slab_layout(Prover& p);
void prove_size_classes(Prover& p);
void prove_total_sizes(Prover& p);
void prove_page_map(Prover& p);

}  // namespace mf::proof::layout_proofs
