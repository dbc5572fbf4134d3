// query_cone.cpp
#include "query_cone.h"

#include <algorithm>

namespace mf::proof {
namespace {

unsigned id_of(const z3::expr& e) { return Z3_get_ast_id(e.ctx(), e); }

}  // namespace

void QueryCone::add_layout_fact(const z3::expr& fact) { layout_.insert_or_assign(id_of(fact), fact); }

bool QueryCone::is_layout_fact(const z3::expr& fact) const {
  auto hit = layout_.find(id_of(fact));
  return hit != layout_.end() && z3::eq(hit->second, fact);
}

void QueryCone::collect(const z3::expr& e, std::unordered_set<unsigned>& seen, std::unordered_set<unsigned>& out) {
  if (!seen.insert(id_of(e)).second) return;
  if (!e.is_app()) return;  // quantifiers and bound variables: none in these queries
  z3::func_decl d = e.decl();
  if (d.decl_kind() == Z3_OP_UNINTERPRETED) out.insert(Z3_get_func_decl_id(e.ctx(), d));
  for (unsigned i = 0; i < e.num_args(); ++i) collect(e.arg(i), seen, out);
}

const QueryCone::Symbols& QueryCone::symbols(const z3::expr& e) {
  auto hit = memo_.find(id_of(e));
  if (hit != memo_.end() && z3::eq(hit->second.term, e)) return hit->second.symbols;
  std::unordered_set<unsigned> seen, found;
  collect(e, seen, found);
  Symbols sorted(found.begin(), found.end());
  std::sort(sorted.begin(), sorted.end());
  return memo_.insert_or_assign(id_of(e), Entry{e, sorted}).first->second.symbols;
}

std::vector<z3::expr> QueryCone::keep(const z3::expr_vector& path, const z3::expr& extra, bool& dropped) {
  std::unordered_set<unsigned> cone;
  auto in_cone = [&](const Symbols& s) {
    return std::any_of(s.begin(), s.end(), [&](unsigned d) { return cone.count(d) > 0; });
  };
  const Symbols& own = symbols(extra);
  cone.insert(own.begin(), own.end());
  // Closed over the other facts: one pass per fact that joins at most.
  std::vector<bool> joined(path.size(), false);
  for (bool grew = true; grew;) {
    grew = false;
    for (unsigned i = 0; i < path.size(); ++i) {
      if (joined[i] || is_layout_fact(path[i])) continue;
      const Symbols& s = symbols(path[i]);
      if (!in_cone(s)) continue;
      joined[i] = true;
      cone.insert(s.begin(), s.end());
      grew = true;
    }
  }
  std::vector<z3::expr> kept;
  dropped = false;
  for (unsigned i = 0; i < path.size(); ++i) {
    if (!is_layout_fact(path[i])) {
      kept.push_back(path[i]);
      continue;
    }
    const Symbols& s = symbols(path[i]);
    if (std::all_of(s.begin(), s.end(), [&](unsigned d) { return cone.count(d) > 0; })) kept.push_back(path[i]);
    else dropped = true;
  }
  return kept;
}

}  // namespace mf::proof
