// prover.cpp
#include "prover.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <iomanip>
#include <optional>
#include <sstream>

#include "hex_text.h"
#include "morph_abi.h"
#include "text_format.h"

namespace mf::proof {
namespace {

namespace L = mf::layout;


std::string show(const z3::model& model, const z3::expr& e) {
  z3::expr v = model.eval(e, true);
  std::uint64_t n = 0;
  if (v.is_bool()) return v.is_true() ? "true" : "false";
  if (v.is_numeral_u64(n)) {
    std::ostringstream out;
    out << hex(n);
    if (n > 9) out << " (" << n << ")";
    return out.str();
  }
  return v.to_string();
}

class Hooks : public ExecutionHooks {
 public:
  Hooks(z3::context& ctx, FunctionSpec& spec, ProofSetup& setup, const CalleeSpecs& callees)
      : ctx_(ctx), spec_(spec), setup_(setup), callees_(callees) {}
  void attach(Executor& executor) { executor_ = &executor; }

  void on_end(PathEnd end) override {
    ++paths;
    std::vector<Obligation> all;
    if (end.kind == PathEnd::Kind::Return) {
      for (Gpr r : {RBX, RBP, R12, R13, R14, R15})
        all.push_back({std::string("callee-saved ") + gpr_name(r) + " is restored",
                       end.state.regs[r] == setup_.initial_reg(r)});
      all.push_back({"rsp is restored", end.state.regs[RSP] == setup_.entry_rsp() + ctx_.bv_val(8, 64)});
    }
    for (Obligation& o : spec_.obligations(end, setup_)) all.push_back(o);
    std::string site = "end of path at " + executor_->code().describe(end.state.section, end.site);
    obligations += static_cast<unsigned>(all.size());
    try {
      executor_->require_all(end.state, all, site);
    } catch (CounterexampleFound& cex) {
      cex.end = end;
      throw;
    }
  }
  bool on_access(const AccessEvent& access, MachineState& state) override {
    return spec_.on_access(access, state, setup_);
  }
  std::vector<z3::expr> facts_due(const AccessEvent& access, MachineState& state) override {
    std::vector<z3::expr> due;
    if (!state.deferred_precondition_assumed && spec_.precondition_due(access, setup_)) {
      state.deferred_precondition_assumed = true;
      due = setup_.deferred();
    }
    if (!state.late_precondition_assumed && spec_.late_precondition_due(access, setup_)) {
      state.late_precondition_assumed = true;
      due.insert(due.end(), setup_.late_deferred().begin(), setup_.late_deferred().end());
    }
    return due;
  }
  bool before(const Instruction& insn, MachineState& state) override { return spec_.before(insn, state, setup_); }
  const CalleeSpec* callee(const std::string& name) const override { return callees_.find(name); }
  std::vector<z3::expr> nice_constraints() const override { return spec_.nice_constraints(setup_); }

  unsigned paths = 0;
  unsigned obligations = 0;

 private:
  z3::context& ctx_;
  FunctionSpec& spec_;
  ProofSetup& setup_;
  const CalleeSpecs& callees_;
  Executor* executor_ = nullptr;
};

int add_stack_region(z3::context& ctx, MachineState& state, std::uint64_t frame) {
  auto init = std::make_shared<RegionInit>();
  init->kind = RegionInit::Kind::NamedQuads;
  init->quad_name = [frame](std::uint64_t offset) {
    return offset == frame ? std::string("stack.retaddr") : "stack-" + hex(frame - offset);
  };
  z3::expr rsp = state.regs[RSP];
  return state.memory.add_region(Region{"stack", RegionKind::Stack, (rsp - ctx.bv_val(frame, 64)).simplify(),
                                        frame + 8, ctx.bool_val(true), std::nullopt, true, init, {}});
}

void add_data_regions(z3::context& ctx, const ObjectCode& code, MachineState& state) {
  for (const std::string& section : code.data_sections()) {
    auto init = std::make_shared<RegionInit>();
    bool writable = code.section_is_writable(section);
    if (!writable && code.section_bytes(section)) {
      init->kind = RegionInit::Kind::Bytes;
      init->bytes = *code.section_bytes(section);
    } else {
      init->kind = RegionInit::Kind::NamedQuads;
      const ObjectCode* object = &code;
      init->quad_name = [object, section](std::uint64_t offset) {
        const Symbol* s = object->data_symbol_at(section, offset);
        if (!s) return section + "+" + hex(offset);
        return s->name + (offset == s->value ? "" : "+" + hex(offset - s->value));
      };
    }
    state.memory.add_region(Region{section, RegionKind::Global, ctx.bv_const(("&" + section).c_str(), 64),
                                   code.section_size(section), ctx.bool_val(true), std::nullopt, writable, init, {}});
  }
}

// Every region known at entry lies in user space, is aligned as its kind
// requires, and overlaps no other region.  An extent (memory reached through
// the heap) overlaps no other extent and no region, except the header at its
// own base.  Specs must only declare extents whose disjointness follows from
// their precondition (the witnesses check catches a contradictory one).
void assume_layout(z3::context& ctx, ProofSetup& setup) {
  MachineState& s = setup.initial();
  z3::expr user_end = ctx.bv_val(L::USER_SPACE_END, 64);
  z3::expr rsp = s.regs[RSP];
  setup.assume((rsp & ctx.bv_val(15, 64)) == ctx.bv_val(8, 64));  // just after a call
  setup.assume(z3::uge(rsp, ctx.bv_val(static_cast<std::uint64_t>(1ULL << 20), 64)) && z3::ult(rsp, user_end));
  std::vector<Extent> regions;
  for (std::size_t i = 1; i < s.memory.region_count(); ++i) {
    const Region& r = s.memory.region(static_cast<int>(i));
    if (r.size == 0) continue;
    if (r.kind == RegionKind::Global) {
      setup.assume((r.base & ctx.bv_val(15, 64)) == ctx.bv_val(0, 64));
      setup.assume(z3::uge(r.base, ctx.bv_val(L::NULL_PAGE_END, 64)) &&
                   z3::ule(r.base, user_end - ctx.bv_val(r.size, 64)));
    }
    Extent e{r.base, ctx.bv_val(r.size, 64), r.valid};
    regions.push_back(e);
  }
  auto apart = [&](const Extent& a, const Extent& b) {
    setup.assume_layout(!a.valid || !b.valid || disjoint(a.base, a.length, b.base, b.length));
  };
  for (std::size_t i = 0; i < regions.size(); ++i)
    for (std::size_t j = i + 1; j < regions.size(); ++j) apart(regions[i], regions[j]);
  for (std::size_t i = 0; i < s.extents.size(); ++i) {
    // A region at an extent's base is that extent's header, inside it.
    for (const Extent& r : regions)
      if (!(r.base - s.extents[i].base).simplify().is_numeral()) apart(s.extents[i], r);
    for (std::size_t j = i + 1; j < s.extents.size(); ++j) apart(s.extents[i], s.extents[j]);
  }
}

void report_counterexample(const CounterexampleFound& cex, FunctionSpec& spec, ProofSetup& setup,
                           const ProverOptions& options, std::ostream& out) {
  const z3::model& m = cex.model;
  out << "COUNTEREXAMPLE for " << spec.proof_name() << ": \"" << cex.obligation << "\" can fail\n";
  out << "  at:    " << cex.site << "\n";
  out << "  path:  ";
  for (std::size_t i = 0; i < cex.state.steps.size(); ++i) out << (i ? "; " : "") << cex.state.steps[i];
  out << (cex.state.steps.empty() ? "(straight line)\n" : "\n");
  out << "  entry:\n";
  for (const NamedValue& v : spec.inputs(setup)) out << "    " << std::left << std::setw(24) << v.name << show(m, v.value) << "\n";
  for (const CallEvent& call : cex.state.calls) {
    out << "  call:  " << call.callee << "(";
    for (std::size_t i = 0; i < 2 && i < call.args.size(); ++i) out << (i ? ", " : "") << show(m, call.args[i]);
    out << ") -> " << show(m, call.result) << "\n";
  }
  if (cex.end) {
    const PathEnd& end = *cex.end;
    if (end.kind == PathEnd::Kind::Exit) out << "  end:   exits " << show(m, end.exit_code) << "\n";
    else if (end.kind == PathEnd::Kind::Return) out << "  end:   returns rax = " << show(m, end.state.regs[RAX]) << "\n";
    const Memory& memory = end.state.memory;
    for (std::size_t i = 1; i < memory.region_count(); ++i) {
      const Region& r = memory.region(static_cast<int>(i));
      if (r.kind != RegionKind::Header && r.kind != RegionKind::Fresh) continue;
      if (!m.eval(r.valid, true).is_true()) continue;
      out << "  " << r.name << " at the end:";
      for (std::uint64_t o = 0; o + 8 <= r.size; o += 8)
        out << (o ? ", " : " ") << r.init->quad_name(o) << " = " << show(m, final_quad(end, static_cast<int>(i), o));
      out << "\n";
    }
  }
  ops::Trace trace{spec.trace_target(), spec.trace(m, cex, setup)};
  if (trace.ops.empty()) {
    out << "  (no trace: this state cannot be written as a trace of public calls)\n";
    return;
  }
  const std::string text = ops::write_text_trace(trace);
  out << "  trace:\n";
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) out << "    " << line << "\n";
  if (!options.trace_path.empty()) {
    std::ofstream file(options.trace_path);
    file << text;
    if (!file) throw ProofError("cannot write " + options.trace_path);
    out << "  trace written to " << options.trace_path << "\n";
  }
}

}  // namespace

MachineState entry_state(z3::context& ctx, const ObjectCode& code, const std::string& function,
                         std::uint64_t stack_frame) {
  MachineState state(ctx);
  const Symbol* entry = code.defined_symbol(function);
  if (!entry) throw ProofError(code.path() + " does not define " + function);
  state.section = entry->section;
  state.pc = entry->value;
  // The caller's flags are unknown: code that branches on them must show it.
  state.flags = {ctx.bool_const("entry_cf"), ctx.bool_const("entry_zf"), ctx.bool_const("entry_sf"),
                 ctx.bool_const("entry_of")};
  add_stack_region(ctx, state, stack_frame);
  add_data_regions(ctx, code, state);
  return state;
}

ProofOutcome prove(z3::context& ctx, const ObjectCode& code, FunctionSpec& spec, const ProverOptions& options,
                   std::ostream& out) {
  ProofOutcome outcome;
  CalleeConfig callee_config;
  callee_config.panic_name = spec.function();
  MachineState initial(ctx);
  ProofSetup setup(ctx, code, initial, callee_config, options.executor.stack_frame);
  try {
    initial = entry_state(ctx, code, spec.function(), options.executor.stack_frame);
    spec.setup(setup);
    assume_layout(ctx, setup);
    // Satisfiable: searched among small values first (a model with 64-bit
    // products and quotients is slow to find anywhere else: 13 s for
    // pool_alloc's precondition), then anywhere.  A model among small values
    // is a model.
    // The witnesses' models, for the executor (keep_model_of_real_terms).
    std::vector<z3::model> witness_models;
    auto satisfiable = [&](const std::optional<z3::expr>& extra, QueryKind kind) {
      for (bool nice_first : {true, false}) {
        z3::solver once(ctx);
        for (const z3::expr& fact : setup.assumptions()) once.add(fact);
        for (const z3::expr& fact : setup.deferred()) once.add(fact);
        for (const z3::expr& fact : setup.late_deferred()) once.add(fact);
        for (const z3::expr& fact : setup.unassumed()) once.add(fact);
        for (const z3::expr& fact : setup.at_call()) once.add(fact);
        if (extra) once.add(*extra);
        if (nice_first)
          for (const z3::expr& nice : spec.nice_constraints(setup)) once.add(nice);
        const z3::check_result found = bounded_check(once, kind);
        if (found == z3::sat && kind == QueryKind::Witness) witness_models.push_back(once.get_model());
        if (found == z3::sat || !nice_first) return found;
      }
      return z3::unknown;
    };
    // Every proof names the cases its precondition must leave possible: a
    // proof without one could lose its cases to a too-strong precondition
    // and say PROVED of nothing.  A witness that holds also shows the
    // precondition satisfiable; the precondition alone is checked only to
    // say why a witness failed.
    const std::vector<NamedValue> witnesses = spec.witnesses(setup);
    if (witnesses.empty())
      throw ProofError("the spec of " + spec.proof_name() + " names no witness (FunctionSpec::witnesses)");
    for (const NamedValue& witness : witnesses) {
      auto started = std::chrono::steady_clock::now();
      const z3::check_result found = satisfiable(witness.value, QueryKind::Witness);
      if (options.executor.verbose)
        std::cout << "    " << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
                  << " s  witness: " << witness.name << std::endl;
      if (found == z3::sat) continue;
      const z3::check_result precondition = satisfiable(std::nullopt, QueryKind::Precondition);
      if (precondition != z3::sat)
        throw ProofError(precondition == z3::unknown
                             ? "the precondition of " + spec.proof_name() + " could not be shown satisfiable within its budget"
                             : "the precondition of " + spec.proof_name() + " is unsatisfiable: the proof would be vacuous");
      throw ProofError("the precondition of " + spec.proof_name() + " admits no state where " + witness.name +
                       (found == z3::unknown ? " that the solver could find within its budget" : "") +
                       ": the proof would be vacuous there");
    }

    CalleeSpecs callees(callee_config);
    // One full exploration; `extra` narrows the precondition.
    auto explore = [&](const std::vector<z3::expr>& extra, Hooks& hooks) {
      PathFacts path(ctx);
      for (const z3::expr& fact : setup.assumptions()) path.add(fact);
      for (const z3::expr& fact : extra) path.add(fact);
      Executor executor(ctx, path, code, hooks, options.executor);
      for (const z3::expr& fact : setup.layout_facts()) executor.add_layout_fact(fact);
      for (const z3::model& model : witness_models) executor.keep_model_of_real_terms(model);
      hooks.attach(executor);
      executor.run(initial);
    };
    Hooks hooks(ctx, spec, setup, callees);
    try {
      explore({}, hooks);
    } catch (const CounterexampleFound& first) {
      // A counterexample outside the nice constraints (say, a capacity no
      // mem_alloc can provide) may have a replayable sibling on another
      // path: look once more with the constraints made part of the
      // precondition, and keep the first one if there is none.
      std::optional<CounterexampleFound> best = first;
      std::vector<z3::expr> nice = spec.nice_constraints(setup);
      bool all_nice = true;
      for (const z3::expr& n : nice) all_nice = all_nice && first.model.eval(n, true).is_true();
      if (!all_nice) {
        Hooks narrowed(ctx, spec, setup, callees);
        try {
          explore(nice, narrowed);
        } catch (const CounterexampleFound& nicer) {
          best = nicer;
        } catch (const ProofError&) {
        }
      }
      outcome.status = ProofOutcome::Status::counterexample;
      outcome.paths = hooks.paths;
      outcome.message = best->obligation;
      report_counterexample(*best, spec, setup, options, out);
      return outcome;
    }
    outcome.status = ProofOutcome::Status::proved;
    outcome.paths = hooks.paths;
    outcome.obligations = hooks.obligations;
    out << "PROVED " << spec.proof_name() << ": " << outcome.paths << " paths, " << outcome.obligations
        << " end-of-path obligations, accesses checked as proofs/README.md says\n";
  } catch (const ProofError& e) {
    outcome.status = ProofOutcome::Status::error;
    outcome.message = e.what();
    out << "PROOF ERROR in " << spec.proof_name() << ": " << e.what() << "\n";
  } catch (const BudgetGuardFired& e) {
    outcome.status = ProofOutcome::Status::error;
    outcome.message = e.what();
    out << "NO VERDICT for " << spec.proof_name() << ": " << e.what() << "\n";
  } catch (const z3::exception& e) {
    outcome.status = ProofOutcome::Status::error;
    outcome.message = e.msg();
    out << "Z3 ERROR in " << spec.proof_name() << ": " << e.msg() << "\n";
  }
  return outcome;
}

}  // namespace mf::proof
