// arena_model.h - the arena allocator of docs/spec.md, built on the page
// model exactly as the spec says: arena_create calls mem_alloc(32 + size),
// arena_destroy calls mem_free(arena, 32 + capacity).
//
// Arena functions take the arena pointer as a canonical address.  NULL exits
// 110.  Any other pointer that is not the header of a live arena is outside
// the contract: Unsafe, except arena_destroy of a pointer whose 32 header
// bytes lie in a live page and that is not a live block at all (e.g. a second
// destroy), where the spec's mem_free exits 111 whatever the header holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "addr.h"
#include "outcome.h"
#include "page_model.h"

namespace mf::model {

struct ArenaRecord {
  ArenaHandle handle = 0;
  BlockHandle block = 0;  // the mem_alloc block holding header and data
  PageHandle page = 0;
  std::uint64_t header_offset = 0;  // in the page
  std::uint64_t capacity = 0;       // end - start
  std::uint64_t used = 0;           // current - start
  std::uint64_t id = 0;
  bool live = true;
};

// The header as the real arena must hold it.
struct ArenaView {
  ArenaHandle handle = 0;
  Addr header, start, current, end;  // canonical
  std::uint64_t id = 0;
};

class ArenaModel {
 public:
  explicit ArenaModel(PageModel& pages) : pages_(pages) {}

  Outcome create(std::uint64_t size);             // Pointer (new_arena) or null
  Outcome alloc(Addr arena, std::uint64_t n);     // Pointer or null
  Outcome reset(Addr arena);                      // Void
  Outcome usage(Addr arena) const;                // Number
  Outcome capacity(Addr arena) const;             // Number
  Outcome destroy(Addr arena);                    // Void

  // The live arena whose header is at the canonical address, if any.
  std::optional<ArenaHandle> live_arena_at(Addr canonical_addr) const;
  const ArenaRecord& arena(ArenaHandle h) const { return arenas_.at(h); }
  std::uint64_t arena_total() const { return arenas_.size(); }
  std::vector<ArenaView> live_arenas() const;
  ArenaView view(ArenaHandle h) const;
  Addr header_addr(ArenaHandle h) const;

  // Its block was freed behind its back (a plain mem_free of the header).
  void forget(ArenaHandle h);

  std::vector<std::string> check_invariants() const;

 private:
  // 110 for NULL, Unsafe for a non-arena, else the handle.
  std::optional<ArenaHandle> resolve(Addr arena, Outcome& failure) const;

  PageModel& pages_;
  std::vector<ArenaRecord> arenas_;
  std::uint64_t next_id_ = 1;
};

}  // namespace mf::model
