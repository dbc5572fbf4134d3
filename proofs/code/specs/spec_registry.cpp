// spec_registry.cpp
#include "spec_registry.h"

namespace mf::proof {

std::vector<std::string> spec_names() {
  return {"arena_create", "arena_alloc", "arena_reset", "arena_get_usage", "arena_get_capacity",
          "pool_create",  "pool_alloc",  "pool_free",   "mem_alloc", "new_slab"};
}

std::unique_ptr<FunctionSpec> make_spec(const std::string& name) {
  if (auto spec = make_arena_spec(name)) return spec;
  if (auto spec = make_pool_spec(name)) return spec;
  return make_alloc_spec(name);
}

}  // namespace mf::proof
