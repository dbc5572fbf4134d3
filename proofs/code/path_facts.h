// path_facts.h - the facts of the path being explored, in scopes.
//
// The executor asks every question on a solver made for it (executor.cpp
// says why: a solver that has never seen push or pop preprocesses the query
// as a whole, far faster here than the incremental core), so the path's
// facts need only be kept, in the order they were assumed, and dropped a
// scope at a time when exploration comes back from a branch.  A z3::solver
// used as that store did work nobody read: every add ran its incremental
// core's rewriting and every push internalised the formulas so far (perf
// over mem_free: Z3_solver_assert, push and pop about a tenth of the CPU).
// The facts, and so every query, are the same terms in the same order.
#pragma once

#include <z3++.h>

#include <vector>

namespace mf::proof {

class PathFacts {
 public:
  explicit PathFacts(z3::context& ctx) : facts_(ctx) {}

  void add(const z3::expr& fact) { facts_.push_back(fact); }
  // A scope: pop() drops every fact added since the matching push().
  void push() { scopes_.push_back(facts_.size()); }
  void pop() {
    facts_.resize(scopes_.back());
    scopes_.pop_back();
  }
  // Every fact of the path, oldest first.
  const z3::expr_vector& assertions() const { return facts_; }

 private:
  z3::expr_vector facts_;
  std::vector<unsigned> scopes_;  // the number of facts at each open push()
};

}  // namespace mf::proof
