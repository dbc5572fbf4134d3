#include "op_table.h"

#include <vector>

#include "op.h"

namespace mf::ops {

namespace {

constexpr std::array<std::string_view, 7> kTargetNames = {"arena", "pool",    "alloc", "builtins",
                                                          "mixed", "meminfo", "daemon"};

// Per target, the positions of its ops in kOpTable: SUT calls, then control
// ops, both in table order.
struct TargetOps {
  std::vector<OpCode> sut;
  std::vector<OpCode> control;
};

const std::array<TargetOps, kAllTargets.size()>& ops_by_target() {
  static const std::array<TargetOps, kAllTargets.size()> table = [] {
    std::array<TargetOps, kAllTargets.size()> result;
    for (Target target : kAllTargets) {
      TargetOps& ops = result[static_cast<std::size_t>(target)];
      for (const OpInfo& op : kOpTable) {
        if (!op.allowed_in(target)) continue;
        (op.control ? ops.control : ops.sut).push_back(op.code);
      }
    }
    return result;
  }();
  return table;
}

}  // namespace

std::string_view target_name(Target target) { return kTargetNames[static_cast<std::size_t>(target)]; }

std::optional<Target> target_from_name(std::string_view name) {
  for (Target target : kAllTargets) {
    if (target_name(target) == name) return target;
  }
  return std::nullopt;
}

SyntaxClass syntax_of(ArgKind kind) {
  switch (kind) {
    case ArgKind::size:
    case ArgKind::value:
    case ArgKind::count:
    case ArgKind::limit:
    case ArgKind::time:
    case ArgKind::block_size:
      return SyntaxClass::number;
    case ArgKind::os_call:
      return SyntaxClass::os_call;
    case ArgKind::arena:
      return SyntaxClass::arena_handle;
    case ArgKind::pool:
      return SyntaxClass::pool_handle;
    case ArgKind::ptr:
    case ArgKind::obj:
    case ArgKind::freed_obj:
    case ArgKind::link_value:
    case ArgKind::freed_block:
    case ArgKind::block:
    case ArgKind::block_link:
      return SyntaxClass::pointer;
  }
  return SyntaxClass::number;
}

std::optional<OpCode> op_from_name(std::string_view name) {
  for (const OpInfo& op : kOpTable) {
    if (op.name == name) return op.code;
  }
  return std::nullopt;
}

std::span<const OpCode> sut_ops_of(Target target) { return ops_by_target()[static_cast<std::size_t>(target)].sut; }

std::span<const OpCode> control_ops_of(Target target) {
  return ops_by_target()[static_cast<std::size_t>(target)].control;
}

std::string_view os_call_name(OsCall call) { return call == OsCall::mmap ? "mmap" : "munmap"; }

std::optional<OsCall> os_call_from_name(std::string_view name) {
  if (name == "mmap") return OsCall::mmap;
  if (name == "munmap") return OsCall::munmap;
  return std::nullopt;
}

char handle_letter(HandleKind kind) {
  switch (kind) {
    case HandleKind::arena:
      return 'a';
    case HandleKind::pool:
      return 'p';
    case HandleKind::block:
      return 'm';
  }
  return '?';
}

std::optional<HandleKind> created_kind(OpCode code) {
  switch (info(code).result) {
    case ResultKind::new_arena:
      return HandleKind::arena;
    case ResultKind::new_pool:
      return HandleKind::pool;
    case ResultKind::new_block:
      return HandleKind::block;
    default:
      return std::nullopt;
  }
}

Op make_op(OpCode code, std::initializer_list<Arg> args, Expectation expect) {
  Op op;
  op.code = code;
  std::size_t i = 0;
  for (const Arg& arg : args) {
    if (i < kMaxArgs) op.args[i++] = arg;
  }
  op.expect = expect;
  return op;
}

// The table is indexed by OpCode: each entry must sit at its own code.
static_assert([] {
  for (std::size_t i = 0; i < kOpTable.size(); ++i) {
    if (static_cast<std::size_t>(kOpTable[i].code) != i) return false;
  }
  return true;
}());

}  // namespace mf::ops
