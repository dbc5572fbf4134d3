// trace_text.h - pieces of the harness's text trace syntax (docs/traces.md):
// numbers in decimal, pointers relative to a handle.
#pragma once

#include <cstdint>
#include <string>

namespace mf::proof {

inline std::string dec(std::uint64_t v) { return std::to_string(v); }

// "<handle>.start+<offset>" (or "-<offset>" when the offset is "negative").
inline std::string start_relative(const std::string& handle, std::uint64_t offset) {
  if (offset > (1ULL << 63)) return handle + ".start-" + dec(0 - offset);
  return handle + ".start+" + dec(offset);
}

}  // namespace mf::proof
