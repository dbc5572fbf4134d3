// defined_symbols.cpp
#include "defined_symbols.h"

namespace mf::proof {
namespace {

bool is_free_constant(const z3::expr& e) {
  return e.is_app() && e.num_args() == 0 && e.decl().decl_kind() == Z3_OP_UNINTERPRETED;
}

}  // namespace

std::vector<Definition> definitions_in(const z3::expr_vector& facts) {
  std::vector<Definition> found;
  for (unsigned i = 0; i < facts.size(); ++i) {
    const z3::expr fact = facts[i];
    if (!fact.is_app() || fact.decl().decl_kind() != Z3_OP_EQ || fact.num_args() != 2) continue;
    for (unsigned side = 0; side < 2; ++side) {
      if (!is_free_constant(fact.arg(side))) continue;
      found.push_back({fact.arg(side).decl(), fact.arg(1 - side)});
      break;
    }
  }
  return found;
}

std::optional<z3::model> with_definitions(const z3::model& model, const std::vector<Definition>& definitions) {
  std::optional<z3::model> completed;
  for (const Definition& d : definitions) {
    const z3::model& current = completed ? *completed : model;
    if (current.has_interp(d.symbol)) continue;
    z3::expr value = current.eval(d.value, true);
    if (!value.is_numeral() && !value.is_true() && !value.is_false()) continue;
    if (!completed) {
      z3::model source = model;  // the same model: translate() takes it by reference
      completed.emplace(source, source.ctx(), z3::model::translate());
    }
    z3::func_decl symbol = d.symbol;
    completed->add_const_interp(symbol, value);
  }
  return completed;
}

}  // namespace mf::proof
