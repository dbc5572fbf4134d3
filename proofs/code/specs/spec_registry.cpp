// spec_registry.cpp
#include "spec_registry.h"

#include "code_proofs.h"

namespace mf::proof {

std::vector<std::string> spec_names() { return {MF_CODE_PROOF_NAMES}; }  // specs/code_proofs.list

std::unique_ptr<FunctionSpec> make_spec(const std::string& name) {
  if (auto spec = make_arena_spec(name)) return spec;
  if (auto spec = make_pool_spec(name)) return spec;
  if (auto spec = make_builtins_spec(name)) return spec;
  if (auto spec = make_free_spec(name)) return spec;
  return make_alloc_spec(name);
}

}  // namespace mf::proof
