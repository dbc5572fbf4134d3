#include "pool_model.h"

#include "checked_math.h"
#include "request_sizes.h"
#include "layout.h"

namespace mf::model {

using namespace mf::layout;

Outcome PoolModel::create(std::uint64_t obj_size, std::uint64_t capacity) {
  std::optional<std::uint64_t> total = pool_create_request(obj_size, capacity);
  if (!total) return Outcome::null_ptr();
  const std::optional<std::uint64_t> rounded = pool_object_size(obj_size);  // exists, as the total does
  Outcome out = pages_.mem_alloc(*total);
  if (out.pointer.is_null()) return out;  // mem_alloc refused: nothing changed

  PoolRecord pool;
  pool.handle = pools_.size();
  pool.block = *out.new_block;
  pool.page = out.pointer.handle;
  pool.header_offset = out.pointer.offset;
  pool.obj_size = *rounded;
  pool.capacity = capacity;
  pool.total = *total;
  pools_.push_back(pool);
  pages_.set_block_owner(pool.block, BlockOwner::Pool, pool.handle);

  PageMemory& memory = pages_.memory(pool.page);
  memory.forget(pool.header_offset, POOL_HDR_SIZE);  // absolute addresses
  const std::uint64_t bitmap_offset = pool.header_offset + POOL_HDR_SIZE + pool.obj_size * capacity;
  memory.zero(bitmap_offset, pool.total - (POOL_HDR_SIZE + pool.obj_size * capacity));
  out.new_pool = pool.handle;
  return out;
}

std::optional<PoolHandle> PoolModel::live_pool_at(Addr c) const {
  if (c.base != Base::Page) return std::nullopt;
  for (const PoolRecord& pool : pools_) {
    if (pool.live && pool.page == c.handle && pool.header_offset == c.offset) return pool.handle;
  }
  return std::nullopt;
}

std::optional<PoolHandle> PoolModel::resolve(Addr pool, Outcome& failure) const {
  if (pool.is_null()) {
    failure = Outcome::exit(MF_EXIT_NULL, "NULL pool");
    return std::nullopt;
  }
  std::optional<PoolHandle> h = live_pool_at(pool);
  if (!h) failure = Outcome::unsafe(to_string(pool) + " is not a live pool (undefined)");
  return h;
}

Addr PoolModel::header_addr(PoolHandle h) const {
  const PoolRecord& p = pools_.at(h);
  return Addr::page(p.page, p.header_offset);
}

Addr PoolModel::slot_addr(PoolHandle h, std::uint64_t slot) const {
  const PoolRecord& p = pools_.at(h);
  return Addr::page(p.page, p.header_offset + POOL_HDR_SIZE + slot * p.obj_size);
}

namespace {

// Keeps the bitmap bytes in page memory equal to the free set, so that a
// later reuse of the pool's block reads what the real bitmap left there.
void store_bit(PageMemory& memory, std::uint64_t bitmap_offset, std::uint64_t slot, bool set) {
  const std::uint64_t at = bitmap_offset + slot / 8;
  std::uint8_t byte = memory.read(at).value_or(0);
  const std::uint8_t bit = static_cast<std::uint8_t>(1u << (slot % 8));
  memory.write(at, set ? static_cast<std::uint8_t>(byte | bit) : static_cast<std::uint8_t>(byte & ~bit));
}

}  // namespace

std::optional<std::uint64_t> PoolModel::slot_at(const PoolRecord& p, Addr a) {
  // [start, current) lies in the pool's page, so an address elsewhere is
  // below start or at/after current whatever the real addresses are.
  if (a.base != Base::Page || a.handle != p.page) return std::nullopt;
  const std::uint64_t start = p.header_offset + POOL_HDR_SIZE;
  const std::uint64_t current = start + p.bump * p.obj_size;
  if (a.offset < start || a.offset >= current || (a.offset - start) % p.obj_size != 0) return std::nullopt;
  return (a.offset - start) / p.obj_size;
}

Outcome PoolModel::alloc(Addr pool) {
  Outcome failure;
  std::optional<PoolHandle> h = resolve(pool, failure);
  if (!h) return failure;
  PoolRecord& p = pools_[*h];
  std::uint64_t slot = 0;
  const std::uint64_t bitmap_offset = p.header_offset + POOL_HDR_SIZE + p.obj_size * p.capacity;
  if (!p.free_head.is_null()) {
    // Only a write into a freed object makes the head anything but a free
    // slot; the check comes before anything is read or changed.
    const std::optional<std::uint64_t> head = slot_at(p, p.free_head);
    if (!head || p.free_slots.count(*head) == 0) {
      return Outcome::exit(MF_EXIT_BOUNDS, "pool_alloc: the free head " + to_string(p.free_head) +
                                               " is not a free object (memory written after it was freed)");
    }
    slot = *head;
    p.free_head = p.links.at(slot);
    p.links.erase(slot);
    p.free_slots.erase(slot);
    store_bit(pages_.memory(p.page), bitmap_offset, slot, false);
  } else if (p.bump < p.capacity) {
    slot = p.bump++;
  } else {
    return Outcome::null_ptr();  // exhausted
  }
  Addr object = slot_addr(*h, slot);
  pages_.memory(p.page).zero(object.offset, p.obj_size);
  return Outcome::ptr(object);
}

Outcome PoolModel::free(Addr pool, Addr obj) {
  Outcome failure;
  if (pool.is_null()) return Outcome::exit(MF_EXIT_NULL, "NULL pool");
  std::optional<PoolHandle> h = resolve(pool, failure);
  if (!h) return failure;
  if (obj.is_null()) return Outcome::exit(MF_EXIT_NULL, "pool_free of NULL");
  PoolRecord& p = pools_[*h];
  const std::uint64_t start = p.header_offset + POOL_HDR_SIZE;
  const std::uint64_t current = start + p.bump * p.obj_size;
  // [start, current) lies in the pool's page, so an address elsewhere is
  // below start or at/after current whatever the real addresses are.
  const bool in_page = obj.base == Base::Page && obj.handle == p.page;
  if (!in_page || obj.offset < start || obj.offset >= current)
    return Outcome::exit(MF_EXIT_BOUNDS, "pool_free of " + to_string(obj) + ", outside [start, current)");
  if ((obj.offset - start) % p.obj_size != 0)
    return Outcome::exit(MF_EXIT_BOUNDS, "pool_free of " + to_string(obj) + ", not at an object boundary");
  const std::uint64_t slot = (obj.offset - start) / p.obj_size;
  if (p.free_slots.count(slot) != 0)
    return Outcome::exit(MF_EXIT_BOUNDS, "pool_free of " + to_string(obj) + ", already free");

  PageMemory& memory = pages_.memory(p.page);
  // The object's first 8 bytes now hold the old free head.
  if (p.free_head.is_null()) {
    memory.write_quad(obj.offset, 0);
  } else {
    memory.forget(obj.offset, 8);
  }
  p.links[slot] = p.free_head;
  p.free_head = obj;
  p.free_slots.insert(slot);
  store_bit(memory, start + p.obj_size * p.capacity, slot, true);
  return Outcome::nothing();
}

Outcome PoolModel::uaf_link(Addr pool, Addr obj, Addr value) {
  const std::optional<PoolHandle> h = live_pool_at(pool);
  if (!h) return Outcome::unsafe("pool_uaf_link: " + to_string(pool) + " is not a live pool");
  PoolRecord& p = pools_[*h];
  const std::optional<std::uint64_t> slot = slot_at(p, obj);
  if (!slot || p.free_slots.count(*slot) == 0)
    return Outcome::unsafe("pool_uaf_link: " + to_string(obj) + " is not a free object of the pool");
  PageMemory& memory = pages_.memory(p.page);
  if (value.is_null()) {
    memory.write_quad(obj.offset, 0);
  } else {
    memory.forget(obj.offset, 8);  // an absolute address
  }
  p.links[*slot] = value;
  p.link_rewritten = true;
  return Outcome::nothing();
}

std::vector<std::uint64_t> PoolModel::walk_free_list(const PoolRecord& p) const {
  std::vector<std::uint64_t> slots;
  std::set<std::uint64_t> seen;
  for (Addr at = p.free_head; !at.is_null();) {
    const std::optional<std::uint64_t> slot = slot_at(p, at);
    if (!slot || p.free_slots.count(*slot) == 0 || !seen.insert(*slot).second) break;
    slots.push_back(*slot);
    at = p.links.at(*slot);
  }
  return slots;
}

Outcome PoolModel::destroy(Addr pool) {
  if (pool.is_null()) return Outcome::exit(MF_EXIT_NULL, "NULL pool");
  std::optional<PoolHandle> h = live_pool_at(pool);
  if (!h) {
    // As for arenas: a readable header that is no live block at all makes the
    // spec's mem_free exit 111 whatever the header holds.
    if (pages_.readable(pool, POOL_HDR_SIZE) && !pages_.live_block_at(pool.handle, pool.offset)) {
      return Outcome::exit(MF_EXIT_BOUNDS, "pool_destroy of " + to_string(pool) + ", not a live block");
    }
    return Outcome::unsafe("pool_destroy of " + to_string(pool) + ", not a live pool (undefined)");
  }
  PoolRecord& p = pools_[*h];
  Outcome out = pages_.mem_free(header_addr(p.handle), p.total);
  if (!out.is_exit()) p.live = false;
  return out;
}

std::uint64_t PoolModel::bitmap_quad(PoolHandle h, std::uint64_t quad_index) const {
  const PoolRecord& p = pools_.at(h);
  std::uint64_t quad = 0;
  for (std::uint64_t bit = 0; bit < 64; ++bit) {
    if (p.free_slots.count(quad_index * 64 + bit) != 0) quad |= std::uint64_t{1} << bit;
  }
  return quad;
}

bool PoolModel::slot_is_live(PoolHandle h, std::uint64_t slot) const {
  const PoolRecord& p = pools_.at(h);
  return p.live && slot < p.bump && p.free_slots.count(slot) == 0;
}

PoolView PoolModel::view(PoolHandle h) const {
  const PoolRecord& p = pools_.at(h);
  PoolView v;
  v.handle = h;
  v.header = header_addr(h);
  v.start = v.header.plus(POOL_HDR_SIZE);
  v.current = v.start.plus(p.bump * p.obj_size);
  v.end = v.start.plus(p.capacity * p.obj_size);
  v.obj_size = p.obj_size;
  v.free_head = p.free_head;
  v.reserved = 0;
  v.capacity = p.capacity;
  v.bitmap_quads = ceil_div(p.capacity, 64);
  v.bitmap = v.end;
  v.free_list = walk_free_list(p);
  return v;
}

std::vector<PoolView> PoolModel::live_pools() const {
  std::vector<PoolView> views;
  for (const PoolRecord& p : pools_) {
    if (p.live) views.push_back(view(p.handle));
  }
  return views;
}

void PoolModel::forget(PoolHandle h) { pools_.at(h).live = false; }

std::vector<std::string> PoolModel::check_invariants() const {
  std::vector<std::string> bad;
  for (const PoolRecord& p : pools_) {
    if (!p.live) continue;
    const std::string name = "pool " + std::to_string(p.handle);
    if (p.obj_size < POOL_MIN_OBJ || p.obj_size % POOL_ALIGN != 0)
      bad.push_back(name + ": obj_size is not a multiple of 8 of at least 8");
    if (p.capacity == 0) bad.push_back(name + ": capacity is 0");
    if (pool_create_request(p.obj_size, p.capacity) != p.total) bad.push_back(name + ": total is not 48 + size * cap + bitmap");
    if (p.bump > p.capacity) bad.push_back(name + ": current is beyond end");
    for (const auto& [slot, link] : p.links) {
      if (slot >= p.bump) bad.push_back(name + ": a free slot was never handed out");
      if (p.free_slots.count(slot) == 0) bad.push_back(name + ": a link is kept for a slot that is not free");
    }
    if (p.links.size() != p.free_slots.size()) bad.push_back(name + ": a free slot has no link");
    // Only pool_free and pool_alloc have linked it: the list runs through
    // every free slot exactly once and ends in null.  After a write into a
    // freed object the links are whatever the program made them, which the
    // head check of pool_alloc, not this invariant, deals with.
    if (!p.link_rewritten) {
      const std::vector<std::uint64_t> list = walk_free_list(p);
      const Addr after_last = list.empty() ? p.free_head : p.links.at(list.back());
      if (list.size() != p.free_slots.size() || !after_last.is_null())
        bad.push_back(name + ": the free list does not run through every free slot once and end");
    }
    if (p.header_offset % MEM_ALIGN != 0) bad.push_back(name + ": header is not 16-byte aligned");
    const BlockRecord& block = pages_.block(p.block);
    if (!block.live) bad.push_back(name + ": its block is not live");
    if (block.owner != BlockOwner::Pool || block.owner_handle != p.handle)
      bad.push_back(name + ": its block is not marked as its own");
    if (block.page != p.page || block.offset != p.header_offset) bad.push_back(name + ": header is not at its block");
    if (block.request != p.total) bad.push_back(name + ": its block's size is not total");
  }
  return bad;
}

}  // namespace mf::model
