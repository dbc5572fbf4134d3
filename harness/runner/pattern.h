// pattern.h - the integrity pattern the runner writes into every live block.
//
// Each block gets a seed from the op that created it, and byte i of the block
// is byte (i % 8) of pattern_word(seed, i / 8).  Neighbouring blocks thus hold
// different, position-dependent bytes, so a write that strays out of one
// block (a bad zero-fill, a free-list link stored in the wrong place, an
// overlap) shows up as a wrong byte in another.
//
// Blocks of more than kWholeLimit bytes get the pattern only in their first
// and last kEdgeBytes: a stray write lands at an edge, and filling a 1 GiB
// block on every op would make the runner useless.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>

namespace mf::runner {

inline constexpr std::uint64_t kWholeLimit = 64 * 1024;
inline constexpr std::uint64_t kEdgeBytes = 4096;

inline std::uint64_t pattern_seed(std::size_t op_index, std::uint64_t salt) {
  std::uint64_t z = (static_cast<std::uint64_t>(op_index) + 1) * 0x9E3779B97F4A7C15ull ^ salt;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline std::uint64_t pattern_word(std::uint64_t seed, std::uint64_t k) {
  return (seed + k * 0xD6E8FEB86659FD93ull) ^ (k << 40);
}

inline std::uint8_t pattern_byte(std::uint64_t seed, std::uint64_t i) {
  return static_cast<std::uint8_t>(pattern_word(seed, i / 8) >> (8 * (i % 8)));
}

// The byte ranges of a block of `size` bytes that carry the pattern.
struct PatternRanges {
  std::uint64_t head_end;    // [0, head_end)
  std::uint64_t tail_begin;  // [tail_begin, size); empty when tail_begin == size
};
inline PatternRanges pattern_ranges(std::uint64_t size) {
  if (size <= kWholeLimit) return {size, size};
  return {kEdgeBytes, size - kEdgeBytes};
}

inline void fill_range(std::uint8_t* block, std::uint64_t from, std::uint64_t to, std::uint64_t seed) {
  std::uint64_t i = from;
  for (; i < to && i % 8 != 0; ++i) block[i] = pattern_byte(seed, i);
  for (; i + 8 <= to; i += 8) {
    const std::uint64_t w = pattern_word(seed, i / 8);
    std::memcpy(block + i, &w, 8);
  }
  for (; i < to; ++i) block[i] = pattern_byte(seed, i);
}

// The first offset in [from, to) whose byte is not the pattern's.
inline std::optional<std::uint64_t> check_range(const std::uint8_t* block, std::uint64_t from, std::uint64_t to,
                                                std::uint64_t seed) {
  std::uint64_t i = from;
  for (; i < to && i % 8 != 0; ++i) {
    if (block[i] != pattern_byte(seed, i)) return i;
  }
  // 64 bytes at a time without a branch per word (independent words, which
  // the compiler can overlap or vectorise): this runs after every op over
  // every neighbouring block, up to 64 KiB each.
  for (; i + 64 <= to; i += 64) {
    std::uint64_t differs = 0;
    for (std::uint64_t j = 0; j < 8; ++j) {
      std::uint64_t have;
      std::memcpy(&have, block + i + 8 * j, 8);
      differs |= have ^ pattern_word(seed, i / 8 + j);
    }
    if (differs != 0) break;  // find the exact byte below
  }
  for (; i + 8 <= to; i += 8) {
    std::uint64_t have;
    std::memcpy(&have, block + i, 8);
    if (have != pattern_word(seed, i / 8)) break;  // find the exact byte below
  }
  for (; i < to; ++i) {
    if (block[i] != pattern_byte(seed, i)) return i;
  }
  return std::nullopt;
}

inline void fill_pattern(std::uint8_t* block, std::uint64_t size, std::uint64_t seed) {
  const PatternRanges r = pattern_ranges(size);
  fill_range(block, 0, r.head_end, seed);
  fill_range(block, r.tail_begin, size, seed);
}

inline std::optional<std::uint64_t> check_pattern(const std::uint8_t* block, std::uint64_t size, std::uint64_t seed) {
  const PatternRanges r = pattern_ranges(size);
  if (auto bad = check_range(block, 0, r.head_end, seed)) return bad;
  return check_range(block, r.tail_begin, size, seed);
}

}  // namespace mf::runner
