#include <algorithm>
#include <optional>
#include <vector>

#include "binary_format.h"
#include "binary_values.h"
#include "static_handles.h"

namespace mf::ops {

namespace {

using namespace binary_v1;

// Reads bytes; running out sets `exhausted`, which drops the op being decoded.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  std::uint8_t byte() {
    if (pos_ >= bytes_.size()) {
      exhausted_ = true;
      return 0;
    }
    return bytes_[pos_++];
  }
  std::uint64_t little_endian(unsigned count) {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < count; ++i) v |= static_cast<std::uint64_t>(byte()) << (8 * i);
    return v;
  }
  bool at_end() const { return pos_ >= bytes_.size(); }
  bool exhausted() const { return exhausted_; }
  std::size_t pos() const { return pos_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  bool exhausted_ = false;
};

std::uint64_t read_size(ByteReader& in) {
  const std::uint8_t b = in.byte();
  if (b < kSizeTable) return b;
  if (b < kSize13) return kBoundarySizes[b - kSizeTable];
  if (b < kSize20) return (static_cast<std::uint64_t>(b & 0x1Fu) << 8) | in.byte();
  if (b < kSize64) return (static_cast<std::uint64_t>(b & 0x0Fu) << 16) | in.little_endian(2);
  return in.little_endian(8);
}

class OpDecoder {
 public:
  OpDecoder(ByteReader& in, const StaticHandles& handles, Target target, std::span<const OpCode> sut_ops)
      : in_(in), handles_(handles), target_(target), sut_(sut_ops) {}

  Op decode() {
    const std::uint8_t opcode = in_.byte();
    std::span<const OpCode> control = control_ops_of(target_);
    Op op;
    op.code = opcode < kControlOpcodeBase && !sut_.empty() ? sut_[opcode % sut_.size()]
                                                           : control[(opcode - kControlOpcodeBase) % control.size()];
    decode_args(op);
    if (needs_creation_) {
      // Creations take no handle operand, so this cannot recur.
      op = Op{};
      op.code = *needs_creation_;
      needs_creation_.reset();
      decode_args(op);
    }
    return op;
  }

 private:
  // Stops at the operand that found no live handle, before reading more.
  void decode_args(Op& op) {
    const OpInfo& op_info = op.info();
    for (std::size_t i = 0; i < op_info.arity && !needs_creation_; ++i) op.args[i] = decode_arg(op_info.args[i], op, i);
  }

  // When an operand needs a live handle of some kind and there is none, the
  // op becomes the creation of one (so random bytes do not keep ending runs
  // with a NULL operand; null stays reachable through its own byte).  Not an
  // exception: this happens on most inputs, and unwinding would cost more
  // than running the op.
  PtrExpr needs(OpCode creation) {
    needs_creation_ = creation;
    return PtrExpr::null();
  }

  Arg decode_arg(ArgKind kind, const Op& op, std::size_t position) {
    switch (kind) {
      case ArgKind::size:
      case ArgKind::value:
      case ArgKind::time:
        return num(read_size(in_));
      case ArgKind::count:
        return num(1 + in_.byte() % 8);
      case ArgKind::limit:
        return num(std::uint64_t{1} << (kLimitLowestShift + in_.byte() % kLimitShifts));
      case ArgKind::os_call:
        return num(in_.byte() & 1);
      case ArgKind::arena:
        return ptr(handle_operand(HandleKind::arena, OpCode::arena_create));
      case ArgKind::pool:
        return ptr(handle_operand(HandleKind::pool, OpCode::pool_create));
      case ArgKind::ptr:
      case ArgKind::obj:
      case ArgKind::freed_obj:
      case ArgKind::link_value:
      case ArgKind::freed_block:
      case ArgKind::block:
      case ArgKind::block_link:
        return ptr(pointer(kind, op));
      case ArgKind::block_size: {
        if (in_.byte() >= kExplicitSize) return num(read_size(in_));
        return num(related_block_size(op, position));
      }
    }
    return {};
  }

  PtrExpr handle_operand(HandleKind kind, OpCode creation) {
    const std::uint8_t b = in_.byte();
    if (b == kNullHandleByte) return PtrExpr::null();
    const std::size_t live = handles_.live_count(kind);
    if (live == 0) return needs(creation);
    return PtrExpr::handle(kind, handles_.live_at(kind, b % live));
  }

  // The size of the block named by the op's pointer operand (the one before
  // `position`), so that most frees name a live block with its own size.
  std::uint64_t related_block_size(const Op& op, std::size_t position) const {
    if (position == 0) return 0;
    const PtrExpr& block = op.args[position - 1].ptr;
    if (block.base != PtrExpr::Base::block || !handles_.exists(HandleKind::block, block.index)) return 0;
    return handles_.handle(HandleKind::block, block.index).size;
  }

  // No live handle for a pointer: in a target with mem_alloc, make a block;
  // elsewhere (a pool's object) the pointer is null.  Called right after the
  // selector, so the creation's operands start at the next byte.
  PtrExpr no_handle() {
    if (info(OpCode::mem_alloc).allowed_in(target_)) return needs(OpCode::mem_alloc);
    return PtrExpr::null();
  }

  PtrExpr pointer(ArgKind kind, const Op& op) {
    const std::uint8_t selector = in_.byte();
    if (selector < kRelativeBase) return inside(kind, op);
    if (selector < kNullZoneBase) {
      const std::size_t n = handles_.pointer_candidates();
      if (n == 0) return no_handle();
      const std::uint8_t which = in_.byte();
      const std::uint64_t magnitude = read_size(in_);
      auto [handle_kind, handle] = handles_.pointer_candidate(which % n);
      const bool start = (selector & kRelativeStart) != 0 && handle_kind != HandleKind::block;
      const std::uint64_t offset = (selector & kRelativeNegative) != 0 ? 0 - magnitude : magnitude;
      return PtrExpr::handle(handle_kind, handle, start, offset);
    }
    if (selector < kHighZoneBase) {
      const std::uint64_t address = (static_cast<std::uint64_t>(selector & 0x0Fu) << 8) | in_.byte();
      return address == 0 ? PtrExpr::null() : PtrExpr::absolute(address);
    }
    return PtrExpr::absolute(kHighZone[in_.byte() % kHighZone.size()]);
  }

  // Somewhere sensible inside live memory, by operand kind.
  PtrExpr inside(ArgKind kind, const Op& op) {
    if (kind == ArgKind::block || kind == ArgKind::block_link) {
      const std::size_t n = handles_.live_count(HandleKind::block);
      if (n == 0) return no_handle();
      const std::uint8_t which = in_.byte();
      return PtrExpr::handle(HandleKind::block, handles_.live_at(HandleKind::block, which % n));
    }
    if (kind == ArgKind::freed_block) {  // any block made so far, freed ones included
      const std::size_t n = handles_.created_count(HandleKind::block);
      if (n == 0) return no_handle();
      const std::uint8_t which = in_.byte();
      return PtrExpr::handle(HandleKind::block, static_cast<std::uint32_t>(which % n));
    }
    if (kind == ArgKind::obj || kind == ArgKind::freed_obj || kind == ArgKind::link_value) {
      const std::uint64_t slot = read_size(in_);
      const PtrExpr& pool = op.args[0].ptr;
      if (!pool.is_exact_handle() || pool.kind() != HandleKind::pool) return PtrExpr::null();
      const StaticHandle& h = handles_.handle(HandleKind::pool, pool.index);
      if (h.capacity == 0) return PtrExpr::null();
      return PtrExpr::handle(HandleKind::pool, pool.index, true, (slot % h.capacity) * h.size);
    }
    const std::size_t n = handles_.pointer_candidates();
    if (n == 0) return no_handle();
    const std::uint8_t which = in_.byte();
    const std::uint64_t raw_offset = read_size(in_);
    auto [handle_kind, handle] = handles_.pointer_candidate(which % n);
    const std::uint64_t extent = handles_.data_extent(handle_kind, handle);
    const std::uint64_t offset = extent == 0 ? 0 : raw_offset % extent;
    return PtrExpr::handle(handle_kind, handle, handle_kind != HandleKind::block, offset);
  }

  ByteReader& in_;
  const StaticHandles& handles_;
  Target target_;
  std::span<const OpCode> sut_;  // the target's SUT ops, less those left out
  std::optional<OpCode> needs_creation_;
};

}  // namespace

BinaryDecodeResult decode_binary(std::span<const std::uint8_t> bytes, Target target,
                                 std::span<const OpCode> left_out) {
  BinaryDecodeResult result;
  result.trace.target = target;
  // The target's SUT ops, filtered only when some are left out (the usual
  // case, a complete SUT, allocates nothing per input).
  std::span<const OpCode> sut_ops = sut_ops_of(target);
  std::vector<OpCode> kept;
  if (!left_out.empty()) {
    for (OpCode code : sut_ops) {
      if (std::find(left_out.begin(), left_out.end(), code) == left_out.end()) kept.push_back(code);
    }
    sut_ops = kept;
  }
  ByteReader in(bytes);
  StaticHandles handles;
  while (!in.at_end() && result.trace.ops.size() < kMaxDecodedOps) {
    const std::size_t op_start = in.pos();
    Op op = OpDecoder(in, handles, target, sut_ops).decode();
    if (in.exhausted()) {
      result.trailing_bytes = bytes.size() - op_start;
      break;
    }
    handles.apply(op);
    result.trace.ops.push_back(op);
  }
  if (!in.exhausted() && !in.at_end()) result.trailing_bytes = bytes.size() - in.pos();  // the op limit
  return result;
}

}  // namespace mf::ops
