// solver_budget.h - every solver query of the proofs runs under a fixed
// amount of Z3's deterministic effort, so a verdict never depends on how
// busy the machine is.
//
// A wall-clock timeout gives up after some seconds, and how much solving
// fits in those seconds depends on the machine and on its load: the same
// proof then says PROVED on one run and "could not decide" on the next.
// Z3's resource limit (`rlimit`) counts the solver's own steps instead, so a
// query that is decided within its budget is decided on every run and every
// machine with the same libz3, and one that is not gives up at the same
// point every time.  Each kind of query has its budget here, in one table.
//
// A wall-clock guard stays as a last defence against a solver that hangs; it
// is set far above the time any budgeted query takes, and when it fires the
// query throws BudgetGuardFired instead of returning `unknown`: a guard that
// fired says the machine was overwhelmed, which is never a verdict.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace mf::proof {

enum class QueryKind {
  BranchIntegers,      // may this branch go this way? (integer stage; unknown explores it)
  QueryIntegers,       // the integer stage of an access or an obligation
  ObligationIntegers,  // a path end's obligations over the integers
  BitVector,           // the bit-blasting stage, products and quotients abstracted
  BitVectorQuick,      // the same, first and briefly: most queries end there
  Exact,               // the real terms, products and quotients included
  NiceCounterexample,  // a counterexample among small, replayable values
  NiceAttempt,         // one step of minimising a counterexample
  NiceModel,           // the minimised counterexample itself
  Precondition,        // a proof's precondition is satisfiable
  Witness,             // a proof's precondition admits a named state
  LayoutClaim,         // one layout proof over all 64-bit inputs
};

struct QueryBudget {
  const char* name;
  unsigned rlimit;  // Z3 resource units for one check (Z3 takes 32 bits)
};

const QueryBudget& budget_of(QueryKind kind);

// The wall-clock guard, in milliseconds, for every query.
constexpr unsigned kWallClockGuardMs = 300000;

class BudgetGuardFired : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Checks `solver` under the budget of `kind`.  Returns unknown when the
// budget ran out (deterministic), throws BudgetGuardFired when the
// wall-clock guard did (not a verdict).  When the environment variable
// MF_PROOF_BUDGET_LOG names a file, appends one line per query: kind, units
// used, budget, result and seconds (how the budgets were calibrated).
z3::check_result bounded_check(z3::solver& solver, QueryKind kind);

// Units each kind has used so far in this process, for the statistics line.
std::string budget_usage();

}  // namespace mf::proof
