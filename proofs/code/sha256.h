// sha256.h - SHA-256 (FIPS 180-4), to name exactly which bytes a proof was
// about: the proof report prints the digest of the function's code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mf::proof {

// The digest of `bytes`, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace mf::proof
