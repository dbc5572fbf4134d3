#include <algorithm>
#include <bit>

#include "binary_format.h"
#include "binary_values.h"
#include "static_handles.h"

namespace mf::ops {

namespace {

using namespace binary_v1;

// Thrown (and caught below) when an operand has no binary form.
struct NotEncodable {};

class OpEncoder {
 public:
  OpEncoder(std::vector<std::uint8_t>& out, const StaticHandles& handles) : out_(out), handles_(handles) {}

  void encode(const Op& op, Target target) {
    const OpInfo& op_info = op.info();
    if (!op_info.allowed_in(target)) throw NotEncodable{};
    std::span<const OpCode> list = op_info.control ? control_ops_of(target) : sut_ops_of(target);
    const auto at = std::find(list.begin(), list.end(), op.code);
    const std::size_t position = static_cast<std::size_t>(at - list.begin());
    out_.push_back(static_cast<std::uint8_t>(op_info.control ? kControlOpcodeBase + position : position));
    for (std::size_t i = 0; i < op_info.arity; ++i) encode_arg(op_info.args[i], op.args[i]);
  }

 private:
  void encode_arg(ArgKind kind, const Arg& arg) {
    switch (kind) {
      case ArgKind::size:
      case ArgKind::value:
      case ArgKind::time:
        size(arg.number);
        return;
      case ArgKind::count:
        if (arg.number < 1 || arg.number > 8) throw NotEncodable{};
        out_.push_back(static_cast<std::uint8_t>(arg.number - 1));
        return;
      case ArgKind::os_call:
        out_.push_back(static_cast<std::uint8_t>(arg.number & 1));
        return;
      case ArgKind::limit: {
        const unsigned shift = static_cast<unsigned>(std::countr_zero(arg.number));
        if (!std::has_single_bit(arg.number) || shift < kLimitLowestShift ||
            shift >= kLimitLowestShift + kLimitShifts) {
          throw NotEncodable{};
        }
        out_.push_back(static_cast<std::uint8_t>(shift - kLimitLowestShift));
        return;
      }
      case ArgKind::arena:
      case ArgKind::pool:
        handle_operand(kind == ArgKind::arena ? HandleKind::arena : HandleKind::pool, arg.ptr);
        return;
      case ArgKind::block:
      case ArgKind::block_link:  // the same bytes as block: the decoder draws both alike
        if (arg.ptr.is_exact_handle() && arg.ptr.kind() == HandleKind::block) {
          if (std::optional<std::size_t> at = handles_.live_position(HandleKind::block, arg.ptr.index);
              at && *at < 256) {
            out_.push_back(0);  // inside: the live block at this position
            out_.push_back(static_cast<std::uint8_t>(*at));
            return;
          }
        }
        pointer(arg.ptr);
        return;
      case ArgKind::ptr:
      case ArgKind::obj:
      case ArgKind::freed_obj:
      case ArgKind::link_value:
        pointer(arg.ptr);
        return;
      case ArgKind::freed_block:
        // A freed block is no pointer candidate (those are live): the inside
        // form names any block made so far by its number.
        if (arg.ptr.is_exact_handle() && arg.ptr.kind() == HandleKind::block && arg.ptr.index < 256) {
          out_.push_back(0);
          out_.push_back(static_cast<std::uint8_t>(arg.ptr.index));
          return;
        }
        pointer(arg.ptr);
        return;
      case ArgKind::block_size:
        out_.push_back(kExplicitSize);
        size(arg.number);
        return;
    }
  }

  void size(std::uint64_t v) {
    if (v < kSizeTable) {
      out_.push_back(static_cast<std::uint8_t>(v));
      return;
    }
    if (auto at = std::find(kBoundarySizes.begin(), kBoundarySizes.end(), v); at != kBoundarySizes.end()) {
      out_.push_back(static_cast<std::uint8_t>(kSizeTable + (at - kBoundarySizes.begin())));
      return;
    }
    if (v < (1u << 13)) {
      out_.push_back(static_cast<std::uint8_t>(kSize13 | (v >> 8)));
      out_.push_back(static_cast<std::uint8_t>(v));
      return;
    }
    if (v < (1u << 20)) {
      out_.push_back(static_cast<std::uint8_t>(kSize20 | (v >> 16)));
      out_.push_back(static_cast<std::uint8_t>(v));
      out_.push_back(static_cast<std::uint8_t>(v >> 8));
      return;
    }
    out_.push_back(kSize64);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }

  void handle_operand(HandleKind kind, const PtrExpr& p) {
    if (p.base == PtrExpr::Base::null) {
      out_.push_back(kNullHandleByte);
      return;
    }
    std::optional<std::size_t> at = handles_.live_position(kind, p.index);
    if (!at || *at >= kNullHandleByte) throw NotEncodable{};
    out_.push_back(static_cast<std::uint8_t>(*at));
  }

  // The relative and zone forms name every pointer the format can name; the
  // inside form only draws from live memory, so the decoder's inside
  // pointers re-encode as relative ones.
  void pointer(const PtrExpr& p) {
    switch (p.base) {
      case PtrExpr::Base::null:
        out_.push_back(kNullZoneBase);
        out_.push_back(0);
        return;
      case PtrExpr::Base::abs:
        absolute(p.offset);
        return;
      default:
        break;
    }
    std::optional<std::size_t> at = handles_.pointer_position(p.kind(), p.index);
    if (!at || *at >= 256 || (p.start && p.kind() == HandleKind::block)) throw NotEncodable{};
    const bool negative = p.offset > (std::uint64_t{1} << 63);
    std::uint8_t selector = kRelativeBase;
    if (negative) selector |= kRelativeNegative;
    if (p.start) selector |= kRelativeStart;
    out_.push_back(selector);
    out_.push_back(static_cast<std::uint8_t>(*at));
    size(negative ? 0 - p.offset : p.offset);
  }

  void absolute(std::uint64_t address) {
    if (address < 4096) {
      out_.push_back(static_cast<std::uint8_t>(kNullZoneBase | (address >> 8)));
      out_.push_back(static_cast<std::uint8_t>(address));
      return;
    }
    auto at = std::find(kHighZone.begin(), kHighZone.end(), address);
    if (at == kHighZone.end()) throw NotEncodable{};
    out_.push_back(kHighZoneBase);
    out_.push_back(static_cast<std::uint8_t>(at - kHighZone.begin()));
  }

  std::vector<std::uint8_t>& out_;
  const StaticHandles& handles_;
};

}  // namespace

std::optional<std::vector<std::uint8_t>> encode_binary(const Trace& trace) {
  std::vector<std::uint8_t> out;
  StaticHandles handles;
  try {
    for (const Op& op : trace.ops) {
      OpEncoder(out, handles).encode(op, trace.target);
      handles.apply(op);
    }
  } catch (const NotEncodable&) {
    return std::nullopt;
  }
  return out;
}

}  // namespace mf::ops
