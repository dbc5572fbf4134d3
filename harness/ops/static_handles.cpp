#include "static_handles.h"

#include <algorithm>

namespace mf::ops {

namespace {

constexpr HandleKind kPointerOrder[] = {HandleKind::block, HandleKind::arena, HandleKind::pool};

std::uint64_t round8_saturating(std::uint64_t n) { return n > ~std::uint64_t{0} - 7 ? ~std::uint64_t{0} : (n + 7) / 8 * 8; }

// Beyond this every creation returns 0 whatever the environment
// (MEM_MAX_REQUEST of docs/spec.md; arenas and pools are built on mem_alloc).
constexpr std::uint64_t kMaxRequest = std::uint64_t{1} << 40;

// Whether the contract lets this creation succeed at all.  Creations it
// rejects outright still number a handle, but never a live one: picking it
// would only ever pass NULL.
bool can_succeed(const Op& op) {
  const std::uint64_t a = op.args[0].number;
  switch (op.code) {
    case OpCode::arena_create:
      return a != 0 && a <= kMaxRequest - 32;
    case OpCode::pool_create: {
      const std::uint64_t size = round8_saturating(a);
      const std::uint64_t cap = op.args[1].number;
      if (a < 8 || cap == 0 || size > kMaxRequest || cap > kMaxRequest / size) return false;
      return 48 + size * cap + 8 * ((cap + 63) / 64) <= kMaxRequest;
    }
    default:
      return a != 0 && a <= kMaxRequest;
  }
}

}  // namespace

void StaticHandles::apply(const Op& op) {
  if (std::optional<HandleKind> kind = created_kind(op.code)) {
    StaticHandle h;
    if (op.code == OpCode::pool_create) {
      h.size = round8_saturating(op.args[0].number);
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
