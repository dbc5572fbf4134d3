#include "trace_edit.h"

#include <array>
#include <cstdint>
#include <optional>

namespace mf::mfh {

namespace {

// Old handle number -> new one, per kind; nullopt once its creation is gone.
class Renumbering {
 public:
  void created(ops::HandleKind kind, bool kept) {
    auto& map = maps_[static_cast<std::size_t>(kind)];
    map.push_back(kept ? std::optional<std::uint32_t>(next_[static_cast<std::size_t>(kind)]++) : std::nullopt);
  }
  // Rewrites ptr in place; false when it names a handle that is gone.
  bool rewrite(ops::PtrExpr& ptr) const {
    if (!ptr.is_handle()) return true;
    const auto& map = maps_[static_cast<std::size_t>(ptr.kind())];
    if (ptr.index >= map.size() || !map[ptr.index]) return false;
    ptr.index = *map[ptr.index];
    return true;
  }

 private:
  std::array<std::vector<std::optional<std::uint32_t>>, ops::kHandleKinds> maps_;
  std::array<std::uint32_t, ops::kHandleKinds> next_{};
};

bool rewrite_operands(ops::Op& op, const Renumbering& numbers) {
  const ops::OpInfo& info = op.info();
  for (std::size_t i = 0; i < info.arity; ++i) {
    const ops::SyntaxClass syntax = ops::syntax_of(info.args[i]);
    if (syntax == ops::SyntaxClass::number || syntax == ops::SyntaxClass::os_call) continue;
    if (!numbers.rewrite(op.args[i].ptr)) return false;
  }
  return true;
}

}  // namespace

ops::Trace remove_ops(const ops::Trace& trace, const std::vector<bool>& keep) {
  ops::Trace out;
  out.target = trace.target;
  Renumbering numbers;
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    ops::Op op = trace.ops[i];
    const std::optional<ops::HandleKind> creates = ops::created_kind(op.code);
    // A creation's operands are numbers, so its own handle is the only one
    // it can lose; other ops may name any earlier handle.
    const bool kept = i < keep.size() && keep[i] && rewrite_operands(op, numbers);
    if (creates) numbers.created(*creates, kept);
    if (!kept) continue;
    if (op.expect.kind == ops::Expectation::Kind::pointer && !numbers.rewrite(op.expect.ptr)) {
      op.expect = ops::Expectation::nothing();
    }
    out.ops.push_back(op);
  }
  return out;
}

ops::Trace prefix(const ops::Trace& trace, std::size_t count) {
  ops::Trace out;
  out.target = trace.target;
  out.ops.assign(trace.ops.begin(), trace.ops.begin() + static_cast<std::ptrdiff_t>(count));
  return out;
}

ops::Trace without_expectations(ops::Trace trace) {
  for (ops::Op& op : trace.ops) op.expect = ops::Expectation::nothing();
  return trace;
}

}  // namespace mf::mfh
