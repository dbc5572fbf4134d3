// binary_format.h - the fuzzer's form of a trace, version 1 (byte layout:
// docs/traces.md).  Every byte string decodes to a valid op list of the given
// target: operands that name handles are taken modulo the handles alive at
// that point, sizes come from a mix of small and boundary values, and
// addresses either lie inside live memory or in the zones the checks reject,
// so that a decoded trace never makes the SUT touch unmapped memory on
// purpose.  The format has no header; its version is the corpus directory's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "op.h"

namespace mf::ops {

inline constexpr std::size_t kMaxDecodedOps = std::size_t{1} << 20;

struct BinaryDecodeResult {
  Trace trace;
  std::size_t trailing_bytes = 0;  // bytes of an incomplete last op, ignored
};

// left_out: SUT ops the decoder never produces (those the SUT does not
// implement, runner::ops_not_implemented); an op byte then picks among the
// target's other SUT ops.  Decoding the same bytes for the same SUT always
// gives the same trace, so a fuzzer's input replays as it ran.
BinaryDecodeResult decode_binary(std::span<const std::uint8_t> bytes, Target target,
                                 std::span<const OpCode> left_out = {});

// The bytes that decode back to these ops (expectations are dropped: the
// binary form has none), or nullopt when some operand has no binary form:
// an os_fail count above 8, a memory limit that is no power of two from
// 4 KiB to 1 GiB, an absolute address outside the check-failing
// zones the format can name, a handle that is not alive at that point, or an
// op outside the target.
std::optional<std::vector<std::uint8_t>> encode_binary(const Trace& trace);

}  // namespace mf::ops
