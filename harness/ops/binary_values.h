// binary_values.h - the value tables of binary format v1, shared by its
// decoder and encoder.  Changing any entry changes what existing binary
// corpora mean: add a new format version instead.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

#include "os_rules.h"

namespace mf::ops::binary_v1 {

inline constexpr std::uint64_t kMax = ~std::uint64_t{0};
inline constexpr std::uint64_t kTop = std::uint64_t{1} << 63;
inline constexpr std::uint64_t kUserEnd = std::uint64_t{1} << 47;

// Sizes where the contract changes behaviour: rounding edges, size-class
// edges, the slab and large thresholds, the request limit, and the overflow
// edges of every header computation.
inline constexpr std::array<std::uint64_t, 64> kBoundarySizes = {
    0,           1,           7,           8,           9,           15,          16,          17,
    31,          32,          33,          47,          48,          49,          63,          64,
    65,          127,         128,         255,         256,         511,         512,         1023,
    1024,        1025,        1026,        2047,        2048,        2049,        4095,        4096,
    4097,        8191,        8192,        8193,        16384,       65535,       65536,       65537,
    1u << 20,    (1u << 20) + 1,          std::uint64_t{1} << 30,  (std::uint64_t{1} << 30) + 1,
    std::uint64_t{1} << 32,  std::uint64_t{1} << 40,  (std::uint64_t{1} << 40) + 1,     kUserEnd,
    kTop - 1,    kTop,        kTop + 1,    kMax - 48,   kMax - 47,   kMax - 33,   kMax - 32,   kMax - 31,
    kMax - 16,   kMax - 9,    kMax - 8,    kMax - 7,    kMax - 6,    kMax - 1,    kMax,        0x60,
};

// Addresses every check rejects whatever the access width: at or beyond the
// end of user space (exit 111).  Null-page addresses (exit 110) have their own
// form.
inline constexpr std::array<std::uint64_t, 16> kHighZone = {
    kUserEnd,     kUserEnd + 1, kUserEnd + 7, kUserEnd + 4096, std::uint64_t{1} << 48, kTop - 1,
    kTop,         kTop + 1,     kMax,         kMax - 1,        kMax - 6,                kMax - 7,
    kMax - 15,    kMax - 4095,  0xFFFF800000000000ull,          0x0000FFFFFFFFFFFFull,
};

// Opcode bytes below this select a SUT op; the rest select a control op, so
// that random bytes call the SUT about 94% of the time.
inline constexpr std::uint8_t kControlOpcodeBase = 0xF0;

// Size encoding, by the first byte b:
//   0x00..0x7F  b itself
//   0x80..0xBF  kBoundarySizes[b - 0x80]
//   0xC0..0xDF  ((b & 0x1F) << 8) | next byte            (0 .. 8191)
//   0xE0..0xEF  ((b & 0x0F) << 16) | next 2 bytes, LE    (0 .. 2^20 - 1)
//   0xF0..0xFF  next 8 bytes, little-endian
inline constexpr std::uint8_t kSizeTable = 0x80;
inline constexpr std::uint8_t kSize13 = 0xC0;
inline constexpr std::uint8_t kSize20 = 0xE0;
inline constexpr std::uint8_t kSize64 = 0xF0;

// Pointer selector byte s, by range, so that most random pointers are
// meaningful and some are deliberately bad:
//   below kRelativeBase   inside: an address inside live memory (75%)
//   kRelativeBase..       relative: handle, size; bit 0 of s: minus, bit 1: .start
//   kNullZoneBase..       null page: abs ((s & 0x0F) << 8 | next byte)
//   kHighZoneBase..       high zone: abs kHighZone[next byte % 16]
inline constexpr std::uint8_t kRelativeBase = 0xC0;
inline constexpr std::uint8_t kRelativeNegative = 0x01;
inline constexpr std::uint8_t kRelativeStart = 0x02;
inline constexpr std::uint8_t kNullZoneBase = 0xE0;
inline constexpr std::uint8_t kHighZoneBase = 0xF0;

// mem_free's size selector: below this, the size of the block operand;
// from it up, an explicit size follows.
inline constexpr std::uint8_t kExplicitSize = 0xC0;

inline constexpr std::uint8_t kNullHandleByte = 0xFF;  // arena / pool operand: null

// memory_limit's operand: one byte b, the limit 2^(kLimitLowestShift + b mod
// kLimitShifts): 4 KiB (every mapping refused) to model::kMaxMemoryLimit
// (1 GiB, the most a trace may allow), so that every byte sets a limit that
// means something.  The top follows kMaxMemoryLimit, so changing that
// changes what these bytes mean, as changing any entry here would.
static_assert(std::has_single_bit(model::kMaxMemoryLimit));
inline constexpr unsigned kLimitLowestShift = 12;
inline constexpr unsigned kLimitShifts =
    static_cast<unsigned>(std::countr_zero(model::kMaxMemoryLimit)) - kLimitLowestShift + 1;

}  // namespace mf::ops::binary_v1
