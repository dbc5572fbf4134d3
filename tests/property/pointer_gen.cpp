#include "pointer_gen.h"

#include <algorithm>
#include <vector>

#include "binary_values.h"
#include "morph_abi.h"
#include "size_class.h"
#include "value_gen.h"

namespace mf::property {

namespace {

using ops::HandleKind;
using ops::PtrExpr;

constexpr std::uint64_t kMax = ~std::uint64_t{0};

// A stretch of memory the trace owns: a block, an arena's data, a pool slot.
struct Region {
  PtrExpr at;
  std::uint64_t length = 0;
};

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) { return b != 0 && a > kMax / b ? kMax : a * b; }
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) { return a > kMax - b ? kMax : a + b; }

std::vector<Region> regions(const TraceState& state, std::uint64_t width) {
  std::vector<Region> out;
  const ops::StaticHandles& handles = state.handles();
  for (std::uint32_t i : state.usable(HandleKind::block)) {
    const std::uint64_t size = handles.handle(HandleKind::block, i).size;
    if (size >= width) out.push_back({PtrExpr::handle(HandleKind::block, i), size});
  }
  for (std::uint32_t i : state.usable(HandleKind::arena)) {
    const std::uint64_t capacity = handles.handle(HandleKind::arena, i).size;
    if (capacity >= width) out.push_back({PtrExpr::handle(HandleKind::arena, i, true), capacity});
  }
  for (std::uint32_t i : state.usable(HandleKind::pool)) {
    const std::uint64_t size = handles.handle(HandleKind::pool, i).size;
    if (size < width) continue;
    for (std::uint64_t k : state.likely_live_slots(i)) {
      out.push_back({PtrExpr::handle(HandleKind::pool, i, true, k * size), size});
    }
  }
  return out;
}

PtrExpr offset_by(PtrExpr p, std::uint64_t delta) {
  p.offset += delta;
  return p;
}

PtrExpr null_page_address() { return PtrExpr::absolute(draw_uniform(1, layout::NULL_PAGE_END - 1)); }

PtrExpr high_zone_address() {
  const auto& zone = ops::binary_v1::kHighZone;
  return PtrExpr::absolute(zone[draw_uniform(0, zone.size() - 1)]);
}

// A handle that exists but was destroyed or freed exactly.
std::optional<PtrExpr> dead_handle(const TraceState& state, HandleKind kind) {
  std::vector<std::uint32_t> dead;
  for (std::uint32_t i = 0; i < state.created(kind); ++i) {
    if (!state.handles().handle(kind, i).live) dead.push_back(i);
  }
  if (dead.empty()) return std::nullopt;
  return PtrExpr::handle(kind, dead[draw_uniform(0, dead.size() - 1)]);
}

template <typename T>
const T& pick(const std::vector<T>& v) {
  return v[draw_uniform(0, v.size() - 1)];
}

// The block size of the slab that holds a block of `size` bytes; 0 for a
// block of its own pages (or no block at all).
std::uint64_t slab_block_size(std::uint64_t size) {
  const std::optional<model::SizeClass> c = model::size_class_of(size);
  return c && c->small ? c->block_size : 0;
}

// A whole number of `block_size` steps, 1 to 8, from `block`, down or up:
// down from a low slot it reaches the slab's header and bitmap, up from
// one near bump it reaches blocks never handed out, and for the largest
// classes (7 blocks a slab) the slack past the slab's last block.
PtrExpr blocks_away(const PtrExpr& block, std::uint64_t block_size) {
  const std::uint64_t steps = draw_uniform(1, 8) * block_size;
  return offset_by(block, draw_choice({1, 1}) == 0 ? 0 - steps : steps);
}

}  // namespace

PtrExpr draw_owner(const TraceState& state, HandleKind kind) {
  const std::vector<std::uint32_t> usable = state.usable(kind);
  std::vector<std::uint32_t> failed;  // live by the trace, but their creation probably returned 0
  for (std::size_t i = 0; i < state.handles().live_count(kind); ++i) {
    const std::uint32_t h = state.handles().live_at(kind, i);
    if (state.guess(kind, h).likely_null) failed.push_back(h);
  }
  const std::optional<PtrExpr> dead = dead_handle(state, kind);
  switch (draw_choice({usable.empty() ? 0u : 190u, failed.empty() ? 0u : 3u, dead ? 3u : 0u, 4})) {
    case 0:
      return PtrExpr::handle(kind, pick(usable));
    case 1:
      return PtrExpr::handle(kind, pick(failed));
    case 2:  // a use after destroy: undefined (skipped), or the object now at that address
      return *dead;
    default:
      return PtrExpr::null();
  }
}

PtrExpr draw_memory_ptr(const TraceState& state, std::uint64_t width) {
  const std::vector<Region> inside = regions(state, width);
  const bool any = !inside.empty();
  switch (draw_choice({any ? 180u : 0u, any ? 6u : 0u, 2, 3, 3, 3, any ? 3u : 0u})) {
    case 0: {  // inside an object, often at its first or last possible byte
      const Region& r = pick(inside);
      const std::uint64_t last = r.length - width;
      switch (draw_choice({60, 20, 20})) {
        case 0:
          return offset_by(r.at, draw_uniform(0, last));
        case 1:
          return r.at;
        default:
          return offset_by(r.at, last);
      }
    }
    case 1: {  // straddling an end of the object: outside the contract, skipped
      const Region& r = pick(inside);
      return draw_choice({3, 1}) == 0 ? offset_by(r.at, r.length - width + draw_uniform(1, 8))
                                      : offset_by(r.at, kMax - draw_uniform(0, 7));
    }
    case 2:
      return PtrExpr::null();
    case 3:
      return null_page_address();
    case 4:
      return high_zone_address();
    case 5:
      if (std::optional<PtrExpr> dead = dead_handle(state, HandleKind::block)) return *dead;
      return null_page_address();
    default:  // anywhere near an object: mostly skipped, sometimes a neighbour
      return offset_by(pick(inside).at, draw_uniform(0, 1 << 20));
  }
}

PtrExpr draw_memory_ptr_near(const TraceState& state, const PtrExpr& other) {
  if (!other.is_handle() || draw_choice({35, 65}) != 0) return draw_memory_ptr(state, 1);
  const std::uint64_t delta = draw_uniform(0, 24);
  if (draw_choice({1, 1}) == 0 || other.offset < delta) return offset_by(other, delta);
  return offset_by(other, kMax - delta + 1);  // other - delta
}

PtrExpr draw_pool_object(const TraceState& state, const PtrExpr& pool) {
  if (!pool.is_handle() || pool.kind() != HandleKind::pool) {
    return draw_choice({1, 2}) == 0 ? PtrExpr::null() : draw_memory_ptr(state, 8);
  }
  const std::uint32_t i = pool.index;
  const ops::StaticHandle& h = state.handles().handle(HandleKind::pool, i);
  const HandleGuess& g = state.guess(HandleKind::pool, i);
  const std::uint64_t size = h.size;
  auto slot = [&](std::uint64_t k) { return PtrExpr::handle(HandleKind::pool, i, true, saturating_mul(k, size)); };
  if (g.likely_null || size == 0) return slot(0);

  const std::vector<std::uint64_t> live = state.likely_live_slots(i);
  std::vector<std::uint32_t> others;
  for (std::uint32_t j : state.usable(HandleKind::pool)) {
    if (j != i && !state.likely_live_slots(j).empty()) others.push_back(j);
  }
  switch (draw_choice({live.empty() ? 0u : 188u, g.pool_free.empty() ? 0u : 3u, 2, live.empty() ? 0u : 3u, 1, 1,
                       others.empty() ? 0u : 2u, 1})) {
    case 0:
      return slot(pick(live));
    case 1:  // already on the free list: a double free
      return slot(pick(g.pool_free));
    case 2:  // never handed out (or the end of the pool)
      return slot(std::min(h.capacity, g.pool_bump + draw_uniform(0, 8)));
    case 3:  // inside a slot, not at its start
      return offset_by(slot(pick(live)), draw_uniform(1, std::min<std::uint64_t>(size - 1, 4096)));
    case 4:
      return PtrExpr::null();
    case 5:  // just before the first slot
      return offset_by(slot(0), kMax + 1 - 8 * draw_uniform(1, 6));
    case 6: {  // an object of another pool (often in the same slab as this one)
      const std::uint32_t j = pick(others);
      const std::uint64_t k = pick(state.likely_live_slots(j));
      return PtrExpr::handle(HandleKind::pool, j, true,
                             saturating_mul(k, state.handles().handle(HandleKind::pool, j).size));
    }
    default:  // in no mapping of the pool's: the null page or beyond user space
      return draw_choice({1, 1}) == 0 ? null_page_address() : high_zone_address();
  }
}

PtrExpr draw_freed_pool_object(const TraceState& state, const PtrExpr& pool) {
  if (!pool.is_handle() || pool.kind() != HandleKind::pool) return draw_pool_object(state, pool);
  const HandleGuess& g = state.guess(HandleKind::pool, pool.index);
  const std::uint64_t size = state.handles().handle(HandleKind::pool, pool.index).size;
  if (g.pool_free.empty() || draw_choice({9, 1}) == 1) return draw_pool_object(state, pool);
  return PtrExpr::handle(HandleKind::pool, pool.index, true, saturating_mul(pick(g.pool_free), size));
}

PtrExpr draw_link_value(const TraceState& state, const PtrExpr& pool) {
  if (!pool.is_handle() || pool.kind() != HandleKind::pool) return draw_pool_object(state, pool);
  const HandleGuess& g = state.guess(HandleKind::pool, pool.index);
  const ops::StaticHandle& h = state.handles().handle(HandleKind::pool, pool.index);
  auto slot = [&](std::uint64_t k) { return PtrExpr::handle(HandleKind::pool, pool.index, true, saturating_mul(k, h.size)); };
  if (g.likely_null || h.size == 0) return PtrExpr::null();
  const std::vector<std::uint64_t> live = state.likely_live_slots(pool.index);
  switch (draw_choice({g.pool_free.empty() ? 0u : 4u, 2, live.empty() ? 0u : 2u, 1, live.empty() ? 0u : 1u, 1})) {
    case 0:  // another free object: pool_alloc follows it
      return slot(pick(g.pool_free));
    case 1:  // null: the list ends early, and the pool bumps again
      return PtrExpr::null();
    case 2:  // a live object: its bit is clear
      return slot(pick(live));
    case 3:  // at or past current
      return slot(std::min(h.capacity, g.pool_bump + draw_uniform(0, 3)));
    case 4:  // inside a slot, not at its start
      return offset_by(slot(pick(live)), draw_uniform(1, std::min<std::uint64_t>(h.size - 1, 4096)));
    default:  // in the header, before the first slot
      return offset_by(slot(0), kMax + 1 - 8 * draw_uniform(1, 6));
  }
}

PtrExpr draw_freed_block(const TraceState& state) {
  const std::optional<PtrExpr> dead = dead_handle(state, HandleKind::block);
  if (!dead || draw_choice({9, 1}) == 1) return draw_block_ptr(state);
  return *dead;
}

PtrExpr draw_block_link_value(const TraceState& state, const PtrExpr& freed) {
  if (!freed.is_exact_handle() || freed.kind() != HandleKind::block || !state.handles().exists(HandleKind::block, freed.index))
    return draw_block_ptr(state);
  const std::uint64_t block_size = slab_block_size(state.handles().handle(HandleKind::block, freed.index).size);
  if (block_size == 0) return draw_block_ptr(state);
  // Freed blocks of the same class: most lie in the same slab.
  std::vector<std::uint32_t> same_class;
  for (std::uint32_t i = 0; i < state.created(HandleKind::block); ++i) {
    const ops::StaticHandle& h = state.handles().handle(HandleKind::block, i);
    if (i != freed.index && !h.live && slab_block_size(h.size) == block_size) same_class.push_back(i);
  }
  switch (draw_choice({same_class.empty() ? 0u : 4u, 2, 4, 1, 2})) {
    case 0:  // another free block: mem_alloc follows it
      return PtrExpr::handle(HandleKind::block, pick(same_class));
    case 1:  // null: the list ends early, and the slab bumps again
      return PtrExpr::null();
    case 2:  // the slab's header, a neighbour, at or past bump
      return blocks_away(freed, block_size);
    case 3:  // inside a block, not at its start
      return offset_by(blocks_away(freed, block_size), draw_uniform(1, block_size - 1));
    default:  // live blocks, other slabs' blocks, wild addresses
      return draw_block_ptr(state);
  }
}

PtrExpr draw_block_ptr(const TraceState& state) {
  const std::vector<std::uint32_t> live = state.usable(HandleKind::block);
  std::vector<PtrExpr> headers;
  for (HandleKind kind : {HandleKind::arena, HandleKind::pool}) {
    for (std::uint32_t i : state.usable(kind)) headers.push_back(PtrExpr::handle(kind, i));
  }
  const bool any_live = !live.empty();
  switch (draw_choice({any_live ? 188u : 0u, 3, any_live ? 3u : 0u, 1, headers.empty() ? 0u : 3u, 2, any_live ? 2u : 0u})) {
    case 0:
      // One class (TraceState::focus_size): mostly the oldest live block, so
      // that slabs empty in the order they filled, each behind the slab
      // opened after it (usable() lists the oldest first).
      if (state.focus_size() != 0 && draw_choice({1, 1}) == 0) return PtrExpr::handle(HandleKind::block, live.front());
      return PtrExpr::handle(HandleKind::block, pick(live));
    case 1:
      if (std::optional<PtrExpr> dead = dead_handle(state, HandleKind::block)) return *dead;
      return PtrExpr::null();
    case 2: {
      static constexpr std::uint64_t kInterior[] = {8, 16, 48, kMax - 15};
      return PtrExpr::handle(HandleKind::block, pick(live), false, kInterior[draw_uniform(0, 3)]);
    }
    case 3:
      return PtrExpr::null();
    case 4:  // the block under an arena or pool: a plain mem_free of its header
      return pick(headers);
    case 6: {  // whole blocks away from a slab's block
      const std::uint32_t i = pick(live);
      const std::uint64_t block_size = slab_block_size(state.handles().handle(HandleKind::block, i).size);
      if (block_size == 0) return PtrExpr::handle(HandleKind::block, i);
      return blocks_away(PtrExpr::handle(HandleKind::block, i), block_size);
    }
    default:
      switch (draw_choice({1, 1, 1})) {
        case 0:
          return null_page_address();
        case 1:
          return high_zone_address();
        default:
          return PtrExpr::absolute(draw_uniform(layout::NULL_PAGE_END, layout::USER_SPACE_END - 1));
      }
  }
}

std::uint64_t draw_block_size(const TraceState& state, const PtrExpr& block) {
  std::optional<std::uint64_t> allocated;
  if (block.is_handle() && state.handles().exists(block.kind(), block.index)) {
    const ops::StaticHandle& h = state.handles().handle(block.kind(), block.index);
    switch (block.kind()) {
      case HandleKind::block:
        allocated = h.size;
        break;
      case HandleKind::arena:  // what arena_create asked mem_alloc for
        allocated = saturating_add(h.size, layout::ARENA_HDR_SIZE);
        break;
      case HandleKind::pool:  // what pool_create asked mem_alloc for (docs/spec.md)
        allocated = saturating_add(saturating_add(saturating_mul(h.size, h.capacity), layout::POOL_HDR_SIZE),
                                   saturating_mul(8, h.capacity / 64 + (h.capacity % 64 != 0)));
        break;
    }
  }
  if (!allocated) return draw_size(SizeUse::request);
  switch (draw_choice({92, 5, 2, 1})) {
    case 0:
      return *allocated;
    case 1:
      return draw_same_class(*allocated);
    case 2:
      return draw_edge_size();
    default:
      return draw_size(SizeUse::request);
  }
}

std::uint64_t room_after(const TraceState& state, const PtrExpr& p) {
  if (!p.is_handle() || !state.handles().exists(p.kind(), p.index)) return 0;
  const ops::StaticHandle& h = state.handles().handle(p.kind(), p.index);
  switch (p.kind()) {
    case HandleKind::block:
      return p.offset <= h.size ? h.size - p.offset : 0;
    case HandleKind::arena:
      return p.start && p.offset <= h.size ? h.size - p.offset : 0;
    case HandleKind::pool:
      if (!p.start || h.size == 0) return 0;
      return h.size - p.offset % h.size;
  }
  return 0;
}

}  // namespace mf::property
