// nonlinear_abstraction.h - proving with multiplication and division left
// uninterpreted.
//
// A 64x64-bit multiplier or a 64-bit divider in a query makes bit-blasting
// crawl (minutes), yet the builtins' obligations almost never depend on what
// a product or quotient *is*: the spec and the code compute the same
// product, and the few facts that matter (a slot index is below the
// capacity) come from proved lemmas (spec/slot_lemmas.h).  So each product
// of two non-constant values and each quotient or remainder by a
// non-constant divisor is replaced by an uninterpreted function of its
// operands.  That is sound for proofs: a query unsatisfiable for every
// interpretation of those functions is unsatisfiable for the real one.  A
// model of the abstracted query may be spurious, so a counterexample is
// re-checked on the real terms before it is reported.
#pragma once

#include <z3++.h>

#include <vector>

#include "term_memo.h"

namespace mf::proof {

class NonlinearAbstraction {
 public:
  explicit NonlinearAbstraction(z3::context& ctx) : ctx_(ctx) {}
  z3::expr operator()(const z3::expr& e);
  // True facts about the functions introduced so far, to add to each query:
  // a product of two zero-extended 64-bit values has a high half of at most
  // 2^64 - 2, since (2^64 - 1)^2 < 2^128 - 2^64 (proved in layout/
  // total_size_proofs.cpp).  Without it an abstract product could wrap a
  // 128-bit sum, which no real one can.
  const std::vector<z3::expr>& facts() const { return facts_; }

 private:
  z3::expr function(const char* stem, const z3::expr& a, const z3::expr& b);
  z3::context& ctx_;
  TermMemo memo_;  // holds its keys: see term_memo.h
  std::vector<z3::expr> facts_;
  TermMemo fact_for_;  // products that already have their fact
};

}  // namespace mf::proof
