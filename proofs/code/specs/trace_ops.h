// trace_ops.h - a counterexample's trace as ops of the op table
// (harness/ops), which the prover writes with the harness's own text writer:
// a spec names an op by its OpCode and never spells trace syntax, so a
// renamed op or a changed syntax reaches the proofs' traces too.
#pragma once

#include <cstdint>
#include <vector>

#include "layout.h"
#include "op.h"

namespace mf::proof {

using ops::Op;
using ops::OpCode;
using TraceOps = std::vector<Op>;

// Operands.
inline ops::Arg number(std::uint64_t n) { return ops::num(n); }
inline ops::Arg null_operand() { return ops::null_ref(); }
// The first handle of a kind (a0, p0, m0): a counterexample builds one object.
inline ops::Arg first(ops::HandleKind kind) { return ops::ptr(ops::PtrExpr::handle(kind, 0)); }
// <handle>0.start + offset (modulo 2^64: a "negative" offset is written so).
inline ops::PtrExpr data_at(ops::HandleKind kind, std::uint64_t offset) {
  return ops::PtrExpr::handle(kind, 0, true, offset);
}

// Expectations, as the contract answers.
inline ops::Expectation creates_first(ops::HandleKind kind) {
  return ops::Expectation::pointer_to(ops::PtrExpr::handle(kind, 0));
}
inline ops::Expectation returns_null() { return ops::Expectation::pointer_to(ops::PtrExpr::null()); }
inline ops::Expectation returns(ops::PtrExpr p) { return ops::Expectation::pointer_to(p); }
inline ops::Expectation returns_value(std::uint64_t n) { return ops::Expectation::value(n); }
inline ops::Expectation returns_normally() { return ops::Expectation::returns(); }
inline ops::Expectation exits_null() { return ops::Expectation::exits(layout::MF_EXIT_NULL); }
inline ops::Expectation exits_with(std::uint64_t code) { return ops::Expectation::exits(static_cast<int>(code)); }

// The next mmap fails (the environment op before a creation the OS refuses).
inline Op fail_next_mmap() {
  return ops::make_op(OpCode::os_fail, {number(static_cast<std::uint64_t>(ops::OsCall::mmap)), number(1)});
}

}  // namespace mf::proof
