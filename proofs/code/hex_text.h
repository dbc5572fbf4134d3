// hex_text.h - "0x1a2b": how the prover prints addresses and values.
#pragma once

#include <cstdint>
#include <sstream>
#include <string>

namespace mf::proof {

inline std::string hex(std::uint64_t v) {
  std::ostringstream out;
  out << "0x" << std::hex << v;
  return out.str();
}

}  // namespace mf::proof
