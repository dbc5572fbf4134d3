// function_spec.h - what a code proof states about one function: the
// precondition (the reachable states it is proved for), and, for every path
// the executor finds, what must hold at its end.  One FunctionSpec per
// proved function lives in specs/.
#pragma once

#include <z3++.h>

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "callee_specs.h"
#include "executor.h"
#include "object_code.h"
#include "op.h"

namespace mf::proof {

struct NamedValue {
  std::string name;
  z3::expr value;
};

// The world a proof starts from, built before exploration: the initial
// machine state, its regions and the precondition.
class ProofSetup {
 public:
  ProofSetup(z3::context& ctx, const ObjectCode& code, MachineState& initial, CalleeConfig& callees,
             std::uint64_t stack_frame);

  z3::context& ctx() { return ctx_; }
  const ObjectCode& code() const { return code_; }
  MachineState& initial() { return initial_; }
  CalleeConfig& callees() { return callees_; }

  z3::expr bv(std::uint64_t value) { return ctx_.bv_val(static_cast<std::uint64_t>(value), 64); }
  // The i-th integer argument at entry (rdi, rsi, rdx, rcx).
  z3::expr arg(int i) const;
  z3::expr initial_reg(Gpr r) const { return initial_.regs[r]; }
  z3::expr entry_rsp() const { return initial_.regs[RSP]; }

  // A header passed in by pointer: a region of `size` bytes at `base`, its
  // quads named "<name>.<field>"; `valid` says when it exists (base != 0).
  int add_header(const std::string& name, const z3::expr& base, std::uint64_t size,
                 const std::map<std::uint64_t, std::string>& fields, const z3::expr& valid);
  // The value of a region's quad at entry.
  z3::expr initial_quad(int region, std::uint64_t offset) const;
  // A data symbol of the object: its region and offset, and its quad at entry.
  int global_region(const std::string& symbol, std::uint64_t& offset) const;
  z3::expr initial_global(const std::string& symbol) const;

  void assume(const z3::expr& fact) { assumptions_.push_back(fact.simplify()); }
  // Memory reached through the heap that fresh blocks must not overlap.
  void add_extent(const z3::expr& base, const z3::expr& length, const z3::expr& valid);
  const std::vector<z3::expr>& assumptions() const { return assumptions_; }

 private:
  z3::context& ctx_;
  const ObjectCode& code_;
  MachineState& initial_;
  CalleeConfig& callees_;
  std::vector<z3::expr> assumptions_;
};

class FunctionSpec {
 public:
  virtual ~FunctionSpec() = default;
  // The symbol proved (a global function of the object, or a local one).
  virtual std::string function() const = 0;
  // A short name for messages and file names (defaults to the function).
  virtual std::string proof_name() const { return function(); }
  // The trace target a counterexample is written for: arena, pool, alloc.
  virtual ops::Target trace_target() const = 0;

  virtual void setup(ProofSetup& setup) = 0;
  // Every access the code makes; return false to end the path here (the
  // spec has seen what it proves about this path).
  virtual bool on_access(const AccessEvent&, MachineState&, ProofSetup&) { return true; }
  // Before every instruction; return false to end the path there (e.g.
  // where the part of the function the proof covers ends).
  virtual bool before(const Instruction&, MachineState&, ProofSetup&) { return true; }
  // What must hold at the end of a path.
  virtual std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& setup) = 0;
  // Constraints tried one by one to make a counterexample small and
  // replayable (e.g. a capacity mem_alloc can actually provide).
  virtual std::vector<z3::expr> nice_constraints(ProofSetup&) { return {}; }
  // Cases the precondition must leave possible (checked before exploring),
  // so that a too-strong precondition cannot make a proof vacuous.
  virtual std::vector<NamedValue> witnesses(ProofSetup&) { return {}; }
  // Values printed for a counterexample (entry values, callee results).
  virtual std::vector<NamedValue> inputs(ProofSetup& setup) = 0;
  // The trace ops that lead to the counterexample's state and then run the
  // failing call, expectations per the contract; empty if not expressible.
  // The prover writes them with the harness's text writer.
  virtual std::vector<ops::Op> trace(const z3::model& model, const CounterexampleFound& cex, ProofSetup& setup) = 0;
};

// ---- helpers for writing obligations ----

// The quad at a region offset at the end of the path.
z3::expr final_quad(const PathEnd& end, int region, std::uint64_t offset);
// Every byte of `region` that any write touched still holds its entry value,
// except the quads at `allowed_offsets`.
z3::expr unchanged_except(const PathEnd& end, int region, const std::vector<std::uint64_t>& allowed_offsets);
// Every data section of the object is as it was at entry (except the listed
// symbols' quads).
z3::expr globals_unchanged_except(const PathEnd& end, const ProofSetup& setup, const std::vector<std::string>& symbols);
// The heap at the end equals `expected(address, baseline)` at every address,
// where baseline is the heap as the last callee left it.
z3::expr heap_is(const PathEnd& end, z3::context& ctx,
                 const std::function<z3::expr(const z3::expr& address, const z3::expr& baseline)>& expected);
// Byte `address - start` of a little-endian quad `value` stored at start.
z3::expr byte_of_quad(const z3::expr& value, const z3::expr& start, const z3::expr& address);
// address in [start, start + length), without wrapping.
z3::expr within(const z3::expr& address, const z3::expr& start, const z3::expr& length);

// The call events of a path for one callee.
std::vector<const CallEvent*> calls_to(const PathEnd& end, const std::string& callee);

}  // namespace mf::proof
