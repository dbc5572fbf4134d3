// solver_budget.cpp
#include "solver_budget.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace mf::proof {
namespace {

// Budgets, in Z3 resource units per check (libz3 4.8.12), one per kind of
// query.  Calibrated with MF_PROOF_BUDGET_LOG over every code proof, every
// layout proof and every prover self-test: the largest amount any decided
// query of a kind needed is in the comment, and each budget is at least five
// times that.  A budget that runs out only sends a quick bit-vector query
// on to the integers, or an integer-stage query on to the bit-blaster;
// anywhere else it ends the proof with "could not decide", the same way on
// every run.  Last calibrated on 2026-12-06, when the integer stage began
// to solve each query from its text (executor.cpp, check_integers).
constexpr std::array<QueryBudget, 12> kBudgets{{
    {"branch-integers", 2'000'000},        // largest seen 280,264
    {"query-integers", 20'000'000},        // 4,323,766
    {"obligation-integers", 25'000'000},   // 4,936,051 (satisfiable: a broken variant's)
    {"bit-vector", 200'000'000},           // 5,847,512
    {"bit-vector-quick", 1'600'000},       // a first try: running out is no failure
    {"exact", 100'000'000},                // 11,608,055
    {"nice-counterexample", 60'000'000},   // 6,213,951
    {"nice-attempt", 30'000'000},          // 6,132,892
    {"nice-model", 100'000'000},           // 2,843,389
    {"precondition", 100'000'000},         // 7,519,807
    {"witness", 50'000'000},               // 1,251,686
    {"layout-claim", 200'000'000},         // 8,961,512
}};

struct Usage {
  unsigned calls = 0;
  std::uint64_t units = 0;
  std::uint64_t largest = 0;
  unsigned exhausted = 0;
};
std::array<Usage, kBudgets.size()> usage;

double rlimit_count(const z3::solver& solver) {
  z3::stats stats = solver.statistics();
  for (unsigned i = 0; i < stats.size(); ++i)
    if (stats.key(i) == "rlimit count") return stats.is_uint(i) ? stats.uint_value(i) : stats.double_value(i);
  return 0;
}

}  // namespace

const QueryBudget& budget_of(QueryKind kind) { return kBudgets.at(static_cast<std::size_t>(kind)); }

z3::check_result bounded_check(z3::solver& solver, QueryKind kind) {
  const QueryBudget& budget = budget_of(kind);
  z3::context& ctx = solver.ctx();
  z3::params params(ctx);
  // rlimit is counted from where the context stands when the check starts.
  params.set("rlimit", budget.rlimit);
  params.set("timeout", kWallClockGuardMs);
  solver.set(params);
  double before = rlimit_count(solver);
  auto started = std::chrono::steady_clock::now();
  z3::check_result result = solver.check();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto used = static_cast<std::uint64_t>(rlimit_count(solver) - before);
  std::string reason = result == z3::unknown ? solver.reason_unknown() : "";
  Usage& u = usage.at(static_cast<std::size_t>(kind));
  ++u.calls;
  u.units += used;
  if (used > u.largest) u.largest = used;
  // Z3 reports a spent budget as "max. resource limit exceeded" or, from
  // some tactics, as "canceled"; only the elapsed time tells the guard apart.
  bool guard_fired = result == z3::unknown && seconds * 1000 >= kWallClockGuardMs * 0.99;
  if (result == z3::unknown && !guard_fired) ++u.exhausted;
  if (const char* log = std::getenv("MF_PROOF_BUDGET_LOG")) {
    if (std::FILE* f = std::fopen(log, "a")) {
      std::fprintf(f, "%s %llu %llu %s %.3f %s\n", budget.name, static_cast<unsigned long long>(used),
                   static_cast<unsigned long long>(budget.rlimit),
                   result == z3::sat ? "sat" : result == z3::unsat ? "unsat" : "unknown", seconds, reason.c_str());
      std::fclose(f);
    }
  }
  if (guard_fired)
    throw BudgetGuardFired(std::string("the wall-clock guard (") + std::to_string(kWallClockGuardMs / 1000) +
                           " s) stopped a " + budget.name + " query after " + std::to_string(used) +
                           " of its " + std::to_string(budget.rlimit) +
                           " resource units: the machine is overloaded, this is not a verdict");
  return result;
}

std::string budget_usage() {
  std::ostringstream out;
  bool first = true;
  for (std::size_t i = 0; i < kBudgets.size(); ++i) {
    if (!usage[i].calls) continue;
    out << (first ? "" : ", ") << kBudgets[i].name << " " << usage[i].calls << " queries " << usage[i].units
        << " units (largest " << usage[i].largest << ", " << usage[i].exhausted << " out of budget)";
    first = false;
  }
  return first ? "no solver queries" : out.str();
}

}  // namespace mf::proof
