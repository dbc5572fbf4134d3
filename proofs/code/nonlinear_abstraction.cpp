// nonlinear_abstraction.cpp
#include "nonlinear_abstraction.h"

#include <string>

namespace mf::proof {

z3::expr NonlinearAbstraction::function(const char* stem, const z3::expr& a, const z3::expr& b) {
  unsigned bits = a.get_sort().bv_size();
  std::string name = std::string(stem) + std::to_string(bits);
  z3::func_decl f = ctx_.function(name.c_str(), a.get_sort(), b.get_sort(), a.get_sort());
  z3::expr result = f(a, b);
  auto narrow = [&](const z3::expr& v) {  // zero-extended from 64 bits?
    return bits == 128 && (v.extract(127, 64).simplify() == ctx_.bv_val(0, 64)).simplify().is_true();
  };
  if (std::string(stem) == "abstract_mul" && narrow(a) && narrow(b) && !fact_for_.find(result)) {
    fact_for_.remember(result, result);
    facts_.push_back(z3::ule(result.extract(127, 64), ctx_.bv_val(static_cast<std::uint64_t>(~0ULL - 1), 64)));
  }
  return result;
}

z3::expr NonlinearAbstraction::operator()(const z3::expr& e) {
  if (!e.is_app()) return e;
  if (std::optional<z3::expr> hit = memo_.find(e)) return *hit;
  z3::expr result = e;
  unsigned n = e.num_args();
  if (n > 0) {
    z3::expr_vector args(ctx_);
    for (unsigned i = 0; i < n; ++i) args.push_back((*this)(e.arg(i)));
    Z3_decl_kind kind = e.decl().decl_kind();
    if (kind == Z3_OP_BMUL) {
      // n-ary: constants multiply in place, the rest pairwise through the function.
      z3::expr constant = ctx_.bv_val(1, e.get_sort().bv_size());
      std::vector<z3::expr> symbolic;
      for (unsigned i = 0; i < n; ++i) {
        if (args[i].is_numeral()) constant = constant * args[i];
        else symbolic.push_back(args[i]);
      }
      if (symbolic.size() < 2) {
        result = e.decl()(args);
      } else {
        // Every product goes through one 128-bit function, a narrower one as
        // the low bits of the wide product: the simplifier turns the low half
        // of a 64x64->128 product into a 64-bit multiply, and both must stay
        // the same term.
        unsigned bits = e.get_sort().bv_size();
        auto widen = [&](const z3::expr& v) { return bits < 128 ? z3::zext(v, 128 - bits).simplify() : v; };
        z3::expr product = symbolic[0];
        for (std::size_t i = 1; i < symbolic.size(); ++i) {
          z3::expr wide = function("abstract_mul", widen(product), widen(symbolic[i]));
          product = bits < 128 ? wide.extract(bits - 1, 0) : wide;
        }
        z3::expr k = constant.simplify();
        std::uint64_t one = 0;
        result = (k.is_numeral_u64(one) && one == 1) ? product : (k * product);
      }
    } else if ((kind == Z3_OP_BUDIV || kind == Z3_OP_BUDIV_I || kind == Z3_OP_BUREM || kind == Z3_OP_BUREM_I) &&
               !args[1].is_numeral()) {
      bool quotient = kind == Z3_OP_BUDIV || kind == Z3_OP_BUDIV_I;
      result = function(quotient ? "abstract_udiv" : "abstract_urem", args[0], args[1]);
    } else {
      result = e.decl()(args);
    }
  }
  memo_.remember(e, result);
  return result;
}

}  // namespace mf::proof
