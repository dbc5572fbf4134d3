// int_encoding.h - a bit-vector query restated over the integers, as the
// first, fast attempt at an obligation.
//
// Address arithmetic such as "s <= o < c <= s + n, so o - s < n" takes a
// bit-blasting SAT solver seconds to tens of seconds at 64 bits (it reasons
// carry by carry), while linear integer arithmetic decides it at once.  Each
// bit-vector term becomes an integer in [0, 2^w): a sum is the integer sum
// minus a multiple of 2^w, concat/extract/zero-extension and shifts by
// constants are exact, comparisons become integer comparisons.  A term the
// encoding cannot express (a symbolic shift, a bitwise and of two unknowns)
// becomes a fresh integer of its range, which only removes information: an
// unsatisfiable encoding proves the original unsatisfiable.  A satisfiable
// one proves nothing, and the executor then falls back to bit-blasting.
#pragma once

#include <z3++.h>

#include <unordered_map>
#include <vector>

#include "term_memo.h"

namespace mf::proof {

class IntEncoding {
 public:
  explicit IntEncoding(z3::context& ctx) : ctx_(ctx) {}
  // The integer (or Boolean) counterpart of a bit-vector (or Boolean) term.
  z3::expr operator()(const z3::expr& e);
  // Range and definition constraints of every term encoded so far.
  const std::vector<z3::expr>& side() const { return side_; }
  // Only the side constraints of the integers that `formulas` mention,
  // directly or through another such constraint.  Each side constraint
  // defines its own integer (a range, or a wrapped sum in range), which
  // every value of its operands admits: the ones left out speak of integers
  // the query never mentions, so the query is satisfiable with them exactly
  // when it is without them.  Saves the integer solver the side constraints
  // of every other path's terms (half its time on pool_alloc's obligations).
  std::vector<z3::expr> sides_for(const std::vector<z3::expr>& formulas) const;

 private:
  z3::expr encode(const z3::expr& e);
  z3::expr fresh(unsigned bits);  // an unknown integer in [0, 2^bits)
  z3::expr wrap(const z3::expr& value, unsigned bits, int lowest_multiple, int highest_multiple);
  z3::expr power(unsigned exponent);
  // Records `constraint` as the side constraint that defines `owner`.
  void add_side(const z3::expr& owner, const z3::expr& constraint);

  z3::context& ctx_;
  TermMemo memo_;  // holds its keys: see term_memo.h
  std::vector<z3::expr> side_;
  // The integer each side constraint defines (same index as side_), held
  // alive so that its id is never reused; and its side constraints by id.
  std::vector<z3::expr> owner_;
  std::unordered_map<unsigned, std::vector<std::size_t>> sides_of_;
  unsigned counter_ = 0;
};

}  // namespace mf::proof
