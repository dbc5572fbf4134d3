// term_identity_selftest.cpp - the executor's term rewriters never hand a
// new term the rewrite of a dead one.
//
// Z3 numbers terms with ids that are unique only among live terms: once a
// term is freed, its id goes to the next new term.  A memo keyed by the id
// that does not keep its key alive therefore answers a lookup for a new term
// with the rewrite of a dead, unrelated one.  In the prover that turns an
// obligation into some other formula, and an "unsat" about that other
// formula is a false PROVED.  Each test builds a term, lets it die, then
// builds many new terms (so that Z3 recycles the dead ids, as libz3 4.8.12
// does at once) and checks that every one of them is rewritten as itself.
#include <gtest/gtest.h>
#include <z3++.h>

#include <string>

#include "int_encoding.h"
#include "nonlinear_abstraction.h"
#include "term_memo.h"

namespace mf::proof {
namespace {

constexpr int kNewTerms = 2000;
// Each check of the integer test carries every side constraint so far.
constexpr int kNewEncodedTerms = 300;

// As the prover does: each query's negated obligation is a temporary that
// holds a quotient or a product, is abstracted, and dies; the next query's
// term is new.
TEST(TermIdentity, AbstractionOfANewTermIsNeverADeadTermsRewrite) {
  z3::context ctx;
  NonlinearAbstraction abstraction(ctx);
  z3::expr x = ctx.bv_const("x", 64), y = ctx.bv_const("y", 64), w = ctx.bv_const("w", 64);
  for (int i = 0; i < kNewTerms; ++i) {
    {
      z3::expr divisor = y + ctx.bv_val(i, 64);
      z3::expr dying = i % 2 ? !(z3::udiv(x, divisor) == w) : !(x * divisor == w);
      ASSERT_FALSE(z3::eq(abstraction(dying), dying)) << "the abstraction left " << dying << " in place";
    }
    // No product and no quotient: the abstraction must return the term itself.
    z3::expr z = ctx.bv_const(("z" + std::to_string(i)).c_str(), 64);
    z3::expr fresh = (z + w == y);
    z3::expr rewritten = abstraction(fresh);
    ASSERT_TRUE(z3::eq(rewritten, fresh)) << "new term " << fresh << " (id " << Z3_get_ast_id(ctx, fresh)
                                          << ") was rewritten as " << rewritten;
  }
}

TEST(TermIdentity, IntegerEncodingOfANewTermIsNeverADeadTermsEncoding) {
  z3::context ctx;
  IntEncoding integers(ctx);
  z3::expr x = ctx.bv_const("x", 64), y = ctx.bv_const("y", 64);
  {
    z3::expr dying = z3::ult(x, y);
    integers(dying);
  }
  for (int i = 0; i < kNewEncodedTerms; ++i) {
    // x == i is satisfiable with x = i and y = 0 whatever else was encoded;
    // a stale encoding (x < y) together with y == 0 would not be.
    z3::expr fresh = (x == ctx.bv_val(i, 64));
    z3::solver check(ctx);
    check.add(integers(fresh));
    check.add(integers(y == ctx.bv_val(0, 64)));
    for (const z3::expr& side : integers.side()) check.add(side);
    ASSERT_EQ(check.check(), z3::sat) << "the encoding of " << fresh << " is not that term's";
  }
}

TEST(TermIdentity, MemoHoldsItsKeys) {
  z3::context ctx;
  TermMemo memo;
  z3::expr x = ctx.bv_const("x", 64);
  unsigned id = 0;
  {
    z3::expr key = x + ctx.bv_val(1, 64);
    id = Z3_get_ast_id(ctx, key);
    memo.remember(key, ctx.bv_val(7, 64));
  }
  for (int i = 0; i < kNewTerms; ++i) {
    z3::expr fresh = x * ctx.bv_val(i + 3, 64);
    ASSERT_NE(Z3_get_ast_id(ctx, fresh), id) << "a remembered key's id went to a new term";
    ASSERT_FALSE(memo.find(fresh).has_value());
  }
  z3::expr same = x + ctx.bv_val(1, 64);  // hash-consed: the remembered term itself
  ASSERT_TRUE(memo.find(same).has_value());
}

}  // namespace
}  // namespace mf::proof
