// query_cone.h - which layout facts a query carries on its first try.
//
// The layout facts (prover.cpp's assume_layout, the late regions' facts,
// and a fresh block's from the callee specs, callee_specs.cpp's
// assume_fresh) say that every region and extent lies apart from every other:
// a number of facts quadratic in the regions, which every query of every
// path carried, and which were most of each query's bit-blasting, although
// a query about a header's field or a branch on a counter needs none of
// them.  A query here keeps every other fact of its path and only the
// layout facts whose symbols all lie in its cone: the symbols of the query
// itself, closed over the path's other facts (a fact that shares a symbol
// with the cone brings its own symbols in).
//
// Leaving facts out only weakens what the solver may assume: an "unsat"
// without them is an "unsat" with them.  A "sat" counts only when its
// model, completed for the symbols it leaves free, satisfies every fact
// (Executor::completes_to_model); any other answer says nothing, and the
// executor asks again with every fact (or, for a quick attempt that ran
// out of budget, goes on to the next stage).  So a query is never answered
// sat where the full query is unsat or the reverse, and no verdict
// changes.  The cone is a function of the terms alone, so it is the same
// on every run.
#pragma once

#include <z3++.h>

#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mf::proof {

class QueryCone {
 public:
  // A fact that only places regions apart: one a query may leave out.
  void add_layout_fact(const z3::expr& fact);
  bool is_layout_fact(const z3::expr& fact) const;
  // The facts of `path` a query about `extra` keeps (see above); sets
  // `dropped` when it left any out.
  std::vector<z3::expr> keep(const z3::expr_vector& path, const z3::expr& extra, bool& dropped);

 private:
  using Symbols = std::vector<unsigned>;
  // The uninterpreted constants and functions a term names, by declaration
  // id, memoised by term (each key held, so its id is never reused).
  const Symbols& symbols(const z3::expr& e);
  static void collect(const z3::expr& e, std::unordered_set<unsigned>& seen, std::unordered_set<unsigned>& out);

  struct Entry {
    z3::expr term;  // held: while it lives, no other term can have its id
    Symbols symbols;
  };
  std::unordered_map<unsigned, Entry> memo_;
  std::unordered_map<unsigned, z3::expr> layout_;  // by term id, each term held
};

}  // namespace mf::proof
