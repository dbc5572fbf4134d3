// executor.cpp - path exploration, memory resolution and calls.  The
// instruction semantics are in semantics.cpp.
#include "executor.h"
#include "hex_text.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "defined_symbols.h"
#include "loop_summaries.h"
#include "solver_budget.h"

namespace mf::proof {
namespace {

bool numeral(const z3::expr& e, std::uint64_t& value) { return e.simplify().is_numeral_u64(value); }

// Pops the scope of path facts an explore() call pushed, however it is left.
class ScopeGuard {
 public:
  explicit ScopeGuard(PathFacts& path) : path_(path) { path_.push(); }
  ~ScopeGuard() { path_.pop(); }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  PathFacts& path_;
};

// The strategy of the bit-blasting stage.  Z3's default one for these
// queries simplifies them, removes the uninterpreted functions (the
// abstracted products and quotients, the heap's bytes) by Ackermann
// reduction and bit-blasts, and then, before the SAT solver, simplifies the
// bit-level formula once more in context and rebuilds it as an
// and-inverter graph: on these queries that last part was most of the work
// and settled nothing the SAT solver does not (z3 -v:10 on a query of
// mem_free: 0.19 of its 0.29 s).  Without it, replaying the dumped queries
// of mem_free, mem_alloc and pool_alloc (MF_PROOF_DUMP_QUERIES) in one
// process took 28 to 35 % less time, every answer the same.  A query the
// pipeline cannot finish (a goal left with a function it could not
// reduce) goes on to the default strategy, within the same budget.
z3::tactic bit_blasting_tactic(z3::context& ctx) {
  const z3::tactic pipeline = z3::tactic(ctx, "simplify") & z3::tactic(ctx, "propagate-values") &
                              z3::tactic(ctx, "solve-eqs") & z3::tactic(ctx, "ackermannize_bv") &
                              z3::tactic(ctx, "bit-blast") & z3::tactic(ctx, "sat");
  return pipeline | z3::tactic(ctx, "default");
}

}  // namespace

Executor::Executor(z3::context& ctx, PathFacts& path, const ObjectCode& code, ExecutionHooks& hooks,
                   ExecutorOptions options)
    : ctx_(ctx),
      path_(path),
      abstraction_(ctx),
      integers_(ctx),
      bit_blasting_(bit_blasting_tactic(ctx)),
      code_(code),
      hooks_(hooks),
      options_(options) {}

z3::check_result Executor::check_integers(const z3::expr& extra, QueryKind kind) {
  // Every fact, never a cone (query_cone.h): within its cone, one integer
  // query of mem_alloc's pop ran Z3's simplex for over 300 s on 1.6 M
  // units, where with every fact each of the pop's takes a few seconds.
  std::vector<z3::expr> encoded;
  for (const z3::expr& fact : path_.assertions()) encoded.push_back(integers_(abstraction_(fact)));
  encoded.push_back(integers_(abstraction_(extra)));
  for (const z3::expr& fact : abstraction_.facts()) encoded.push_back(integers_(fact));
  z3::solver query(ctx_);
  for (const z3::expr& fact : encoded) query.add(fact);
  for (const z3::expr& fact : integers_.sides_for(encoded)) query.add(fact);
  // Solved from its SMT-LIB text, in a context of its own.  How long Z3's
  // simplex takes depends on the order in which the query's terms were
  // made, and that part of its work is not charged to the resource limit
  // (proofs/README.md, "Deterministic verdicts"): asked in the proof's
  // context, among a whole proof's terms, one integer query of pool_alloc
  // (under an order of the obligations since taken back) took 41 s; parsed
  // from its text, 1.1 s; translated term by term into a fresh context,
  // another took over 300 s against 3.8 s parsed.  From the text, the
  // solver's work is a function of the text alone, the
  // dumped query (MF_PROOF_DUMP_QUERIES) is the very one solved, and the
  // solver's own terms no longer take ids in the proof's context, where
  // they changed how the later terms were ordered.
  const std::string text = query.to_smt2();
  z3::context apart;
  z3::solver lia(apart);
  lia.from_string(text.c_str());
  if (const char* dump = std::getenv("MF_PROOF_DUMP_QUERIES")) {
    static int lia_counter = 0;
    std::ofstream(std::string(dump) + "/lia" + std::to_string(++lia_counter) + ".smt2") << text;
  }
  auto t0 = std::chrono::steady_clock::now();
  z3::check_result r = bounded_check(lia, kind);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stage_seconds_[0] += seconds;
  ++stage_calls_[0];
  if (options_.verbose && seconds > 1)
    std::cout << "    " << seconds << " s  (integer query: " << (r == z3::unsat ? "unsat" : r == z3::sat ? "sat" : "unknown")
              << ", " << extra.to_string().substr(0, 300) << ")" << std::endl;
  return r;
}

bool Executor::known_model_satisfies(const z3::expr& extra) {
  // A completed model is a total assignment: if the path, `extra` and the
  // abstraction's facts all evaluate to true under it, it is a model of the
  // abstracted query, the very answer the bit-blaster would find.
  auto holds = [](const z3::model& m, const z3::expr& e) { return m.eval(e, true).is_true(); };
  for (auto model = models_.rbegin(); model != models_.rend(); ++model) {
    bool all = model->satisfies(abstraction_(extra));
    for (const z3::expr& fact : path_.assertions()) all = all && model->satisfies(abstraction_(fact));
    for (const z3::expr& fact : abstraction_.facts()) all = all && model->satisfies(fact);
    if (all) return true;
  }
  // A model of the real terms is one of the abstracted query too: the
  // abstracted products and quotients then stand for the real ones.
  // Completed with the values the path's facts define for fresh symbols
  // (a callee's answer) that the witness never saw (defined_symbols.h).
  const std::vector<Definition> definitions = definitions_in(path_.assertions());
  for (const z3::model& witness : real_models_) {
    const std::optional<z3::model> completed = with_definitions(witness, definitions);
    const z3::model& model = completed ? *completed : witness;
    bool all = holds(model, extra);
    for (const z3::expr& fact : path_.assertions()) all = all && holds(model, fact);
    if (all) return true;
  }
  return false;
}

z3::check_result Executor::check_bit_vector(const z3::expr& extra, QueryKind kind) {
  // Within the query's cone first (query_cone.h): its unsat is final, and
  // so is its sat when its model, completed by a model of the whole
  // precondition for the symbols outside the cone, satisfies every fact.
  bool dropped = false;
  std::vector<z3::expr> cone = cone_.keep(path_.assertions(), extra, dropped);
  if (dropped) {
    std::optional<z3::model> model;
    const z3::check_result narrow = bit_blast(cone, extra, kind, &model);
    if (narrow == z3::unsat) return z3::unsat;
    if (narrow == z3::sat && completes_to_model(*model, extra)) return z3::sat;
    // A quick attempt that ran out of its budget within the cone, on fewer
    // facts, is not worth repeating on all of them: the integers take it
    // next, as they take every quick query that runs out.
    if (narrow == z3::unknown && kind == QueryKind::BitVectorQuick) return z3::unknown;
  }
  std::vector<z3::expr> all;
  for (const z3::expr& fact : path_.assertions()) all.push_back(fact);
  return bit_blast(all, extra, kind);
}

bool Executor::completes_to_model(const z3::model& narrow, const z3::expr& extra) {
  // Evaluating under `narrow` without completion leaves the symbols it does
  // not assign; evaluating that under a completing model with completion
  // assigns them: one total assignment, checked on every fact of the
  // abstracted query, which it then satisfies exactly.  The completing
  // models: the witnesses' (models of the whole precondition) and the
  // kept ones.
  std::vector<z3::model> completions;
  const std::vector<Definition> definitions = definitions_in(path_.assertions());
  for (const z3::model& witness : real_models_) {
    std::optional<z3::model> completed = with_definitions(witness, definitions);
    completions.push_back(completed ? *completed : witness);
  }
  for (auto kept = models_.rbegin(); kept != models_.rend(); ++kept)
    if (!kept->rest) completions.push_back(kept->first);
  for (const z3::model& rest : completions) {
    KeptModel merged{narrow, rest};
    bool all = merged.satisfies(abstraction_(extra));
    for (const z3::expr& fact : path_.assertions()) all = all && merged.satisfies(abstraction_(fact));
    for (const z3::expr& fact : abstraction_.facts()) all = all && merged.satisfies(fact);
    if (!all) continue;
    keep_model(merged);
    return true;
  }
  return false;
}

void Executor::keep_model(KeptModel model) {
  if (models_.size() == kKeptModels) models_.erase(models_.begin());
  models_.push_back(std::move(model));
}

z3::check_result Executor::bit_blast(const std::vector<z3::expr>& facts, const z3::expr& extra, QueryKind kind,
                                     std::optional<z3::model>* model) {
  // A fresh solver per query: one that has never seen push/pop runs its
  // preprocessing tactics before bit-blasting, far faster here than the
  // incremental core (bit_blasting_tactic says which).
  z3::solver once = bit_blasting_.mk_solver();
  for (const z3::expr& fact : facts) once.add(abstraction_(fact));
  once.add(abstraction_(extra));
  for (const z3::expr& fact : abstraction_.facts()) once.add(fact);
  static int counter = 0;
  ++counter;
  if (const char* dump = std::getenv("MF_PROOF_DUMP_QUERIES"))
    std::ofstream(std::string(dump) + "/query" + std::to_string(counter) + ".smt2") << once.to_smt2();
  auto started = std::chrono::steady_clock::now();
  z3::check_result result = bounded_check(once, kind);
  if (result == z3::sat && facts.size() == path_.assertions().size()) {
    // Kept for known_model_satisfies: a branch's next condition, or an
    // access's "outside this region", is often satisfied by the model of
    // the query just before it.
    keep_model({once.get_model(), std::nullopt});
  }
  if (result == z3::sat && model) model->emplace(once.get_model());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  stage_seconds_[1] += seconds;
  ++stage_calls_[1];
  if (options_.verbose && seconds > 0.5)
    std::cout << "    " << seconds << " s  (query " << counter << ": " << extra.to_string().substr(0, 400) << ")" << std::endl;
  return result;
}

z3::check_result Executor::check_abstract(const z3::expr& extra, bool* by_integers) {
  // Bit-blasting first, within a small budget: it decides most queries of
  // these functions in a fraction of a second, either way, where the
  // integer stage can spend seconds finding a query satisfiable, which
  // proves nothing.  Its answer is the answer: the integer encoding only
  // loses information (int_encoding.h), so it cannot refute what the
  // bit-blaster satisfied.
  if (known_model_satisfies(extra)) return z3::sat;
  z3::check_result quick = check_bit_vector(extra, QueryKind::BitVectorQuick);
  if (quick != z3::unknown) return quick;
  // Then over the integers (int_encoding.h), where address arithmetic that
  // makes the bit-blaster reason carry by carry is decided at once: unsat
  // there is final.
  if (check_integers(extra, QueryKind::QueryIntegers) == z3::unsat) {
    if (by_integers) *by_integers = true;
    return z3::unsat;
  }
  return check_bit_vector(extra, QueryKind::BitVector);
}

z3::check_result Executor::check_real(const z3::expr& extra) {
  z3::solver once(ctx_);
  for (const z3::expr& fact : path_.assertions()) once.add(fact);
  once.add(extra);
  auto started = std::chrono::steady_clock::now();
  z3::check_result result = bounded_check(once, QueryKind::Exact);
  stage_seconds_[2] += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ++stage_calls_[2];
  return result;
}

std::string Executor::where(const Instruction& insn) const {
  return code_.describe(insn.section, insn.address) + " (" + hex(insn.address) + "): " + insn.text;
}

void Executor::run(MachineState initial) {
  explore(std::move(initial));
  if (options_.verbose) std::cout << "  solver: " << statistics() << std::endl;
}

std::string Executor::statistics() const {
  std::ostringstream out;
  const char* names[] = {"integer", "bit-vector", "exact"};
  for (int i = 0; i < 3; ++i)
    out << (i ? ", " : "") << names[i] << " " << stage_calls_[i] << " queries " << stage_seconds_[i] << " s";
  return out.str();
}

void Executor::explore(MachineState state) {
  ScopeGuard scope(path_);
  for (;;) {
    const Instruction* insn = code_.instruction_at(state.section, state.pc);
    if (!insn)
      throw ProofError("execution reaches " + code_.describe(state.section, state.pc) + " (" + hex(state.pc) +
                       "), where objdump shows no instruction");
    if (++state.visits[state.pc] > options_.loop_limit)
      throw ProofError("the loop at " + where(*insn) + " runs more than " + std::to_string(options_.loop_limit) +
                       " times on one path: its iterations cannot be bounded");
    if (!hooks_.before(*insn, state)) {
      end_path(state, PathEnd::Kind::Cut, ctx_.bv_val(0, 32), insn->address);
      return;
    }
    try {
      if (options_.loop_summaries && apply_loop_summary(*this, state, *insn)) continue;
      if (!step(state, *insn)) return;
    } catch (const PathCut&) {
      return;
    }
  }
}

void Executor::branch(MachineState& state, const Instruction& insn, const z3::expr& raw_condition) {
  z3::expr condition = raw_condition.simplify();
  if (insn.operands.size() != 1 || relocation(insn))
    throw ProofError("unsupported branch form at " + where(insn));
  Operand target = parse_operand(insn.operands[0], true);
  if (target.kind != Operand::Kind::Target) throw ProofError("computed branch at " + where(insn));
  bool taken = may_hold(condition);
  bool not_taken = may_hold(!condition);
  if (taken && not_taken) {
    MachineState other = state;
    other.conditions.push_back(condition);
    other.steps.push_back(hex(insn.address) + " " + insn.mnemonic + " taken");
    other.pc = target.immediate;
    {
      ScopeGuard scope(path_);
      path_.add(condition);
      explore(std::move(other));
    }
    assume(state, !condition);
    state.steps.push_back(hex(insn.address) + " " + insn.mnemonic + " not taken");
    state.pc = insn.next_address;
    return;
  }
  if (!taken && !not_taken)  // the path itself is infeasible (cannot happen after checks)
    throw ProofError("infeasible path reached " + where(insn));
  state.steps.push_back(hex(insn.address) + " " + insn.mnemonic + (taken ? " taken" : " not taken"));
  state.pc = taken ? target.immediate : insn.next_address;
}

bool Executor::may_hold(const z3::expr& raw) {
  z3::expr condition = raw.simplify();
  if (condition.is_true()) return true;
  if (condition.is_false()) return false;
  // Bit-blasting briefly first (see check_abstract), then over-approximated:
  // a path the integer encoding cannot rule out is explored (bit-blasting
  // every branch of a long path to the end costs minutes); an infeasible
  // path's obligations then hold vacuously, and no counterexample is
  // reported before the exact check confirms it.
  if (known_model_satisfies(condition)) return true;
  z3::check_result quick = check_bit_vector(condition, QueryKind::BitVectorQuick);
  if (quick != z3::unknown) return quick == z3::sat;
  return check_integers(condition, QueryKind::BranchIntegers) != z3::unsat;
}

void Executor::assume(MachineState& state, const z3::expr& fact) {
  z3::expr f = fact.simplify();
  if (f.is_true()) return;
  path_.add(f);
  state.conditions.push_back(f);
}

z3::model Executor::nice_model(const z3::expr_vector& base) {
  // Each attempt on a fresh solver with the real terms; a nice constraint
  // that leaves no counterexample (or takes too long) is dropped.
  std::vector<z3::expr> kept;
  auto attempt = [&](const std::vector<z3::expr>& extra, QueryKind kind) -> std::optional<z3::model> {
    z3::solver once(ctx_);
    for (const z3::expr& fact : path_.assertions()) once.add(fact);
    for (unsigned i = 0; i < base.size(); ++i) once.add(base[i]);
    for (const z3::expr& e : extra) once.add(e);
    if (bounded_check(once, kind) != z3::sat) return std::nullopt;
    return once.get_model();
  };
  for (const z3::expr& nice : hooks_.nice_constraints()) {
    kept.push_back(nice);
    if (!attempt(kept, QueryKind::NiceAttempt)) kept.pop_back();
  }
  auto model = attempt(kept, QueryKind::NiceModel);
  if (!model) throw ProofError("a counterexample vanished while minimising it");
  return *model;
}

bool Executor::assumed_on_path(const MachineState& state, const z3::expr& fact) const {
  auto assumed = [&](const z3::expr& f) {
    for (const z3::expr& condition : state.conditions)
      if (z3::eq(condition, f)) return true;
    return false;
  };
  if (assumed(fact)) return true;
  if (!fact.is_app() || fact.decl().decl_kind() != Z3_OP_AND) return false;
  for (unsigned i = 0; i < fact.num_args(); ++i)
    if (!assumed(fact.arg(i))) return false;
  return true;
}

bool Executor::integers_first(const std::string& obligation) const {
  return learned_integers_.count(obligation) > 0;
}

void Executor::learned_integers(const std::string& obligation) { learned_integers_.insert(obligation); }

void Executor::require(MachineState& state, const std::string& name, const z3::expr& holds,
                       const std::string& site) {
  z3::expr h = holds.simplify();
  if (h.is_true() || assumed_on_path(state, h)) return;
  auto started = std::chrono::steady_clock::now();
  auto report_time = [&] {
    if (options_.verbose)
      std::cout << "    " << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
                << " s  " << name << "  [" << site << "]" << std::endl;
  };
  if (integers_first(name) && check_integers(!h, QueryKind::QueryIntegers) == z3::unsat) {
    report_time();
    return;
  }
  bool by_integers = false;
  if (check_abstract(!h, &by_integers) == z3::unsat) {
    if (by_integers) learned_integers(name);
    report_time();
    return;
  }
  // The abstraction's model may be spurious: look for a real one, first
  // among small, replayable values (quick to find even with multipliers and
  // dividers in the query), then anywhere.
  {
    z3::solver nice(ctx_);
    for (const z3::expr& fact : path_.assertions()) nice.add(fact);
    nice.add(!h);
    for (const z3::expr& n : hooks_.nice_constraints()) nice.add(n);
    if (bounded_check(nice, QueryKind::NiceCounterexample) == z3::sat) {
      report_time();
      throw CounterexampleFound{name, site, nice.get_model(), state, std::nullopt};
    }
  }
  z3::check_result result = check_real(!h);
  report_time();
  if (result == z3::unsat) return;
  if (result == z3::unknown)
    throw ProofError("the solver could not decide \"" + name + "\" at " + site +
                     " (it does not follow with products and quotients abstracted away, and the exact query ran out of its resource budget)");
  z3::expr_vector assumptions(ctx_);
  assumptions.push_back(!h);
  throw CounterexampleFound{name, site, nice_model(assumptions), state, std::nullopt};
}

void Executor::require_all(MachineState& state, const std::vector<Obligation>& obligations, const std::string& site) {
  z3::expr_vector all(ctx_);
  for (const Obligation& o : obligations) all.push_back(o.holds);
  z3::expr conjunction = z3::mk_and(all).simplify();
  if (conjunction.is_true()) return;
  auto started = std::chrono::steady_clock::now();
  // Most obligations are address arithmetic that the integers settle at
  // once; only the rest (typically the memory contents, with bitwise
  // operations) go to the bit-blaster, where a smaller conjunction is much
  // faster than all of them together.
  std::vector<const Obligation*> rest;
  // A set of obligations whose conjunction the quick budget could not
  // decide on an earlier path goes straight to one by one (learned_integers_).
  std::string together = "together:";
  for (const Obligation& o : obligations) together += "\n" + o.name;
  const bool skip_together = integers_first(together);
  z3::check_result quick = skip_together ? z3::unknown : check_bit_vector(!conjunction, QueryKind::BitVectorQuick);
  if (quick == z3::unknown) learned_integers(together);
  if (quick == z3::unsat) {
    if (options_.verbose)
      std::cout << "    " << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s  "
                << obligations.size() << " obligations together, bit-blasted  [" << site << "]" << std::endl;
    return;
  }
  if (quick == z3::sat) {
    // One of them fails with products abstracted: find which, one by one.
    for (const Obligation& o : obligations) require(state, o.name, o.holds, site);
    return;
  }
  // Too much for the quick budget together: each alone, briefly, so that
  // only the hard ones (address arithmetic) go on to the integers, where
  // the memory contents' bitwise terms would only slow the query down.
  std::vector<Obligation> hard;
  for (const Obligation& o : obligations) {
    z3::expr h = o.holds.simplify();
    if (h.is_true()) continue;
    if (integers_first(o.name)) {
      hard.push_back(o);
      if (options_.verbose) std::cout << "      to the integers first (as on an earlier path): " << o.name << std::endl;
      continue;
    }
    z3::check_result alone = check_bit_vector(!h, QueryKind::BitVectorQuick);
    if (alone == z3::sat) require(state, o.name, o.holds, site);
    if (alone == z3::unknown) {
      hard.push_back(o);
      if (options_.verbose) std::cout << "      to the integers: " << o.name << std::endl;
    }
  }
  if (hard.empty()) return;
  z3::expr_vector hard_terms(ctx_);
  for (const Obligation& o : hard) hard_terms.push_back(o.holds);
  conjunction = z3::mk_and(hard_terms).simplify();
  if (check_integers(!conjunction, QueryKind::ObligationIntegers) == z3::unsat) {
    for (const Obligation& o : hard) learned_integers(o.name);
    if (options_.verbose)
      std::cout << "    " << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s  "
                << obligations.size() << " obligations, " << hard.size() << " of them together over the integers  [" << site << "]" << std::endl;
    return;
  }
  for (const Obligation& o : hard) {
    z3::expr h = o.holds.simplify();
    auto t0 = std::chrono::steady_clock::now();
    z3::check_result r = check_integers(!h, QueryKind::ObligationIntegers);
    if (options_.verbose)
      std::cout << "      integers: " << (r == z3::unsat ? "proved " : r == z3::sat ? "open   " : "unknown ")
                << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s  " << o.name
                << std::endl;
    if (r == z3::unsat) learned_integers(o.name);
    else rest.push_back(&o);
  }
  if (rest.empty()) {
    if (options_.verbose)
      std::cout << "    " << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s  "
                << obligations.size() << " obligations, each over the integers  [" << site << "]" << std::endl;
    return;
  }
  z3::expr_vector remaining(ctx_);
  for (const Obligation* o : rest) {
    remaining.push_back(o->holds);
    if (options_.verbose) std::cout << "      to bit-blast: " << o->name << std::endl;
  }
  conjunction = z3::mk_and(remaining).simplify();
  bool proved = check_abstract(!conjunction) == z3::unsat;
  if (options_.verbose)
    std::cout << "    " << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s  "
              << obligations.size() << " obligations, " << rest.size() << " of them bit-blasted together  [" << site
              << "]" << std::endl;
  if (proved) return;
  for (const Obligation* o : rest) require(state, o->name, o->holds, site);
}

z3::expr Executor::fresh(MachineState& state, const std::string& stem, unsigned bits) {
  return ctx_.bv_const((stem + "#" + std::to_string(++state.fresh_counter)).c_str(), bits);
}

z3::expr Executor::fresh_bool(MachineState& state, const std::string& stem) {
  return ctx_.bool_const((stem + "#" + std::to_string(++state.fresh_counter)).c_str());
}

z3::expr Executor::get(const MachineState& state, const RegisterRef& reg) const {
  const z3::expr& full = state.regs[reg.gpr];
  if (reg.bits == 64) return full;
  if (reg.high8) return full.extract(15, 8).simplify();
  return full.extract(reg.bits - 1, 0).simplify();
}

void Executor::set(MachineState& state, const RegisterRef& reg, const z3::expr& value) {
  const z3::expr full = state.regs[reg.gpr];
  z3::expr result = value;
  if (reg.bits == 32) {
    result = z3::zext(value, 32);  // a 32-bit write clears the upper half
  } else if (reg.bits == 16) {
    result = z3::concat(full.extract(63, 16), value);
  } else if (reg.bits == 8 && reg.high8) {
    result = z3::concat(z3::concat(full.extract(63, 16), value), full.extract(7, 0));
  } else if (reg.bits == 8) {
    result = z3::concat(full.extract(63, 8), value);
  }
  state.regs[reg.gpr] = result.simplify();
}

z3::expr Executor::section_base(const std::string& section) const {
  return ctx_.bv_const(("&" + section).c_str(), 64);
}

z3::expr Executor::symbol_address(const std::string& symbol, std::int64_t addend) const {
  z3::expr add = ctx_.bv_val(static_cast<std::uint64_t>(addend), 64);
  if (code_.has_section(symbol)) return (section_base(symbol) + add).simplify();
  if (const Symbol* s = code_.defined_symbol(symbol))
    return (section_base(s->section) + ctx_.bv_val(s->value, 64) + add).simplify();
  return (ctx_.bv_const(("&" + symbol).c_str(), 64) + add).simplify();
}

const Relocation* Executor::relocation(const Instruction& insn) const {
  if (insn.relocations.empty()) return nullptr;
  if (insn.relocations.size() > 1) throw ProofError("more than one relocation in " + where(insn));
  return &insn.relocations.front();
}

Executor::Resolved Executor::resolve(MachineState& state, const Instruction& insn, const z3::expr& address,
                                     const z3::expr& length, bool length_is_constant,
                                     std::uint64_t constant_length, bool write) {
  const std::string site = where(insn);
  for (std::size_t i = 1; i < state.memory.region_count(); ++i) {
    const Region& r = state.memory.region(static_cast<int>(i));
    std::uint64_t offset = 0;
    if (!numeral(address - r.base, offset)) continue;
    bool inside = length_is_constant && offset < r.size && constant_length <= r.size - offset;
    if (r.kind == RegionKind::Stack && !inside)
      throw ProofError("stack access outside the " + std::to_string(options_.stack_frame) + "-byte frame at " +
                       site);
    if (!inside) continue;
    require(state, "the " + r.name + " pointer is not NULL where it is dereferenced", r.valid, site);
    if (r.limit)
      require(state, "the access stays inside the " + r.name + " block",
              z3::ule(ctx_.bv_val(offset + constant_length, 64), *r.limit), site);
    return {static_cast<int>(i), ctx_.bv_val(offset, 64)};
  }
  // A symbolic offset inside a data section (a table indexed by a value).
  if (length_is_constant) {
    for (std::size_t i = 1; i < state.memory.region_count(); ++i) {
      const Region& r = state.memory.region(static_cast<int>(i));
      if (r.kind != RegionKind::Global || r.size < constant_length) continue;
      z3::expr offset = (address - r.base).simplify();
      z3::expr inside = z3::ule(offset, ctx_.bv_val(r.size - constant_length, 64));
      // Exact: an access left unresolved here is taken for a heap access.
      if (check_abstract(!inside) != z3::unsat) continue;
      return {static_cast<int>(i), pinned_offset(r, offset)};
    }
  }
  const int extent = require_outside_regions(state, insn, address, length, write);
  return {state.memory.heap(), address.simplify(), extent};
}

z3::expr Executor::pinned_offset(const Region& region, const z3::expr& offset) {
  // Only a term that certainly equals the access's offset replaces it, so
  // this changes how the access is written, never what it reads or writes.
  for (const auto& pin : region.init->pinned) {
    if (z3::eq(pin.first, offset) || check_abstract(pin.first != offset) == z3::unsat) return pin.first;
  }
  return offset;
}

int Executor::require_outside_regions(MachineState& state, const Instruction& insn, const z3::expr& address,
                                      const z3::expr& length, bool write) {
  const std::string site = where(insn);
  // Usual case: the access lies inside memory the function owns (an
  // extent: a pool's block, a block a callee handed out).  Extents are
  // disjoint from the stack and the data sections by assumption, so only
  // the regions inside that extent (its header) remain to be kept clear.
  // Stating containment is linear; the general circular disjointness below
  // makes the solver split cases and is far slower.
  // Integers first for every extent (cheap), bit-blasting only if none fits.
  std::optional<std::size_t> owner;
  for (bool integers_only : {true, false}) {
    for (std::size_t i = 0; i < state.extents.size() && !owner; ++i) {
      const Extent& e = state.extents[i];
      z3::expr offset = address - e.base;
      z3::expr inside = e.valid && z3::ule(offset, e.length) && z3::ule(length, e.length - offset);
      // A kept model that puts the access outside this extent shows that
      // the integers cannot put it inside: they lose information, so never
      // refute what a model satisfies.  Their query (seconds of simplex for
      // an answer that says nothing: six of mem_alloc's, on accesses to the
      // open slab, tried the other extents first) is skipped; the owner
      // found is the same.
      if (integers_only && known_model_satisfies(!inside)) continue;
      z3::check_result r = integers_only ? check_integers(!inside, QueryKind::QueryIntegers) : check_abstract(!inside);
      if (r == z3::unsat) owner = i;
    }
    if (owner) break;
  }
  if (owner) {
    const Extent& e = state.extents[*owner];
    z3::expr offset = address - e.base;
    for (std::size_t i = 1; i < state.memory.region_count(); ++i) {
      const Region& r = state.memory.region(static_cast<int>(i));
      if (r.size == 0 || !(r.base - e.base).simplify().is_numeral()) continue;
      z3::expr r_offset = (r.base - e.base).simplify();
      z3::expr r_end = r_offset + ctx_.bv_val(r.size, 64);
      // Both inside the same extent: apart means one ends before the other starts.
      require(state, "a heap access stays clear of the " + r.name,
              length == 0 || z3::ule(offset + length, r_offset) || z3::ule(r_end, offset), site);
    }
    return static_cast<int>(*owner);
  }
  if (!write) {
    // No extent was shown to hold the read: one must, on every path.
    z3::expr in_some_extent = ctx_.bool_val(false);
    for (const Extent& e : state.extents) {
      z3::expr offset = address - e.base;
      in_some_extent = in_some_extent || (e.valid && z3::ule(offset, e.length) && z3::ule(length, e.length - offset));
    }
    require(state, "a heap read lies inside memory the function owns (an extent its spec declares)",
            length == 0 || in_some_extent, site);
  }
  require(state, "the access does not wrap around the address space",
          length == 0 || z3::uge(-address, length) || -address == 0, site);
  for (std::size_t i = 1; i < state.memory.region_count(); ++i) {
    const Region& r = state.memory.region(static_cast<int>(i));
    if (r.size == 0) continue;
    require(state, "a heap access stays clear of the " + r.name,
            !r.valid || disjoint(address, length, r.base, ctx_.bv_val(r.size, 64)), site);
  }
  return -1;
}

z3::expr Executor::load(MachineState& state, const Instruction& insn, const z3::expr& address, unsigned bytes) {
  Resolved at = resolve(state, insn, address, ctx_.bv_val(bytes, 64), true, bytes, false);
  AccessEvent event{at.region, at.offset, bytes, false, insn.address, at.extent};
  state.accesses.push_back(event);
  for (const z3::expr& fact : hooks_.facts_due(event, state)) assume(state, fact);
  if (!hooks_.on_access(event, state)) {
    end_path(state, PathEnd::Kind::Cut, ctx_.bv_val(0, 32), insn.address);
    throw PathCut{};
  }
  return state.memory.read(at.region, at.offset, bytes);
}

void Executor::store(MachineState& state, const Instruction& insn, const z3::expr& address, unsigned bytes,
                     const z3::expr& value) {
  Resolved at = resolve(state, insn, address, ctx_.bv_val(bytes, 64), true, bytes, true);
  if (!state.memory.region(at.region).writable)
    throw ProofError("write to read-only " + state.memory.region(at.region).name + " at " + where(insn));
  AccessEvent event{at.region, at.offset, bytes, true, insn.address, at.extent};
  state.accesses.push_back(event);
  for (const z3::expr& fact : hooks_.facts_due(event, state)) assume(state, fact);
  if (!hooks_.on_access(event, state)) {
    end_path(state, PathEnd::Kind::Cut, ctx_.bv_val(0, 32), insn.address);
    throw PathCut{};
  }
  state.memory.store(at.region, at.offset, bytes, value);
}

void Executor::fill(MachineState& state, const Instruction& insn, const z3::expr& address, const z3::expr& length,
                    const z3::expr& value, unsigned unit) {
  std::uint64_t constant_length = 0;
  bool is_constant = numeral(length, constant_length);
  Resolved at = resolve(state, insn, address, length, is_constant, constant_length, true);
  if (!state.memory.region(at.region).writable)
    throw ProofError("write to read-only " + state.memory.region(at.region).name + " at " + where(insn));
  state.accesses.push_back({at.region, at.offset, is_constant ? static_cast<unsigned>(constant_length) : 0u, true,
                            insn.address, at.extent});
  state.memory.fill(at.region, at.offset, length, value, unit);
}

void Executor::end_path(MachineState& state, PathEnd::Kind kind, const z3::expr& code, std::uint64_t site) {
  if (!state.callee_facts.empty()) require_callee_facts_consistent(state, site);
  hooks_.on_end(PathEnd{kind, code, site, state});
}

void Executor::require_callee_facts_consistent(const MachineState& state, std::uint64_t site) {
  // Straight to the bit-blaster, products and quotients abstracted: the
  // integer stage, which is only good for unsat, can spend minutes on a whole
  // path condition of mem_alloc.
  auto satisfiable = [&](const std::vector<z3::expr>& facts) {
    z3::solver once(ctx_);
    for (const z3::expr& fact : facts) once.add(abstraction_(fact));
    for (const z3::expr& fact : abstraction_.facts()) once.add(fact);
    return bounded_check(once, QueryKind::BitVector) != z3::unsat;
  };
  std::vector<z3::expr> with, without;
  for (const z3::expr& fact : path_.assertions()) {
    with.push_back(fact);
    bool from_callee = false;
    for (const z3::expr& f : state.callee_facts) from_callee = from_callee || z3::eq(fact, f);
    if (!from_callee) without.push_back(fact);
  }
  // Usually feasible at once, often under a model kept from the path's
  // last queries (the whole path condition, the callees' facts included,
  // evaluates to true: feasible).  If not: by its own branches (an
  // over-approximated branch check let it through: harmless), or only once
  // the callees' facts are added?
  if (known_model_satisfies(ctx_.bool_val(true))) return;
  if (satisfiable(with) || !satisfiable(without)) return;
  std::string callers;
  for (const std::string& by : state.assumed_by) callers += (callers.empty() ? "" : ", ") + by;
  throw ProofError("the facts assumed by the callee specs (" + callers + ") contradict the path that ends at " +
                   hex(site) + ": its obligations would hold vacuously");
}

bool Executor::call(MachineState& state, const Instruction& insn, bool tail) {
  const std::string site = where(insn);
  std::optional<std::uint64_t> internal_target;
  // A callee with a spec is replaced by it, whether the call reaches it
  // through a relocation or directly (a local function of the same section).
  auto apply_spec = [&](const std::string& name, const CalleeSpec& spec) {
    // A call leaves rsp 16-byte aligned at the call; a tail call leaves
    // it as the caller's call did (8 below a multiple of 16).
    z3::expr rsp = state.regs[RSP];
    if (spec.needs_aligned_stack())
      require(state, "rsp is 16-byte aligned at the call to " + name,
              (rsp & ctx_.bv_val(15, 64)) == ctx_.bv_val(tail ? 8 : 0, 64), site);
    z3::expr exit_code = ctx_.bv_val(0, 32);
    const std::size_t known = state.conditions.size();
    const bool returns = spec.apply(*this, state, insn, exit_code);
    if (name == options_.selftest_contradict_after) assume(state, ctx_.bool_val(false));
    if (state.conditions.size() > known) {
      for (std::size_t i = known; i < state.conditions.size(); ++i) state.callee_facts.push_back(state.conditions[i]);
      state.assumed_by.push_back(name + " at " + hex(insn.address));
    }
    if (!returns) {
      end_path(state, PathEnd::Kind::Exit, exit_code, insn.address);
      return false;
    }
    if (tail) return return_from(state, insn);
    state.pc = insn.next_address;
    return true;
  };
  if (const Relocation* r = relocation(insn)) {
    if (const CalleeSpec* spec = hooks_.callee(r->symbol)) return apply_spec(r->symbol, *spec);
    const Symbol* s = code_.defined_symbol(r->symbol);
    if (!s || s->section != insn.section)
      throw ProofError("call to " + r->symbol + ", which has no spec and is not code of this object, at " + site);
    internal_target = s->value + static_cast<std::uint64_t>(r->addend) + (insn.next_address - r->offset);
  } else {
    if (insn.operands.size() != 1) throw ProofError("unsupported call form at " + site);
    Operand target = parse_operand(insn.operands[0], true);
    if (target.kind != Operand::Kind::Target) throw ProofError("computed call or jump at " + site);
    internal_target = target.immediate;
  }
  for (const Symbol& sym : code_.symbols()) {
    if (!sym.is_function || sym.section != insn.section || sym.value != *internal_target) continue;
    if (const CalleeSpec* spec = hooks_.callee(sym.name)) return apply_spec(sym.name, *spec);
  }
  if (!tail) {
    z3::expr rsp = (state.regs[RSP] - ctx_.bv_val(8, 64)).simplify();
    state.regs[RSP] = rsp;
    store(state, insn, rsp, 8, (section_base(insn.section) + ctx_.bv_val(insn.next_address, 64)).simplify());
  }
  state.pc = *internal_target;
  return true;
}

bool Executor::return_from(MachineState& state, const Instruction& insn) {
  const std::string site = where(insn);
  z3::expr rsp = state.regs[RSP];
  z3::expr target = load(state, insn, rsp, 8);
  state.regs[RSP] = (rsp + ctx_.bv_val(8, 64)).simplify();
  int stack = state.memory.find("stack");
  z3::expr caller = state.memory.initial_quad(stack, options_.stack_frame);
  if ((target - caller).simplify().is_numeral()) {
    std::uint64_t d = 0;
    numeral(target - caller, d);
    if (d == 0) {
      end_path(state, PathEnd::Kind::Return, ctx_.bv_val(0, 32), insn.address);
      return false;
    }
  }
  std::uint64_t internal = 0;
  if (numeral(target - section_base(insn.section), internal)) {
    state.pc = internal;
    return true;
  }
  // A return address in this section whose bytes were reassembled: guess
  // its offset with the section base at 0, then prove the guess.
  z3::expr_vector from(ctx_), to(ctx_);
  from.push_back(section_base(insn.section));
  to.push_back(ctx_.bv_val(0, 64));
  if (target.substitute(from, to).simplify().is_numeral_u64(internal) &&
      check_abstract(target != section_base(insn.section) + ctx_.bv_val(internal, 64)) == z3::unsat) {
    state.pc = internal;
    return true;
  }
  require(state, "ret returns to the caller (the return address is intact; it holds " + target.to_string() + ")",
          target == caller, site);
  end_path(state, PathEnd::Kind::Return, ctx_.bv_val(0, 32), insn.address);
  return false;
}

}  // namespace mf::proof
