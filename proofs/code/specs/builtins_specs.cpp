// builtins_specs.cpp - docs/spec.md, "Checked builtins", as code-proof
// specs: the range check of every checked load and store, and of
// __mf_memcpy.
//
// A range [a, a + n) is checked so: a < NULL_PAGE_END exits 110; a + n
// wrapping past 2^64 or passing USER_SPACE_END exits 111.  No precondition
// on the arguments: every 64-bit address is covered.
//   - The loads and stores are proved whole: the exits, and for a range
//     that passes, the quad or byte read (zero-extended for a byte) or
//     written, and nothing else changed.  A range that passes is declared
//     an extent (memory the caller owns), so the access is checked to stay
//     clear of the stack and the data sections.
//   - __mf_memcpy is proved up to its first memory access: n = 0 returns
//     dst having touched nothing; otherwise dst is checked before src, each
//     as above, and a path that reaches the copy has both ranges valid,
//     dst as its result and nothing written yet.  The copy itself (rep movsb
//     forward, a quad loop and a byte loop backward) is checked by the
//     differential harness, not here.
#include "spec_arith.h"
#include "spec_registry.h"
#include "spec_support.h"
#include "trace_ops.h"

namespace mf::proof {
namespace {

namespace L = mf::layout;
using spec::u64;
constexpr ops::HandleKind kBlock = ops::HandleKind::block;

// The exit the contract demands for the range [a, a + n), n >= 1 (0: none).
z3::expr range_exit(const z3::expr& a, const z3::expr& n) {
  z3::context& c = a.ctx();
  z3::expr wraps = z3::ult(a + n, a);  // n >= 1
  return z3::ite(z3::ult(a, u64(c, L::NULL_PAGE_END)), exit_code(c, L::MF_EXIT_NULL),
                 z3::ite(wraps || z3::ugt(a + n, u64(c, L::USER_SPACE_END)), exit_code(c, L::MF_EXIT_BOUNDS),
                         exit_code(c, 0)));
}

// Obligations every builtin shares at an exit: the contract's code, only
// where the contract exits, nothing changed before it.
std::vector<Obligation> exit_obligations(const PathEnd& end, ProofSetup& s, const z3::expr& expected) {
  z3::context& c = s.ctx();
  return {{"the function exits only where the contract says so", expected != exit_code(c, 0)},
          {"the exit code is the contract's", end.exit_code == expected},
          {"nothing changes before the exit", globals_unchanged_except(end, s, {}) && heap_untouched(end, c)}};
}

// A live block of the builtins target, to replay a counterexample whose
// range passes: mem_alloc 64 -> m0, at whose start the access is replayed.
Op a_block() { return ops::make_op(OpCode::mem_alloc, {number(64)}, creates_first(kBlock)); }
ops::Arg block_start() { return ops::ptr(ops::PtrExpr::handle(kBlock, 0)); }
ops::Arg absolute(std::uint64_t address) { return ops::ptr(ops::PtrExpr::absolute(address)); }

// __mf_load_i64, __mf_poke_i64, __mf_load_byte, __mf_poke_byte.
class CheckedAccessSpec : public FunctionSpec {
 public:
  CheckedAccessSpec(std::string function, OpCode op, unsigned width, bool store)
      : function_(std::move(function)), op_(op), width_(width), store_(store) {}
  std::string function() const override { return function_; }
  ops::Target trace_target() const override { return ops::Target::builtins; }

  void setup(ProofSetup& s) override {
    z3::context& c = s.ctx();
    s.add_extent(s.arg(0), u64(c, width_), expected_exit(s) == exit_code(c, 0));
  }
  std::vector<NamedValue> inputs(ProofSetup& s) override {
    std::vector<NamedValue> v = {{"a (rdi)", s.arg(0)}};
    if (store_) v.push_back({"v (rsi)", s.arg(1)});
    return v;
  }
  std::vector<z3::expr> nice_constraints(ProofSetup& s) override {
    // A range that passes, inside a block: a counterexample then replays.
    return {expected_exit(s) == exit_code(s.ctx(), 0)};
  }
  std::vector<NamedValue> witnesses(ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr a = s.arg(0);
    return {{"an address in the NULL page", a == u64(c, 8)},
            {"the last range inside user space", a == u64(c, L::USER_SPACE_END - width_)},
            {"a range that wraps past 2^64", a == u64(c, ~std::uint64_t{0})},
            {"an ordinary address", a == u64(c, 0x10000)}};
  }

  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr expected = expected_exit(s);
    if (end.kind == PathEnd::Kind::Exit) return exit_obligations(end, s, expected);
    if (end.kind != PathEnd::Kind::Return) return {{"the path returns or exits", c.bool_val(false)}};
    z3::expr a = s.arg(0);
    std::vector<Obligation> out = {
        {"the function returns only when the range passes the check", expected == exit_code(c, 0)},
        {"no data section changes", globals_unchanged_except(end, s, {})}};
    if (store_) {
      z3::expr v = s.arg(1);
      out.push_back({width_ == 8 ? "the 8 bytes of v are stored at a, nothing else changes"
                                 : "the low byte of v is stored at a, nothing else changes",
                     heap_is(end, c, [&](const z3::expr& q, const z3::expr& base) {
                       z3::expr byte = width_ == 8 ? byte_of_quad(v, a, q) : v.extract(7, 0);
                       return z3::ite(within(q, a, u64(c, width_)), byte, base);
                     })});
    } else {
      z3::expr loaded = width_ == 8 ? entry_heap_quad(end, a) : z3::zext(entry_heap_quad(end, a).extract(7, 0), 56);
      out.push_back({width_ == 8 ? "the result is the 8 bytes at a" : "the result is the byte at a, zero-extended",
                     end.state.regs[RAX] == loaded});
      out.push_back({"no memory changes", heap_untouched(end, c)});
    }
    return out;
  }

  TraceOps trace(const z3::model& m, const CounterexampleFound&, ProofSetup& s) override {
    std::uint64_t code = value_in(m, expected_exit(s));
    std::uint64_t v = store_ ? value_in(m, s.arg(1)) : 0;
    if (code != 0) {
      std::vector<ops::Arg> args = {absolute(value_in(m, s.arg(0)))};
      if (store_) args.push_back(number(v));
      return {make(args, exits_with(code))};
    }
    // The range passes: replay at the start of a block, which first holds a
    // pattern with its top bit set in every byte (so a sign extension or a
    // shifted offset shows).
    const std::uint64_t pattern = 0x8899aabbccddeeffULL;
    TraceOps trace = {a_block(),
                      ops::make_op(OpCode::poke_i64, {block_start(), number(pattern)}, returns_normally())};
    if (store_) {
      trace.push_back(make({block_start(), number(v)}, returns_normally()));
      std::uint64_t stored = width_ == 8 ? v : (pattern & ~0xffULL) | (v & 0xff);
      trace.push_back(ops::make_op(OpCode::load_i64, {block_start()}, returns_value(stored)));
    } else {
      trace.push_back(make({block_start()}, returns_value(width_ == 8 ? pattern : pattern & 0xff)));
    }
    return trace;
  }

 private:
  z3::expr expected_exit(ProofSetup& s) const { return range_exit(s.arg(0), s.ctx().bv_val(width_, 64)); }
  Op make(const std::vector<ops::Arg>& args, ops::Expectation expect) const {
    Op op = ops::make_op(op_, {}, expect);
    for (std::size_t i = 0; i < args.size(); ++i) op.args[i] = args[i];
    return op;
  }

  std::string function_;
  OpCode op_;
  unsigned width_;
  bool store_;
};

// __mf_memcpy's checks, up to its first memory access.
class MemcpyChecksSpec : public FunctionSpec {
 public:
  std::string function() const override { return "__mf_memcpy"; }
  ops::Target trace_target() const override { return ops::Target::builtins; }

  void setup(ProofSetup&) override {}
  std::vector<NamedValue> inputs(ProofSetup& s) override {
    return {{"dst (rdi)", s.arg(0)}, {"src (rsi)", s.arg(1)}, {"n (rdx)", s.arg(2)}};
  }
  std::vector<z3::expr> nice_constraints(ProofSetup& s) override {
    return {z3::ule(s.arg(2), u64(s.ctx(), 4096))};
  }
  std::vector<NamedValue> witnesses(ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr dst = s.arg(0), src = s.arg(1), n = s.arg(2);
    const z3::expr ok = u64(c, 0x10000);
    return {{"n = 0 with NULL ranges", n == u64(c, 0) && dst == u64(c, 0) && src == u64(c, 0)},
            {"two valid ranges", n == u64(c, 16) && dst == ok && src == ok + u64(c, 64)},
            {"a NULL dst", n == u64(c, 16) && dst == u64(c, 0) && src == ok},
            {"a valid dst and a src that wraps", n == u64(c, 16) && dst == ok && src == u64(c, ~std::uint64_t{8})},
            {"a dst that passes user space", n == u64(c, 2) && dst == u64(c, L::USER_SPACE_END - 1)}};
  }

  // The copy starts with the first instruction that reads or writes memory
  // through an operand (rep movsb forward, which the executor does not
  // model; a load of the last quad backward): the path ends there, before
  // the access, its checks done.  (A ret's read of the stack is not one.)
  bool before(const Instruction& insn, MachineState&, ProofSetup&) override {
    if (insn.mnemonic.rfind("rep", 0) == 0) return false;
    if (insn.mnemonic.rfind("lea", 0) == 0) return true;
    for (const std::string& operand : insn.operands)
      if (operand.find('(') != std::string::npos) return false;
    return true;
  }

  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr n = s.arg(2);
    z3::expr expected = expected_exit(s);
    if (end.kind == PathEnd::Kind::Exit) return exit_obligations(end, s, expected);
    std::vector<Obligation> out = {
        {"the copy is reached (or n = 0 returns) only when both ranges pass the check", expected == exit_code(c, 0)},
        {"the result is dst", end.state.regs[RAX] == s.arg(0)},
        {"nothing is written before the copy", globals_unchanged_except(end, s, {}) && heap_untouched(end, c)}};
    if (end.kind == PathEnd::Kind::Return)
      out.push_back({"only n = 0 returns without copying", n == u64(c, 0)});
    else
      out.push_back({"n = 0 copies nothing", n != u64(c, 0)});
    return out;
  }

  TraceOps trace(const z3::model& m, const CounterexampleFound&, ProofSetup& s) override {
    std::uint64_t code = value_in(m, expected_exit(s));
    std::uint64_t n = value_in(m, s.arg(2));
    if (code != 0) {
      return {ops::make_op(OpCode::memcpy, {absolute(value_in(m, s.arg(0))), absolute(value_in(m, s.arg(1))), number(n)},
                           exits_with(code))};
    }
    if (n == 0) {
      std::uint64_t dst = value_in(m, s.arg(0));
      return {ops::make_op(OpCode::memcpy, {absolute(dst), absolute(value_in(m, s.arg(1))), number(0)},
                           returns(ops::PtrExpr::absolute(dst)))};
    }
    // Both ranges pass: copy inside one block.
    if (n > 32) return {};
    return {a_block(), ops::make_op(OpCode::memcpy, {block_start(), ops::ptr(ops::PtrExpr::handle(kBlock, 0, false, 32)),
                                                     number(n)},
                                    returns(ops::PtrExpr::handle(kBlock, 0)))};
  }

 private:
  // dst is checked first; n = 0 checks nothing.
  z3::expr expected_exit(ProofSetup& s) const {
    z3::context& c = s.ctx();
    z3::expr n = s.arg(2);
    z3::expr dst_exit = range_exit(s.arg(0), n), src_exit = range_exit(s.arg(1), n);
    return z3::ite(n == u64(c, 0), exit_code(c, 0), z3::ite(dst_exit != exit_code(c, 0), dst_exit, src_exit));
  }
};

}  // namespace

std::unique_ptr<FunctionSpec> make_builtins_spec(const std::string& name) {
  if (name == "__mf_load_i64") return std::make_unique<CheckedAccessSpec>(name, OpCode::load_i64, 8, false);
  if (name == "__mf_poke_i64") return std::make_unique<CheckedAccessSpec>(name, OpCode::poke_i64, 8, true);
  if (name == "__mf_load_byte") return std::make_unique<CheckedAccessSpec>(name, OpCode::load_byte, 1, false);
  if (name == "__mf_poke_byte") return std::make_unique<CheckedAccessSpec>(name, OpCode::poke_byte, 1, true);
  if (name == "__mf_memcpy") return std::make_unique<MemcpyChecksSpec>();
  return nullptr;
}

}  // namespace mf::proof
