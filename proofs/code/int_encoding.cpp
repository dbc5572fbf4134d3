// int_encoding.cpp
#include "int_encoding.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <unordered_set>

namespace mf::proof {

z3::expr IntEncoding::power(unsigned exponent) {
  std::string digits = "1";
  for (unsigned i = 0; i < exponent; ++i) {
    int carry = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
      int d = (*it - '0') * 2 + carry;
      *it = static_cast<char>('0' + d % 10);
      carry = d / 10;
    }
    if (carry) digits.insert(digits.begin(), static_cast<char>('0' + carry));
  }
  return ctx_.int_val(digits.c_str());
}

void IntEncoding::add_side(const z3::expr& owner, const z3::expr& constraint) {
  sides_of_[Z3_get_ast_id(ctx_, owner)].push_back(side_.size());
  side_.push_back(constraint);
  owner_.push_back(owner);
}

std::vector<z3::expr> IntEncoding::sides_for(const std::vector<z3::expr>& formulas) const {
  std::vector<bool> taken(side_.size(), false);
  std::unordered_set<unsigned> seen;
  std::vector<z3::expr> pending(formulas.begin(), formulas.end());
  while (!pending.empty()) {
    z3::expr e = pending.back();
    pending.pop_back();
    if (!seen.insert(Z3_get_ast_id(ctx_, e)).second) continue;
    auto owned = sides_of_.find(Z3_get_ast_id(ctx_, e));
    if (owned != sides_of_.end()) {
      for (std::size_t i : owned->second) {
        // The id is held by owner_, so a match is that very term.
        if (taken[i] || !z3::eq(owner_[i], e)) continue;
        taken[i] = true;
        pending.push_back(side_[i]);
      }
    }
    if (e.is_app())
      for (unsigned i = 0; i < e.num_args(); ++i) pending.push_back(e.arg(i));
  }
  std::vector<z3::expr> result;
  for (std::size_t i = 0; i < side_.size(); ++i)
    if (taken[i]) result.push_back(side_[i]);
  return result;
}

z3::expr IntEncoding::fresh(unsigned bits) {
  z3::expr v = ctx_.int_const(("int_unknown!" + std::to_string(++counter_)).c_str());
  add_side(v, v >= 0 && v < power(bits));
  return v;
}

// value - k * 2^bits for the one k in [lowest, highest] that lands in range.
z3::expr IntEncoding::wrap(const z3::expr& value, unsigned bits, int lowest, int highest) {
  z3::expr k = ctx_.int_const(("int_wrap!" + std::to_string(++counter_)).c_str());
  z3::expr r = ctx_.int_const(("int_value!" + std::to_string(counter_)).c_str());
  add_side(r, k >= lowest && k <= highest && r == value - k * power(bits) && r >= 0 && r < power(bits));
  return r;
}

z3::expr IntEncoding::operator()(const z3::expr& e) {
  if (std::optional<z3::expr> hit = memo_.find(e)) return *hit;
  z3::expr result = encode(e);
  memo_.remember(e, result);
  return result;
}

z3::expr IntEncoding::encode(const z3::expr& e) {
  if (e.is_bool()) {
    if (e.is_true() || e.is_false()) return e;
    if (!e.is_app()) return ctx_.bool_const(("bool_unknown!" + std::to_string(++counter_)).c_str());
    Z3_decl_kind k = e.decl().decl_kind();
    unsigned n = e.num_args();
    auto arg = [&](unsigned i) { return (*this)(e.arg(i)); };
    switch (k) {
      case Z3_OP_AND: {
        z3::expr_vector v(ctx_);
        for (unsigned i = 0; i < n; ++i) v.push_back(arg(i));
        return z3::mk_and(v);
      }
      case Z3_OP_OR: {
        z3::expr_vector v(ctx_);
        for (unsigned i = 0; i < n; ++i) v.push_back(arg(i));
        return z3::mk_or(v);
      }
      case Z3_OP_NOT: return !arg(0);
      case Z3_OP_IMPLIES: return z3::implies(arg(0), arg(1));
      case Z3_OP_IFF: return arg(0) == arg(1);
      case Z3_OP_XOR: return arg(0) != arg(1);
      case Z3_OP_ITE: return z3::ite(arg(0), arg(1), arg(2));
      case Z3_OP_EQ: return arg(0) == arg(1);
      case Z3_OP_DISTINCT: {
        z3::expr_vector v(ctx_);
        for (unsigned i = 0; i < n; ++i) v.push_back(arg(i));
        return z3::distinct(v);
      }
      case Z3_OP_ULEQ: return arg(0) <= arg(1);
      case Z3_OP_ULT: return arg(0) < arg(1);
      case Z3_OP_UGEQ: return arg(0) >= arg(1);
      case Z3_OP_UGT: return arg(0) > arg(1);
      case Z3_OP_UNINTERPRETED:
        if (n == 0) return ctx_.bool_const((e.decl().name().str() + "!b").c_str());
        break;
      default:
        break;
    }
    return ctx_.bool_const(("bool_unknown!" + std::to_string(++counter_)).c_str());
  }
  if (!e.is_bv()) return e;
  unsigned w = e.get_sort().bv_size();
  std::uint64_t small = 0;
  if (e.is_numeral()) return ctx_.int_val(Z3_get_numeral_string(ctx_, e));
  if (!e.is_app()) return fresh(w);
  Z3_decl_kind k = e.decl().decl_kind();
  unsigned n = e.num_args();
  auto arg = [&](unsigned i) { return (*this)(e.arg(i)); };
  auto width = [&](unsigned i) { return e.arg(i).get_sort().bv_size(); };
  switch (k) {
    case Z3_OP_UNINTERPRETED: {
      std::string name = e.decl().name().str();
      if (n == 0) {
        z3::expr v = ctx_.int_const((name + "!i").c_str());
        add_side(v, v >= 0 && v < power(w));
        return v;
      }
      z3::sort_vector domain(ctx_);
      z3::expr_vector args(ctx_);
      for (unsigned i = 0; i < n; ++i) {
        if (!e.arg(i).is_bv()) return fresh(w);
        domain.push_back(ctx_.int_sort());
        args.push_back(arg(i));
      }
      z3::func_decl f = ctx_.function((name + "!i").c_str(), domain, ctx_.int_sort());
      z3::expr v = f(args);
      add_side(v, v >= 0 && v < power(w));
      return v;
    }
    case Z3_OP_BADD: {
      z3::expr sum = arg(0);
      for (unsigned i = 1; i < n; ++i) sum = sum + arg(i);
      return wrap(sum, w, 0, static_cast<int>(n) - 1);
    }
    case Z3_OP_BSUB: return wrap(arg(0) - arg(1), w, -1, 0);
    case Z3_OP_BNEG: return wrap(-arg(0), w, -1, 0);
    case Z3_OP_BNOT: return power(w) - 1 - arg(0);
    case Z3_OP_BMUL: {
      // Linear only as a constant times one term.  A constant is read as
      // signed when its top bit is set: the simplifier writes a - b as
      // a + (2^w - 1) * b, that is a + (-1) * b.  Wider than 64 bits (the
      // 72-bit trip count of the block loop summary), a small positive
      // constant only.
      if (n != 2) return fresh(w);
      unsigned c_index = e.arg(0).is_numeral() ? 0 : e.arg(1).is_numeral() ? 1 : 2;
      if (c_index == 2) return fresh(w);
      std::uint64_t raw = 0;
      if (!e.arg(c_index).is_numeral_u64(raw)) return fresh(w);
      if (w > 64 && raw > (1ULL << 30)) return fresh(w);
      std::int64_t c = w >= 64 ? static_cast<std::int64_t>(raw)
                               : (raw >= (1ULL << (w - 1)) ? static_cast<std::int64_t>(raw) - (1LL << w)
                                                           : static_cast<std::int64_t>(raw));
      if (c > (1LL << 30) || c < -(1LL << 30)) return fresh(w);
      z3::expr value = ctx_.int_val(static_cast<int64_t>(c)) * arg(1 - c_index);
      return c >= 0 ? wrap(value, w, 0, static_cast<int>(c)) : wrap(value, w, static_cast<int>(c), 0);
    }
    case Z3_OP_CONCAT: {
      z3::expr value = arg(0);
      for (unsigned i = 1; i < n; ++i) value = value * power(width(i)) + arg(i);
      return value;
    }
    case Z3_OP_EXTRACT: {
      unsigned hi = Z3_get_decl_int_parameter(ctx_, e.decl(), 0);
      unsigned lo = Z3_get_decl_int_parameter(ctx_, e.decl(), 1);
      z3::expr a = arg(0);
      z3::expr shifted = lo == 0 ? a : a / power(lo);
      return hi + 1 == width(0) ? shifted : z3::mod(shifted, power(hi - lo + 1));
    }
    case Z3_OP_ZERO_EXT: return arg(0);
    case Z3_OP_SIGN_EXT: {
      unsigned from = width(0);
      z3::expr a = arg(0);
      return z3::ite(a >= power(from - 1), a + power(w) - power(from), a);
    }
    case Z3_OP_ITE: return z3::ite(arg(0), arg(1), arg(2));
    case Z3_OP_BSHL:
      if (e.arg(1).is_numeral_u64(small) && small < w) return z3::mod(arg(0) * power(small), power(w));
      return fresh(w);
    case Z3_OP_BLSHR:
      if (e.arg(1).is_numeral_u64(small) && small < w) return arg(0) / power(small);
      return fresh(w);
    default:
      if (std::getenv("MF_PROOF_DEBUG_INT")) std::cerr << "int encoding: unknown " << e.decl().name().str() << "\n";
      return fresh(w);
  }
}

}  // namespace mf::proof
