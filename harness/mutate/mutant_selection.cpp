#include "mutant_selection.h"

#include <algorithm>

namespace mf::mutate {

namespace {

// splitmix64: a tiny generator with the same output everywhere.
std::uint64_t next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<Mutant> select_mutants(const std::vector<Mutant>& all, const Selection& selection) {
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Mutant& m = all[i];
    if (!selection.functions.empty() && selection.functions.count(m.function) == 0) continue;
    if (!selection.operators.empty() && selection.operators.count(std::string(operator_name(m.op))) == 0) continue;
    if (!selection.ids.empty() && selection.ids.count(m.id()) == 0) continue;
    kept.push_back(i);
  }
  if (selection.sample != 0 && selection.sample < kept.size()) {
    // A partial Fisher-Yates shuffle: the first `sample` places are the pick.
    std::uint64_t state = selection.seed;
    for (std::size_t i = 0; i < selection.sample; ++i) {
      const std::size_t j = i + static_cast<std::size_t>(next(state) % (kept.size() - i));
      std::swap(kept[i], kept[j]);
    }
    kept.resize(selection.sample);
    std::sort(kept.begin(), kept.end());
  }
  std::vector<Mutant> out;
  for (std::size_t i : kept) out.push_back(all[i]);
  return out;
}

}  // namespace mf::mutate
