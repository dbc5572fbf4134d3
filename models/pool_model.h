// pool_model.h - the pool allocator of docs/spec.md, built on the page model:
// pool_create calls mem_alloc(total) with total = 48 + obj_size * capacity +
// 8 * ceil(capacity / 64); pool_destroy calls mem_free(pool, total).
//
// Slots are numbered k = 0..capacity-1 (slot k at start + k * obj_size).
// Slots below `bump` have been handed out at least once; of those, the free
// ones (their bitmap bit set) are free and the rest are live objects.
//
// The free list is kept as the real pool links it, a head and one link per
// free object, rather than as a stack of slots: a write into a freed object
// (the op pool_uaf_link) can change a link, and the spec says exactly what
// pool_alloc then does with whatever the head became.  A link is a canonical
// address: null, Page + offset, or Raw (outside every live page, so outside
// the pool's slots whatever its number).
//
// A pool pointer that is NULL exits 110; one that is not the header of a live
// pool is outside the contract (Unsafe), except pool_destroy of a pointer
// whose 48 header bytes lie in a live page and that is not a live block at all,
// which exits 111 through the spec's mem_free.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "addr.h"
#include "outcome.h"
#include "page_model.h"

namespace mf::model {

struct PoolRecord {
  PoolHandle handle = 0;
  BlockHandle block = 0;
  PageHandle page = 0;
  std::uint64_t header_offset = 0;  // in the page
  std::uint64_t obj_size = 0;       // rounded
  std::uint64_t capacity = 0;
  std::uint64_t total = 0;          // the size given to mem_alloc
  std::uint64_t bump = 0;           // slots handed out at least once
  Addr free_head;                         // canonical; null when the list is empty
  std::map<std::uint64_t, Addr> links;    // free slot -> the address in its first 8 bytes
  std::set<std::uint64_t> free_slots;     // bit set in the bitmap
  bool link_rewritten = false;  // a pool_uaf_link hit it: the list may no longer hold every free slot
  bool live = true;
};

// The header as the real pool must hold it.  The bitmap (bitmap_quads quads
// right after end) has bit k set iff slot k is free: PoolModel::bitmap_quad.
struct PoolView {
  PoolHandle handle = 0;
  Addr header, start, current, end;  // canonical
  std::uint64_t obj_size = 0;
  Addr free_head;                    // canonical, or null
  std::uint64_t reserved = 0;
  std::uint64_t capacity = 0;
  std::uint64_t bitmap_quads = 0;
  Addr bitmap;                       // canonical address of the first quad (= end)
  std::vector<std::uint64_t> free_list;  // slot numbers, head first, as far as the links reach free slots
};

class PoolModel {
 public:
  explicit PoolModel(PageModel& pages) : pages_(pages) {}

  Outcome create(std::uint64_t obj_size, std::uint64_t capacity);  // Pointer (new_pool) or null
  Outcome alloc(Addr pool);                                        // Pointer or null
  Outcome free(Addr pool, Addr obj);                               // Void
  Outcome destroy(Addr pool);                                      // Void
  // A use-after-free write: the program stores the address `value` in the
  // first 8 bytes of `obj`, a free object of the pool.  Void; Unsafe for a
  // write anywhere else (the contract says nothing of it).
  Outcome uaf_link(Addr pool, Addr obj, Addr value);

  std::optional<PoolHandle> live_pool_at(Addr canonical_addr) const;
  const PoolRecord& pool(PoolHandle h) const { return pools_.at(h); }
  std::uint64_t pool_total() const { return pools_.size(); }
  std::vector<PoolView> live_pools() const;
  PoolView view(PoolHandle h) const;
  Addr header_addr(PoolHandle h) const;
  Addr slot_addr(PoolHandle h, std::uint64_t slot) const;
  std::uint64_t bitmap_quad(PoolHandle h, std::uint64_t quad_index) const;
  bool slot_is_live(PoolHandle h, std::uint64_t slot) const;

  void forget(PoolHandle h);  // its block was freed by a plain mem_free

  std::vector<std::string> check_invariants() const;

 private:
  std::optional<PoolHandle> resolve(Addr pool, Outcome& failure) const;
  // The slot a canonical address names when it is a slot's start below
  // current: what pool_free and pool_alloc's head check accept before
  // looking at the bitmap.
  static std::optional<std::uint64_t> slot_at(const PoolRecord& p, Addr a);
  std::vector<std::uint64_t> walk_free_list(const PoolRecord& p) const;

  PageModel& pages_;
  std::vector<PoolRecord> pools_;
};

}  // namespace mf::model
