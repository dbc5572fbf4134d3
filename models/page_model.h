// page_model.h - the page allocator of docs/spec.md (mem_alloc, mem_free,
// mem_page_list_head, mem_page_count), page by page and block by block.
//
// Every life of a page is a PageRecord, kept forever (handle = index): a page
// taken back from the kept pages gets a new record with the same base.  A
// live page is on the list (head first, pages inserted at the head).  A
// slab's blocks are slots 0..count-1 at SLAB_BLOCKS_OFFSET + k * block size,
// each never used, live or free; its free list is LIFO, kept as the slab
// links it (a head and each free block's link) so that a write into a freed
// block (mem_uaf_link) can change a link as it would change the real one,
// and mem_alloc's check of the head is the spec's.  All positions
// inside a page (free head, bump, blocks) are offsets from the page's first
// byte.  Per class, the open list holds the slabs with a free block, first
// first; kept pages wait on their stacks; the page map is modelled by its
// size only (its mmap and munmap calls are the contract's).
//
// Operations take canonical addresses (Raw or Page form; see addr.h and
// Model::canonical) and never change anything when they return an Exit.
#pragma once

#include <array>
#include <map>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "addr.h"
#include "layout.h"
#include "os_model.h"
#include "outcome.h"
#include "page_memory.h"

namespace mf::model {

enum class SlotState : std::uint8_t { NeverUsed, Live, Free };

// Who the block's memory serves: a plain mem_alloc caller, or the header (and
// data) of an arena or a pool built on it.
enum class BlockOwner : std::uint8_t { User, Arena, Pool };

struct BlockRecord {
  BlockHandle handle = 0;
  PageHandle page = 0;
  std::uint64_t offset = 0;   // of the block in its page
  std::uint64_t request = 0;  // the n given to mem_alloc
  bool live = true;
  BlockOwner owner = BlockOwner::User;
  std::uint64_t owner_handle = 0;  // arena or pool handle when owner != User
};

struct PageRecord {
  PageHandle handle = 0;
  bool live = true;     // on the list
  bool leaked = false;  // unlinked but munmap failed: still mapped, never used
  bool kept = false;    // unlinked, still mapped, waiting for reuse
  std::uint64_t base = 0;  // absolute address: placeholder until bound
  bool base_bound = false;
  std::uint64_t timestamp = 0;
  std::uint64_t size = 0;  // bytes of the mapping
  bool large = false;
  std::uint64_t block_size = 0;
  std::uint64_t live_count = 0;
  std::uint64_t class_index = 0;
  std::uint64_t recip = 0;
  // Slab only:
  std::uint64_t bump = 0;                   // offset of the first never-used block
  Addr free_head;                            // canonical; null when the list is empty
  std::map<std::uint64_t, Addr> links;      // free block's offset -> the address in its first 8 bytes
  bool link_rewritten = false;              // a mem_uaf_link hit it: the list may skip free blocks
  std::vector<SlotState> slots;             // one per block
  std::vector<BlockHandle> slot_block;      // handle of each slot's latest block
  // Large only:
  BlockHandle large_block = 0;
  PageMemory memory;
};

// A live page's header and extension as the real page must hold them;
// pointer fields are canonical addresses (page + offset, or null).
struct PageView {
  PageHandle handle = 0;
  Addr next, prev;
  std::uint64_t timestamp = 0;
  std::uint64_t page_size = 0;
  std::uint64_t magic = 0;
  std::uint64_t reserved = 0;
  std::uint64_t block_size = 0;
  std::uint64_t live = 0;
  Addr free_head;
  Addr bump;  // null for a large page
  Addr open_next, open_prev;  // slab: its neighbours on its class's open list
  std::uint64_t class_index = 0;
  std::uint64_t recip = 0;
  std::vector<std::uint8_t> bitmap;  // slab: PAGE_BITMAP_BYTES bytes; large: empty
};

class PageModel {
 public:
  explicit PageModel(OsModel& os) : os_(os) {}

  // The spec's operations.  Results: mem_alloc -> Pointer (with new_block,
  // and new_page when a page became live: mapped, or taken back from the
  // kept pages); mem_free -> Void or Exit 110/111; mem_trim -> Number;
  // page_list_head -> Pointer; page_count -> Number.
  Outcome mem_alloc(std::uint64_t n);
  Outcome mem_free(Addr p, std::uint64_t n);
  Outcome mem_trim();
  // A use-after-free write: the program stores the address `value` in the
  // first 8 bytes of `block`, a free block of a live slab.  Void; Unsafe for
  // a write anywhere else (the contract says nothing of it).
  Outcome mem_uaf_link(Addr block, Addr value);
  Outcome page_list_head() const;
  Outcome page_count() const;

  // State, for the runner's comparisons and for the models built on top.
  const std::vector<PageHandle>& list() const { return list_; }  // head first
  std::vector<PageView> live_pages() const;                       // list order
  PageView view(PageHandle h) const;
  const PageRecord& page(PageHandle h) const { return pages_.at(h); }
  std::uint64_t page_total() const { return pages_.size(); }
  const BlockRecord& block(BlockHandle h) const { return blocks_.at(h); }
  std::uint64_t block_total() const { return blocks_.size(); }
  // A live slab's neighbours on its class's open list (next, prev): null
  // where there is none, both null when the slab is not open.
  std::pair<Addr, Addr> open_links(PageHandle h) const;
  // The open list of a small class, first first.
  const std::vector<PageHandle>& open_slabs(std::uint64_t class_index) const { return open_.at(class_index); }
  std::uint64_t kept_bytes() const { return kept_bytes_; }
  // Bytes the OS has mapped for the page map: its table and leaked old tables.
  std::uint64_t page_map_bytes() const { return map_slots_ * 8 + leaked_map_bytes_; }

  // The offset a canonical address names when it is a free block of the
  // slab (in its block area, below bump, on a block boundary, free): what
  // mem_alloc's check of the free head accepts.
  static std::optional<std::uint64_t> free_block_at(const PageRecord& slab, Addr a);
  // The live block whose pointer is page + offset, if any (any size class).
  std::optional<BlockHandle> live_block_at(PageHandle page, std::uint64_t offset) const;
  // True when [a, a + n) (canonical) lies inside one live page, i.e. reading
  // it cannot fault.
  bool readable(Addr a, std::uint64_t n) const;

  // Addresses: Raw/Page/Block forms to canonical; canonical to absolute.
  Addr canonical(Addr a) const;
  std::uint64_t absolute(Addr canonical_addr) const;
  void bind_page_base(PageHandle h, std::uint64_t base);

  PageMemory& memory(PageHandle h) { return pages_.at(h).memory; }
  const PageMemory& memory(PageHandle h) const { return pages_.at(h).memory; }
  void set_block_owner(BlockHandle b, BlockOwner owner, std::uint64_t owner_handle);

  // Every violated structural invariant, one sentence each; empty when sound.
  std::vector<std::string> check_invariants() const;

 private:
  Outcome alloc_large(std::uint64_t n);
  Outcome alloc_small(std::uint64_t n, std::uint64_t class_index, std::uint64_t block_size);
  // A page of `size` bytes becomes live at the head of the list: the page
  // map grows if it must, then the most recently kept page of its kind
  // (slab, or large of that size) is taken back, else one is mapped.
  // nullopt when the OS refuses.
  std::optional<PageHandle> page_becomes_live(std::uint64_t size, bool slab);
  bool reserve_page_map();
  // A new live block record of `request` bytes at `offset` in `page`.
  BlockHandle add_block(PageHandle page, std::uint64_t offset, std::uint64_t request);
  // A live page leaves the list, then is kept or unmapped.
  void release(PageHandle h, Outcome& outcome);
  void unmap_kept(PageHandle h, std::uint64_t& released);
  bool has_free_block(const PageRecord& slab) const;
  std::optional<BlockHandle> live_block_of_class(Addr p, std::uint64_t n) const;

  OsModel& os_;
  std::vector<PageRecord> pages_;
  std::vector<BlockRecord> blocks_;
  std::vector<PageHandle> list_;
  std::array<std::vector<PageHandle>, layout::NUM_CLASSES> open_{};  // per small class, first first
  std::vector<PageHandle> kept_slabs_;                          // back = most recently kept
  std::map<std::uint64_t, std::vector<PageHandle>> kept_large_;  // by size; back = most recent
  std::uint64_t live_bytes_ = 0;
  std::uint64_t kept_bytes_ = 0;
  std::uint64_t map_slots_ = 0;  // 0: no table mapped
  std::uint64_t leaked_map_bytes_ = 0;
};

}  // namespace mf::model
