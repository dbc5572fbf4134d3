// spec_registry.h - every code proof by name: "arena_alloc", "pool_free", ...
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "function_spec.h"

namespace mf::proof {

std::vector<std::string> spec_names();
// nullptr for an unknown name.
std::unique_ptr<FunctionSpec> make_spec(const std::string& name);

// Per-file factories (specs/<file>_specs.cpp).
std::unique_ptr<FunctionSpec> make_arena_spec(const std::string& name);
std::unique_ptr<FunctionSpec> make_pool_spec(const std::string& name);
std::unique_ptr<FunctionSpec> make_alloc_spec(const std::string& name);
std::unique_ptr<FunctionSpec> make_builtins_spec(const std::string& name);
std::unique_ptr<FunctionSpec> make_free_spec(const std::string& name);

}  // namespace mf::proof
