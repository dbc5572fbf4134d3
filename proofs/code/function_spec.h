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

  // The quad of a data section at a symbolic offset (a table entry indexed
  // by a value, say open_slabs[class]) is `value` at entry.  Assumes the
  // offset one of the `quads` quads from `first` (a table); an access
  // provably there then reads `value` itself (RegionInit::pinned).  The
  // numeral quad it is stays its own unknown: a state where the two differ
  // is one more initial state the proof covers, never one it loses.
  void pin_quad(int region, std::uint64_t first, std::uint64_t quads, const z3::expr& offset, const z3::expr& value);
  void assume(const z3::expr& fact) { assumptions_.push_back(fact.simplify()); }
  // A fact of the precondition that only some paths need (the first open
  // slab's, say, which a large request never reads): it joins a path at the
  // first access FunctionSpec::precondition_due names, and stays out of
  // every query before and of every other path, where it only costs time.
  // The witnesses are checked against it like against the rest.
  void assume_where_due(const z3::expr& fact) { deferred_.push_back(fact.simplify()); }
  const std::vector<z3::expr>& deferred() const { return deferred_; }
  // A fact of the layout (regions and extents apart from each other), at
  // entry or where due: part of the precondition like the others, and one
  // that a query may leave out when it lies outside the query's cone
  // (query_cone.h).  A conjunction is split into its conjuncts, each then
  // kept or left out on its own.
  void assume_layout(const z3::expr& fact);
  void assume_layout_where_due(const z3::expr& fact);
  // A second such group, for the facts of late regions (LateRegions) that
  // join a path after the first group did: at the first access
  // FunctionSpec::late_precondition_due names, so that only the paths that
  // reach those regions carry them.  Checked against the witnesses too.
  void assume_where_late_due(const z3::expr& fact) { late_deferred_.push_back(fact.simplify()); }
  void assume_layout_where_late_due(const z3::expr& fact);
  const std::vector<z3::expr>& late_deferred() const { return late_deferred_; }
  // A fact of the precondition that no query of the proof uses, where an
  // argument of the prover rests on its truth rather than the solver (the
  // layout facts of late regions that no heap access follows:
  // LateRegions::join): checked with the witnesses like every other fact,
  // so that the precondition stays satisfiable with it, and assumed on no
  // path (assuming less is sound), where it would only cost every query.
  void state_unassumed(const z3::expr& fact) { unassumed_.push_back(fact.simplify()); }
  const std::vector<z3::expr>& unassumed() const { return unassumed_; }
  const std::vector<z3::expr>& layout_facts() const { return layout_; }
  // A layout fact of the precondition that joins a path at a call of
  // `callee` (CalleeConfig::facts_at_call), for one that only that path
  // needs: the integer stage carries every fact of a path, so a fact on
  // every path costs every path.  The witnesses are checked against it.
  void assume_at_call(const std::string& callee, const z3::expr& fact);
  const std::vector<z3::expr>& at_call() const { return at_call_; }
  // Memory reached through the heap that fresh blocks must not overlap.
  void add_extent(const z3::expr& base, const z3::expr& length, const z3::expr& valid);
  const std::vector<z3::expr>& assumptions() const { return assumptions_; }

 private:
  z3::context& ctx_;
  const ObjectCode& code_;
  MachineState& initial_;
  CalleeConfig& callees_;
  std::vector<z3::expr> assumptions_;
  std::vector<z3::expr> deferred_;
  std::vector<z3::expr> late_deferred_;
  std::vector<z3::expr> unassumed_;
  std::vector<z3::expr> layout_;
  std::vector<z3::expr> at_call_;
  // Adds each conjunct of `fact` to `facts` and to layout_.
  void add_layout(const z3::expr& fact, std::vector<z3::expr>& facts);
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
  // Whether the deferred part of the precondition (ProofSetup::
  // assume_where_due) joins the path at this access.
  virtual bool precondition_due(const AccessEvent&, ProofSetup&) { return false; }
  // Whether the late group (ProofSetup::assume_where_late_due) joins the
  // path at this access.
  virtual bool late_precondition_due(const AccessEvent&, ProofSetup&) { return false; }
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
// Writes at exactly one of `allowed_symbolic` (a pinned table entry, 8
// bytes) are left to the spec too.
z3::expr unchanged_except(const PathEnd& end, int region, const std::vector<std::uint64_t>& allowed_offsets,
                          const std::vector<z3::expr>& allowed_symbolic = {});
// Every data section of the object is as it was at entry (except the listed
// symbols' quads, and the quads at `allowed_symbolic`).
z3::expr globals_unchanged_except(const PathEnd& end, const ProofSetup& setup, const std::vector<std::string>& symbols,
                                  const std::vector<z3::expr>& allowed_symbolic = {});
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
