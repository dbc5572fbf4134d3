// layout_proof.cpp
#include "layout_proof.h"

#include <chrono>
#include <iostream>

#include "solver_budget.h"

namespace mf::proof::layout_proofs {

void Prover::prove(const std::string& name, const std::vector<z3::expr>& hypotheses, const z3::expr& claim,
                   std::vector<z3::expr> shown) {
  auto started = std::chrono::steady_clock::now();
  z3::solver solver(ctx_);
  for (const z3::expr& h : hypotheses) solver.add(h);
  bool vacuous = bounded_check(solver, QueryKind::LayoutClaim) != z3::sat;
  z3::check_result result = z3::unsat;
  if (!vacuous) {
    solver.add(!claim);
    result = bounded_check(solver, QueryKind::LayoutClaim);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!vacuous && result == z3::unsat) {
    std::cout << "PROVED   " << name << "  (" << seconds << " s)" << std::endl;
    return;
  }
  ++failures_;
  if (vacuous) {
    std::cout << "FAILED   " << name << ": the hypotheses are unsatisfiable (the claim would hold vacuously)\n";
    return;
  }
  if (result == z3::unknown) {
    std::cout << "FAILED   " << name << ": the solver gave up (" << solver.reason_unknown() << ")\n";
    return;
  }
  std::cout << "FAILED   " << name << "  (" << seconds << " s); counterexample:\n";
  z3::model model = solver.get_model();
  if (shown.empty())
    for (unsigned i = 0; i < model.size(); ++i) shown.push_back(model[i]());
  for (const z3::expr& e : shown) std::cout << "    " << e << " = " << model.eval(e, true) << "\n";
}

void Prover::prove_each(const std::string& name, std::uint64_t count,
                        const std::function<z3::expr(std::uint64_t, std::vector<z3::expr>&)>& instance) {
  auto started = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < count; ++i) {
    std::vector<z3::expr> hypotheses;
    z3::expr claim = instance(i, hypotheses);
    z3::solver solver(ctx_);
    for (const z3::expr& h : hypotheses) solver.add(h);
    if (bounded_check(solver, QueryKind::LayoutClaim) != z3::sat) {
      ++failures_;
      std::cout << "FAILED   " << name << ": instance " << i << " has unsatisfiable hypotheses" << std::endl;
      return;
    }
    solver.add(!claim);
    z3::check_result result = bounded_check(solver, QueryKind::LayoutClaim);
    if (result != z3::unsat) {
      ++failures_;
      std::cout << "FAILED   " << name << ": instance " << i
                << (result == z3::unknown ? " (solver gave up)" : "; counterexample:") << std::endl;
      if (result == z3::sat) {
        z3::model model = solver.get_model();
        for (unsigned k = 0; k < model.size(); ++k)
          std::cout << "    " << model[k].name() << " = " << model.get_const_interp(model[k]) << std::endl;
      }
      return;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "PROVED   " << name << "  (" << count << " instances, " << seconds << " s)" << std::endl;
}

z3::expr in_u64(const z3::expr& x) { return x >= 0 && x < two_to(x.ctx(), 64); }

z3::expr two_to(z3::context& ctx, unsigned exponent) {
  std::string digits = "1";
  for (unsigned i = 0; i < exponent; ++i) {  // decimal doubling, exact for any exponent
    int carry = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
      int d = (*it - '0') * 2 + carry;
      *it = static_cast<char>('0' + d % 10);
      carry = d / 10;
    }
    if (carry) digits.insert(digits.begin(), static_cast<char>('0' + carry));
  }
  return ctx.int_val(digits.c_str());
}

z3::expr int_of(z3::context& ctx, std::uint64_t value) { return ctx.int_val(std::to_string(value).c_str()); }

}  // namespace mf::proof::layout_proofs
