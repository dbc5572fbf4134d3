// checked_math.h - the spec's rounding and overflow rules on unsigned 64-bit
// values, each returning nullopt exactly when the spec says "overflows".
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

namespace mf::model {

inline constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();

inline std::optional<std::uint64_t> checked_add(std::uint64_t a, std::uint64_t b) {
  if (a > kU64Max - b) return std::nullopt;
  return a + b;
}

inline std::optional<std::uint64_t> checked_mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > kU64Max / a) return std::nullopt;
  return a * b;
}

// The least multiple of `unit` (a power of two) that is >= n; nullopt when
// that multiple is >= 2^64.
inline std::optional<std::uint64_t> round_up(std::uint64_t n, std::uint64_t unit) {
  std::optional<std::uint64_t> bumped = checked_add(n, unit - 1);
  if (!bumped) return std::nullopt;
  return *bumped / unit * unit;
}

// ceil(n / d) without overflow.
inline std::uint64_t ceil_div(std::uint64_t n, std::uint64_t d) {
  return n / d + (n % d != 0 ? 1 : 0);
}

}  // namespace mf::model
