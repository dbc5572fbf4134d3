#include "static_handles.h"

#include <algorithm>

#include "request_sizes.h"

namespace mf::ops {

namespace {

constexpr HandleKind kPointerOrder[] = {HandleKind::block, HandleKind::arena, HandleKind::pool};

// Whether the contract lets this creation succeed at all.  Creations it
// rejects outright still number a handle, but never a live one: picking it
// would only ever pass NULL.
bool can_succeed(const Op& op) {
  const std::optional<std::uint64_t> request = creation_request(op);
  return request && model::mem_request_in_range(*request);
}

}  // namespace

std::optional<std::uint64_t> creation_request(const Op& op) {
  const std::uint64_t a = op.args[0].number;
  switch (op.info().result) {
    case ResultKind::new_block:
      return a;
    case ResultKind::new_arena:
      return model::arena_create_request(a);
    case ResultKind::new_pool:
      return model::pool_create_request(a, op.args[1].number);
    default:
      return std::nullopt;
  }
}

void StaticHandles::apply(const Op& op) {
  if (std::optional<HandleKind> kind = created_kind(op.code)) {
    StaticHandle h;
    if (*kind == HandleKind::pool) {
      // Saturated when the rounding overflows: no slot of it exists.
      h.size = model::pool_object_size(op.args[0].number).value_or(~std::uint64_t{0});
      h.capacity = op.args[1].number;
    } else {
      h.size = op.args[0].number;
    }
    h.live = can_succeed(op);
    all_[index(*kind)].push_back(h);
    if (h.live) live_[index(*kind)].push_back(static_cast<std::uint32_t>(all_[index(*kind)].size() - 1));
    return;
  }
  if (op.info().effect == Effect::ends_handle && op.args[0].ptr.is_exact_handle()) {
    kill(op.args[0].ptr.kind(), op.args[0].ptr.index);
  }
}

void StaticHandles::kill(HandleKind kind, std::uint32_t i) {
  if (!exists(kind, i)) return;
  all_[index(kind)][i].live = false;
  std::vector<std::uint32_t>& live = live_[index(kind)];
  live.erase(std::remove(live.begin(), live.end(), i), live.end());
}

std::optional<std::size_t> StaticHandles::live_position(HandleKind kind, std::uint32_t handle) const {
  const std::vector<std::uint32_t>& live = live_[index(kind)];
  auto it = std::find(live.begin(), live.end(), handle);
  if (it == live.end()) return std::nullopt;
  return static_cast<std::size_t>(it - live.begin());
}

std::size_t StaticHandles::pointer_candidates() const {
  std::size_t n = 0;
  for (HandleKind kind : kPointerOrder) n += live_count(kind);
  return n;
}

std::pair<HandleKind, std::uint32_t> StaticHandles::pointer_candidate(std::size_t i) const {
  for (HandleKind kind : kPointerOrder) {
    if (i < live_count(kind)) return {kind, live_at(kind, i)};
    i -= live_count(kind);
  }
  return {HandleKind::block, 0};  // unreachable for i < pointer_candidates()
}

std::optional<std::size_t> StaticHandles::pointer_position(HandleKind kind, std::uint32_t handle) const {
  std::size_t before = 0;
  for (HandleKind k : kPointerOrder) {
    if (k == kind) {
      std::optional<std::size_t> at = live_position(kind, handle);
      if (!at) return std::nullopt;
      return before + *at;
    }
    before += live_count(k);
  }
  return std::nullopt;
}

std::uint64_t StaticHandles::data_extent(HandleKind kind, std::uint32_t i) const {
  const StaticHandle& h = handle(kind, i);
  if (kind != HandleKind::pool) return h.size;
  if (h.size != 0 && h.capacity > ~std::uint64_t{0} / h.size) return ~std::uint64_t{0};
  return h.size * h.capacity;
}

}  // namespace mf::ops
