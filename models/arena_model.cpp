#include "arena_model.h"

#include <set>

#include "checked_math.h"
#include "request_sizes.h"
#include "layout.h"

namespace mf::model {

using namespace mf::layout;

Outcome ArenaModel::create(std::uint64_t size) {
  std::optional<std::uint64_t> request = arena_create_request(size);
  if (!request) return Outcome::null_ptr();
  Outcome out = pages_.mem_alloc(*request);
  if (out.pointer.is_null()) return out;  // mem_alloc refused: nothing changed

  ArenaRecord arena;
  arena.handle = arenas_.size();
  arena.block = *out.new_block;
  arena.page = out.pointer.handle;
  arena.header_offset = out.pointer.offset;
  arena.capacity = size;
  arena.id = next_id_++;
  arenas_.push_back(arena);
  pages_.set_block_owner(arena.block, BlockOwner::Arena, arena.handle);
  // The header holds absolute addresses the model does not predict.
  pages_.memory(arena.page).forget(arena.header_offset, ARENA_HDR_SIZE);
  out.new_arena = arena.handle;
  return out;
}

std::optional<ArenaHandle> ArenaModel::live_arena_at(Addr c) const {
  if (c.base != Base::Page) return std::nullopt;
  for (const ArenaRecord& arena : arenas_) {
    if (arena.live && arena.page == c.handle && arena.header_offset == c.offset) return arena.handle;
  }
  return std::nullopt;
}

std::optional<ArenaHandle> ArenaModel::resolve(Addr arena, Outcome& failure) const {
  if (arena.is_null()) {
    failure = Outcome::exit(MF_EXIT_NULL, "NULL arena");
    return std::nullopt;
  }
  std::optional<ArenaHandle> h = live_arena_at(arena);
  if (!h) failure = Outcome::unsafe(to_string(arena) + " is not a live arena (undefined)");
  return h;
}

Outcome ArenaModel::alloc(Addr arena, std::uint64_t n) {
  Outcome failure;
  std::optional<ArenaHandle> h = resolve(arena, failure);
  if (!h) return failure;
  ArenaRecord& a = arenas_[*h];
  std::optional<std::uint64_t> rounded = arena_alloc_size(n);
  if (!rounded) return Outcome::null_ptr();
  if (*rounded > a.capacity - a.used) return Outcome::null_ptr();
  Addr result = Addr::page(a.page, a.header_offset + ARENA_HDR_SIZE + a.used);
  a.used += *rounded;
  return Outcome::ptr(result);
}

Outcome ArenaModel::reset(Addr arena) {
  Outcome failure;
  std::optional<ArenaHandle> h = resolve(arena, failure);
  if (!h) return failure;
  arenas_[*h].used = 0;
  return Outcome::nothing();
}

Outcome ArenaModel::usage(Addr arena) const {
  Outcome failure;
  std::optional<ArenaHandle> h = resolve(arena, failure);
  if (!h) return failure;
  return Outcome::value(arenas_[*h].used);
}

Outcome ArenaModel::capacity(Addr arena) const {
  Outcome failure;
  std::optional<ArenaHandle> h = resolve(arena, failure);
  if (!h) return failure;
  return Outcome::value(arenas_[*h].capacity);
}

Outcome ArenaModel::destroy(Addr arena) {
  if (arena.is_null()) return Outcome::exit(MF_EXIT_NULL, "NULL arena");
  std::optional<ArenaHandle> h = live_arena_at(arena);
  if (!h) {
    // The real code reads the header, then mem_free(arena, 32 + end - start).
    // If the header is readable and arena is no live block at all, that
    // mem_free exits 111 whatever the header holds; otherwise it depends on
    // memory the contract says nothing about.
    if (pages_.readable(arena, ARENA_HDR_SIZE) && !pages_.live_block_at(arena.handle, arena.offset)) {
      return Outcome::exit(MF_EXIT_BOUNDS, "arena_destroy of " + to_string(arena) + ", not a live block");
    }
    return Outcome::unsafe("arena_destroy of " + to_string(arena) + ", not a live arena (undefined)");
  }
  ArenaRecord& a = arenas_[*h];
  Outcome out = pages_.mem_free(header_addr(a.handle), ARENA_HDR_SIZE + a.capacity);
  if (!out.is_exit()) a.live = false;
  return out;
}

Addr ArenaModel::header_addr(ArenaHandle h) const {
  const ArenaRecord& a = arenas_.at(h);
  return Addr::page(a.page, a.header_offset);
}

ArenaView ArenaModel::view(ArenaHandle h) const {
  const ArenaRecord& a = arenas_.at(h);
  ArenaView v;
  v.handle = h;
  v.header = header_addr(h);
  v.start = v.header.plus(ARENA_HDR_SIZE);
  v.current = v.start.plus(a.used);
  v.end = v.start.plus(a.capacity);
  v.id = a.id;
  return v;
}

std::vector<ArenaView> ArenaModel::live_arenas() const {
  std::vector<ArenaView> views;
  for (const ArenaRecord& a : arenas_) {
    if (a.live) views.push_back(view(a.handle));
  }
  return views;
}

void ArenaModel::forget(ArenaHandle h) { arenas_.at(h).live = false; }

std::vector<std::string> ArenaModel::check_invariants() const {
  std::vector<std::string> bad;
  std::set<std::uint64_t> ids;
  for (const ArenaRecord& a : arenas_) {
    const std::string name = "arena " + std::to_string(a.handle);
    // Ids count successful creations from 1, and so do handles from 0.
    if (a.id != a.handle + 1) bad.push_back(name + ": id is not its creation number");
    if (!ids.insert(a.id).second) bad.push_back(name + ": id is not unique");
    if (!a.live) continue;
    if (a.used > a.capacity) bad.push_back(name + ": current is beyond end");
    if (a.used % ARENA_ALIGN != 0) bad.push_back(name + ": current - start is not a multiple of 8");
    if (a.header_offset % MEM_ALIGN != 0) bad.push_back(name + ": header is not 16-byte aligned");
    const BlockRecord& block = pages_.block(a.block);
    if (!block.live) bad.push_back(name + ": its block is not live");
    if (block.owner != BlockOwner::Arena || block.owner_handle != a.handle)
      bad.push_back(name + ": its block is not marked as its own");
    if (block.page != a.page || block.offset != a.header_offset)
      bad.push_back(name + ": header is not at its block");
    if (block.request != ARENA_HDR_SIZE + a.capacity) bad.push_back(name + ": its block's size is not 32 + capacity");
  }
  return bad;
}

}  // namespace mf::model
