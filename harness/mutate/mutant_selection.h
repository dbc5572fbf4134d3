// mutant_selection.h - which of the generated mutants a campaign checks:
// filters by function and operator, explicit ids, and a deterministic
// sample (the same --sample N --seed S picks the same mutants on every
// machine: the generator is spelled out here, not left to the standard
// library's distributions, whose results differ between implementations).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "asm_mutants.h"

namespace mf::mutate {

struct Selection {
  std::set<std::string> functions;  // empty: every function (and lines outside functions)
  std::set<std::string> operators;  // empty: every operator
  std::set<std::string> ids;        // empty: every id
  std::size_t sample = 0;           // 0: all that pass the filters
  std::uint64_t seed = 1;
};

// The mutants that pass the filters, then `sample` of them chosen by the
// seed, in their original order.
std::vector<Mutant> select_mutants(const std::vector<Mutant>& all, const Selection& selection);

}  // namespace mf::mutate
