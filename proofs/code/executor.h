// executor.h - symbolic execution of one function of an object file, over
// every feasible path, for the x86-64 integer subset the builtins use.
//
// Registers and flags are Z3 bit-vectors and booleans; CF, ZF, SF and OF are
// modelled exactly per instruction, and a flag the manual calls undefined
// becomes a fresh unconstrained value (so code that branches on it shows up
// as a counterexample rather than silently taking one side).  Each
// conditional branch is checked for feasibility in both directions; both
// feasible means the path forks.  An instruction outside the subset stops the
// proof with its address and text.
#pragma once

#include <z3++.h>

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "machine_state.h"
#include "int_encoding.h"
#include "nonlinear_abstraction.h"
#include "query_cone.h"
#include "object_code.h"
#include "path_facts.h"
#include "solver_budget.h"

namespace mf::proof {

struct Obligation {
  std::string name;
  z3::expr holds;
};

// An obligation the solver could falsify: the model is the counterexample.
struct CounterexampleFound {
  std::string obligation;
  std::string site;  // "arena_alloc+0x1a: cmp %rdx,%rax" or "end of path"
  z3::model model;
  MachineState state;
  std::optional<PathEnd> end;
};

// Thrown through the executor when a hook cuts a path (already reported).
struct PathCut {};

// The proof could not be carried out (unsupported instruction, unbounded
// loop, call to an unknown function): never a silent success.
class ProofError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Executor;

// What a call to a spec'd function does to the caller's state.
class CalleeSpec {
 public:
  virtual ~CalleeSpec() = default;
  // Applies the callee's effect to `state` (at the call, after the return
  // address would have been popped).  Returns false when the call does not
  // return (the path then ends as an Exit with `exit_code`).
  virtual bool apply(Executor& executor, MachineState& state, const Instruction& site,
                     z3::expr& exit_code) const = 0;
  // Whether the call must leave rsp 16-byte aligned (the ABI's rule); a
  // local leaf function with a convention of its own may not need it.
  virtual bool needs_aligned_stack() const { return true; }
};

class ExecutionHooks {
 public:
  virtual ~ExecutionHooks() = default;
  virtual void on_end(PathEnd end) = 0;
  // Called for every resolved memory access; false cuts the path there.
  virtual bool on_access(const AccessEvent& access, MachineState& state) = 0;
  // Facts of the precondition that become part of the path at this access
  // (assumed before on_access; see ProofSetup::assume_where_due).
  virtual std::vector<z3::expr> facts_due(const AccessEvent&, MachineState&) { return {}; }
  // Called before each instruction; false cuts the path there.
  virtual bool before(const Instruction&, MachineState&) { return true; }
  // The spec that replaces a call to `name`, or nullptr.
  virtual const CalleeSpec* callee(const std::string& name) const = 0;
  // Extra constraints tried, one by one, to make a counterexample readable.
  virtual std::vector<z3::expr> nice_constraints() const = 0;
};

struct ExecutorOptions {
  unsigned loop_limit = 300;        // visits of one instruction on one path
  std::uint64_t stack_frame = 512;  // docs/spec.md: no function needs more
  bool loop_summaries = true;       // see loop_summaries.cpp
  bool verbose = false;             // print every obligation with its solving time
  // Prover self-test only: after a call to this callee, assume false, so
  // that the check of the callees' facts must report the contradiction.
  std::string selftest_contradict_after;
};

class Executor {
 public:
  Executor(z3::context& ctx, PathFacts& path, const ObjectCode& code, ExecutionHooks& hooks,
           ExecutorOptions options);

  // Explores every path from `entry` (pc and section set in `initial`).
  void run(MachineState initial);

  // Solver statistics: calls and seconds of the integer, abstract
  // bit-vector and exact stages.
  std::string statistics() const;

  // --- used by callee specs, loop summaries and the prover ---
  z3::context& ctx() { return ctx_; }
  const ObjectCode& code() const { return code_; }
  const ExecutorOptions& options() const { return options_; }
  // Throws CounterexampleFound unless `holds` follows from the path.
  void require(MachineState& state, const std::string& name, const z3::expr& holds, const std::string& site);
  // All of them at once (one query when they all hold, which is the usual
  // case); on failure the first failing one is reported.
  void require_all(MachineState& state, const std::vector<Obligation>& obligations, const std::string& site);
  // Adds a fact to the path (its current scope of facts and the state).
  void assume(MachineState& state, const z3::expr& fact);
  // The same for a fact that only places memory apart (a fresh block from
  // every region): one a query may leave out (add_layout_fact).
  void assume_layout(MachineState& state, const z3::expr& fact) {
    add_layout_fact(fact);
    assume(state, fact);
  }
  bool may_hold(const z3::expr& condition);
  z3::expr fresh(MachineState& state, const std::string& stem, unsigned bits);
  z3::expr fresh_bool(MachineState& state, const std::string& stem);
  std::string where(const Instruction& insn) const;

  z3::expr get(const MachineState& state, Gpr gpr) const { return state.regs[gpr]; }
  void set(MachineState& state, Gpr gpr, const z3::expr& value) { state.regs[gpr] = value.simplify(); }
  z3::expr get(const MachineState& state, const RegisterRef& reg) const;
  void set(MachineState& state, const RegisterRef& reg, const z3::expr& value);

  // Memory through addresses: resolves the region (checking the access is
  // allowed) and records the access.
  z3::expr load(MachineState& state, const Instruction& insn, const z3::expr& address, unsigned bytes);
  void store(MachineState& state, const Instruction& insn, const z3::expr& address, unsigned bytes,
             const z3::expr& value);
  // bytes = length, the value repeated every `unit` bytes; length symbolic.
  void fill(MachineState& state, const Instruction& insn, const z3::expr& address, const z3::expr& length,
            const z3::expr& value, unsigned unit);
  // A region that cannot hold [address, address + length): an access there
  // must go to the heap and is checked against every region.
  // A read must moreover lie inside an extent (memory the spec declares the
  // function owns); a write anywhere else is allowed here, since every
  // written byte is compared with the spec at the end of the path.
  // Returns the extent proved to hold the access, or -1.
  int require_outside_regions(MachineState& state, const Instruction& insn, const z3::expr& address,
                               const z3::expr& length, bool write);

  // The address of a symbol (+ addend): a section base plus the symbol's value.
  z3::expr symbol_address(const std::string& symbol, std::int64_t addend) const;
  z3::expr section_base(const std::string& section) const;
  // The relocation that patches a field inside `insn`, if any.
  const Relocation* relocation(const Instruction& insn) const;
  // Control transfers (semantics.cpp decides which one an instruction is).
  // Each returns false when the path ended.
  void branch(MachineState& state, const Instruction& insn, const z3::expr& condition);
  bool call(MachineState& state, const Instruction& insn, bool tail);
  bool return_from(MachineState& state, const Instruction& insn);

  // The path's nice-constraint-minimised model of a satisfiable query.
  z3::model nice_model(const z3::expr_vector& assumptions);

  // A model of the precondition over the real terms (a witness's): a path
  // condition and a query that hold under it are satisfiable, so a branch
  // direction or an access it exhibits needs no solver.
  void keep_model_of_real_terms(const z3::model& model) { real_models_.push_back(model); }
  // A fact of the path's layout (region apart from region) that a query
  // may leave out where it lies outside the query's cone (query_cone.h).
  // Registered as assume() will add it to the path, simplified.
  void add_layout_fact(const z3::expr& fact) {
    cone_.add_layout_fact(fact);
    cone_.add_layout_fact(fact.simplify());
  }

 private:
  struct Resolved {
    int region;
    z3::expr offset;
    int extent = -1;  // a heap access: the extent proved to hold it, or -1
  };
  void explore(MachineState state);
  // Executes one instruction; returns false when the path ended.
  bool step(MachineState& state, const Instruction& insn);
  Resolved resolve(MachineState& state, const Instruction& insn, const z3::expr& address,
                   const z3::expr& length, bool length_is_constant, std::uint64_t constant_length, bool write);
  // `fact` (or each conjunct of it) is a condition of the path, word for
  // word: it holds there without asking the solver.
  bool assumed_on_path(const MachineState& state, const z3::expr& fact) const;
  // A symbolic offset into a data section, written as the precondition's
  // pinned offset (RegionInit::pinned) when it provably equals one.
  z3::expr pinned_offset(const Region& region, const z3::expr& offset);
  void end_path(MachineState& state, PathEnd::Kind kind, const z3::expr& code, std::uint64_t site);
  // A path on which callee specs assumed facts must not be made infeasible
  // by them: its obligations would then hold vacuously.  Throws ProofError
  // when the path is infeasible with those facts and not without them.
  void require_callee_facts_consistent(const MachineState& state, std::uint64_t site);

  // Satisfiability of the path plus `extra`, with products and quotients
  // abstracted (see nonlinear_abstraction.h): unsat is final, sat may be
  // spurious.
  // `by_integers`, if given, is set when the integer stage gave the unsat.
  z3::check_result check_abstract(const z3::expr& extra, bool* by_integers = nullptr);
  // Whether a model of an earlier satisfiable query (the last few are
  // kept) satisfies the path plus `extra`, products abstracted: a cheap
  // "sat" that spares the solver.
  bool known_model_satisfies(const z3::expr& extra);
  // The bit-blasting stage of check_abstract, under `kind`'s budget.
  z3::check_result check_bit_vector(const z3::expr& extra, QueryKind kind);
  // One bit-blasting query: `facts` (the path's, or those of a cone),
  // `extra` and the abstraction's facts.
  // `model`, if given, receives the model of a sat answer.
  z3::check_result bit_blast(const std::vector<z3::expr>& facts, const z3::expr& extra, QueryKind kind,
                             std::optional<z3::model>* model = nullptr);
  // Whether `narrow`, a model of a query within its cone, completed by a
  // witness's model or a kept one, is a model of the whole query.
  bool completes_to_model(const z3::model& narrow, const z3::expr& extra);
  // Only the integer stage of check_abstract: unsat is final, anything else
  // says nothing.
  // `kind` says which budget (solver_budget.h) the query gets.
  z3::check_result check_integers(const z3::expr& extra, QueryKind kind);
  // check_abstract on the real terms, within the Exact budget.
  z3::check_result check_real(const z3::expr& extra);
  // Whether an obligation of this name went past the quick bit-blasting
  // on an earlier path and was proved over the integers: it then goes to
  // the integers first (learned_integers_).
  bool integers_first(const std::string& obligation) const;
  void learned_integers(const std::string& obligation);

  z3::context& ctx_;
  PathFacts& path_;  // the path's facts (path_facts.h); queries run on solvers of their own
  NonlinearAbstraction abstraction_;
  IntEncoding integers_;
  QueryCone cone_;
  z3::tactic bit_blasting_;  // bit_blast's strategy (executor.cpp)
  static constexpr std::size_t kKeptModels = 16;
  // A model of an abstracted query: `first` assigns its symbols; `rest`,
  // if any, the symbols `first` leaves out (completes_to_model).
  struct KeptModel {
    z3::model first;
    std::optional<z3::model> rest;
    bool satisfies(const z3::expr& e) const {
      return rest ? rest->eval(first.eval(e, false), true).is_true() : first.eval(e, true).is_true();
    }
  };
  void keep_model(KeptModel model);
  std::vector<KeptModel> models_;  // of the last satisfiable bit-vector queries
  std::vector<z3::model> real_models_;  // keep_model_of_real_terms
  // Obligations (by name) that the quick bit-blasting could not decide and
  // the integers proved, and sets of obligations (require_all) whose
  // conjunction the quick bit-blasting could not decide: on the next path
  // the same obligation is usually the same arithmetic, and its quick
  // attempt (a whole quick budget, about half a second) only delays the
  // next step.  Exploration is deterministic, so is this order; it changes
  // the time of a query, never its answer.
  std::set<std::string> learned_integers_;
  double stage_seconds_[3] = {0, 0, 0};
  unsigned stage_calls_[3] = {0, 0, 0};
  const ObjectCode& code_;
  ExecutionHooks& hooks_;
  ExecutorOptions options_;
};

}  // namespace mf::proof
