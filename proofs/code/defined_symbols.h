// defined_symbols.h - completes a model with the values a path's facts
// define for symbols the model leaves free.
//
// A callee spec names its answer with a fresh symbol and a fact of the
// path that defines it (page_map_find's `found#n == (rdx != 0 &&
// page_map_holds(rdx))`).  A witness's model, found before exploring,
// knows nothing of that symbol, so model completion gives it a default
// (false, 0) that contradicts its definition, and the witness's model
// satisfies no query of the path beyond the call: every such query went
// to the bit-blaster, although the witness exhibits it.  Assigning each
// free symbol the value its definition takes under the model repairs
// exactly that.  The completed model is still only a candidate: the
// executor keeps it only if every fact of the path and the query evaluate
// to true under it, so a model built here never answers a query the
// solver would have answered otherwise.
#pragma once

#include <z3++.h>

#include <optional>
#include <utility>
#include <vector>

namespace mf::proof {

// A fact `c == e` (either way round) where c is an uninterpreted constant.
struct Definition {
  z3::func_decl symbol;
  z3::expr value;
};

// The definitions among `facts`, in their order.
std::vector<Definition> definitions_in(const z3::expr_vector& facts);

// `model` with every defined symbol it leaves free assigned the value of
// its definition, in order (a definition may use an earlier one); nullopt
// when no definition adds anything.
std::optional<z3::model> with_definitions(const z3::model& model, const std::vector<Definition>& definitions);

}  // namespace mf::proof
