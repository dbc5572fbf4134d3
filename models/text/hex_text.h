// hex_text.h - "0x1a2b": how every part of the project prints an address or
// a value in hex (the model's outcomes, the runner's reports and state
// dumps, the simulated OS, the trace writer, the prover).  One definition,
// so that the same value reads the same everywhere.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace mf {

inline std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace mf
