// layout_proof_main.cpp - mf_layout_proof <group>: proves one group of
// layout properties (see layout_proof.h); exit 0 when all hold.
#include <iostream>
#include <map>
#include <string>

#include "layout_proof.h"

int main(int argc, char** argv) {
  using namespace mf::proof::layout_proofs;
  const std::map<std::string, void (*)(Prover&)> groups = {
      {"rounding", prove_rounding},         {"arena_bounds", prove_arena_bounds}, {"pool_slots", prove_pool_slots},
      {"slot_lemmas", prove_slot_lemmas},   {"slab_layout", prove_slab_layout},   {"size_classes", prove_size_classes},
      {"total_sizes", prove_total_sizes},   {"page_map", prove_page_map}};
  if (argc != 2 || !groups.count(argv[1])) {
    std::cerr << "usage: mf_layout_proof <group>\ngroups:";
    for (const auto& [name, fn] : groups) std::cerr << " " << name;
    std::cerr << "\n";
    return 2;
  }
  z3::context ctx;
  Prover prover(ctx);
  groups.at(argv[1])(prover);
  return prover.all_proved() ? 0 : 1;
}
