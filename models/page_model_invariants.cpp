// The page allocator's structural invariants, one sentence per violation.
#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include "layout.h"
#include "page_model.h"
#include "size_class.h"

namespace mf::model {

using namespace mf::layout;

namespace {

std::string page_name(PageHandle h) { return "page " + std::to_string(h); }

struct SlotTally {
  std::uint64_t never = 0, live = 0, free = 0;
};

// How many of n slots are in each state, 8 at a time: a slot is one byte
// holding 0 (NeverUsed), 1 (Live) or 2 (Free), so bit 0 of a byte says Live,
// bit 1 says Free, and neither says NeverUsed.
static_assert(static_cast<int>(SlotState::NeverUsed) == 0 && static_cast<int>(SlotState::Live) == 1 &&
              static_cast<int>(SlotState::Free) == 2 && sizeof(SlotState) == 1);
SlotTally tally(const SlotState* slots, std::uint64_t n) {
  constexpr std::uint64_t kLow = 0x0101010101010101ull;
  SlotTally t;
  std::uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x;
    std::memcpy(&x, slots + i, 8);
    const std::uint64_t live = x & kLow;
    const std::uint64_t free = (x >> 1) & kLow;
    t.live += static_cast<std::uint64_t>(__builtin_popcountll(live));
    t.free += static_cast<std::uint64_t>(__builtin_popcountll(free));
    t.never += 8 - static_cast<std::uint64_t>(__builtin_popcountll(live | free));
  }
  for (; i < n; ++i) {
    if (slots[i] == SlotState::Live) ++t.live;
    if (slots[i] == SlotState::Free) ++t.free;
    if (slots[i] == SlotState::NeverUsed) ++t.never;
  }
  return t;
}

void check_slab(const PageRecord& page, std::vector<std::string>& bad) {
  const std::string name = page_name(page.handle);
  if (page.size != SLAB_SIZE) bad.push_back(name + ": a slab's size is not SLAB_SIZE");
  if (page.class_index >= NUM_CLASSES) {
    bad.push_back(name + ": class index out of range");
    return;
  }
  if (page.block_size != class_block_size(page.class_index))
    bad.push_back(name + ": block size does not match its class");
  if (page.recip != slab_recip(page.block_size)) bad.push_back(name + ": recip is not ceil(2^32 / block size)");
  if (page.slots.size() != slab_block_count(page.block_size))
    bad.push_back(name + ": slot count is not (SLAB_SIZE - SLAB_BLOCKS_OFFSET) / block size");
  if (page.bump < SLAB_BLOCKS_OFFSET || page.bump > SLAB_SIZE ||
      (page.bump - SLAB_BLOCKS_OFFSET) % page.block_size != 0)
    bad.push_back(name + ": bump is not a block boundary within the slab");
  const std::uint64_t used = (page.bump - SLAB_BLOCKS_OFFSET) / page.block_size;
  // A slab has up to 4058 slots and this runs at the end of every fuzz run:
  // counts 8 slots at a time first, the slot-by-slot report only when they
  // show a violation.
  const std::uint64_t below = std::min<std::uint64_t>(used, page.slots.size());
  const SlotTally before_bump = tally(page.slots.data(), below);
  const SlotTally after_bump = tally(page.slots.data() + below, page.slots.size() - below);
  if (before_bump.never != 0 || after_bump.never != page.slots.size() - below) {
    for (std::uint64_t k = 0; k < page.slots.size(); ++k) {
      if ((page.slots[k] == SlotState::NeverUsed) == (k < used))
        bad.push_back(name + ": slot " + std::to_string(k) + " is never-used iff it is at or above bump, violated");
    }
  }
  const std::uint64_t live = before_bump.live + after_bump.live;
  const std::uint64_t free = before_bump.free + after_bump.free;
  if (live != page.live_count) bad.push_back(name + ": live count differs from the number of live blocks");
  if (free != page.links.size()) bad.push_back(name + ": the number of links differs from the number of free blocks");
  for (const auto& [offset, link] : page.links) {
    const std::uint64_t k = (offset - SLAB_BLOCKS_OFFSET) / page.block_size;
    if (offset < SLAB_BLOCKS_OFFSET || (offset - SLAB_BLOCKS_OFFSET) % page.block_size != 0 ||
        k >= page.slots.size() || page.slots[k] != SlotState::Free)
      bad.push_back(name + ": a link is kept for a block that is not free");
  }
  // Only mem_free and mem_alloc have linked it: the list runs through every
  // free block exactly once and ends in null.  After a write into a freed
  // block the links are whatever the program made them, which mem_alloc's
  // check of the head, not this invariant, deals with.
  if (page.link_rewritten) return;
  // A bitmap over the slots, not a std::set node per entry: this runs at
  // the end of every fuzz run, over up to 4057 blocks.
  std::vector<bool> on_list(page.slots.size(), false);
  std::uint64_t listed = 0;
  Addr at = page.free_head;
  for (; !at.is_null(); ++listed) {
    const std::optional<std::uint64_t> offset = PageModel::free_block_at(page, at);
    if (!offset) break;
    const std::uint64_t k = (*offset - SLAB_BLOCKS_OFFSET) / page.block_size;
    if (on_list[k]) break;
    on_list[k] = true;
    at = page.links.at(*offset);
  }
  if (!at.is_null() || listed != free)
    bad.push_back(name + ": the free list does not run through every free block once and end");
}

void check_large(const PageRecord& page, std::vector<std::string>& bad) {
  const std::string name = page_name(page.handle);
  if (page.class_index != PAGE_CLASS_LARGE) bad.push_back(name + ": a large page's class is not PAGE_CLASS_LARGE");
  if (page.live_count != 1) bad.push_back(name + ": a large page's live count is not 1");
  if (page.block_size % MEM_ALIGN != 0 || page.block_size <= SMALL_MAX)
    bad.push_back(name + ": a large page's block size is not a large Round16");
  if (page.size != large_page_size(page.block_size))
    bad.push_back(name + ": a large page's size is not Round4096(0x60 + block size)");
  if (!page.free_head.is_null() || !page.links.empty() || page.bump != 0 || page.recip != 0)
    bad.push_back(name + ": a large page has slab fields");
}

}  // namespace

std::vector<std::string> PageModel::check_invariants() const {
  std::vector<std::string> bad;

  // A flag per page rather than a std::set: this runs at the end of every run.
  std::vector<bool> listed(pages_.size(), false);
  for (PageHandle h : list_) {
    if (h >= pages_.size()) {
      bad.push_back("the list holds an unknown page");
      continue;
    }
    if (listed[h]) bad.push_back(page_name(h) + " is on the list twice");
    listed[h] = true;
    if (!pages_[h].live) bad.push_back(page_name(h) + " is on the list but not live");
  }
  // New pages go to the head, so the list runs from the newest handle down.
  if (!std::is_sorted(list_.rbegin(), list_.rend())) bad.push_back("the list is not newest-first");

  std::uint64_t still_mapped = 0, kept = 0;
  for (const PageRecord& page : pages_) {
    if (page.live && (page.handle >= listed.size() || !listed[page.handle]))
      bad.push_back(page_name(page.handle) + " is live but not listed");
    if (static_cast<int>(page.live) + static_cast<int>(page.leaked) + static_cast<int>(page.kept) > 1)
      bad.push_back(page_name(page.handle) + " is more than one of live, leaked and kept");
    if (page.live || page.leaked || page.kept) still_mapped += page.size;
    if (page.kept) kept += page.size;
    if (!page.live) continue;
    if (page.large) {
      check_large(page, bad);
      continue;
    }
    check_slab(page, bad);
    const std::vector<PageHandle>& open = open_[page.class_index];
    const bool on_open_list = std::find(open.begin(), open.end(), page.handle) != open.end();
    if (on_open_list != has_free_block(page))
      bad.push_back(page_name(page.handle) + " is on its class's open list iff it has a free block, violated");
    if (page.live_count == 0 && (open.empty() || open.front() != page.handle))
      bad.push_back(page_name(page.handle) + ": an empty slab that is not its class's first open slab is still live");
  }
  if (kept != kept_bytes_) bad.push_back("the kept pages' sizes do not add up to the kept bytes");
  // Model::check_invariants adds the exact balance (pages + page map + alternate stack).
  if (still_mapped + page_map_bytes() > os_.mapped_bytes())
    bad.push_back("the OS has fewer bytes mapped than the live, kept and leaked pages and the page map");
  if (2 * list_.size() > map_slots_ && !list_.empty()) bad.push_back("the page map is more than half full");

  for (std::uint64_t c = 0; c < open_.size(); ++c) {
    for (PageHandle h : open_[c]) {
      const PageRecord& page = pages_[h];
      if (!page.live || page.large || page.class_index != c)
        bad.push_back("the open list of class " + std::to_string(c) + " holds a page that is not a live slab of it");
    }
  }

  // Every live block sits in a live slot of its page, and no two live blocks
  // share a slot (slots of one page never overlap).
  // Sorting the positions settles the usual case (no two alike) without a
  // std::set node per block; the set below names the duplicates, if any.
  std::vector<std::pair<PageHandle, std::uint64_t>> positions;
  for (const BlockRecord& block : blocks_) {
    if (block.live) positions.emplace_back(block.page, block.offset);
  }
  std::sort(positions.begin(), positions.end());
  const bool shared_slot = std::adjacent_find(positions.begin(), positions.end()) != positions.end();
  std::set<std::pair<PageHandle, std::uint64_t>> live_positions;
  std::uint64_t live_blocks = 0;
  for (const BlockRecord& block : blocks_) {
    if (!block.live) continue;
    ++live_blocks;
    if (shared_slot && !live_positions.insert({block.page, block.offset}).second)
      bad.push_back("two live blocks at " + to_string(Addr::page(block.page, block.offset)));
    if (live_block_at(block.page, block.offset) != block.handle)
      bad.push_back("block " + std::to_string(block.handle) + " is live but its page does not hold it");
    if (block.offset % MEM_ALIGN != 0) bad.push_back("block " + std::to_string(block.handle) + " is not 16-byte aligned");
  }
  std::uint64_t counted = 0;
  for (PageHandle h : list_) counted += pages_[h].live_count;
  if (counted != live_blocks) bad.push_back("the pages' live counts do not add up to the live blocks");

  // Live mappings never overlap in the address space (after binding too).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  for (PageHandle h : list_) ranges.push_back({pages_[h].base, pages_[h].size});
  std::sort(ranges.begin(), ranges.end());
  for (std::size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i - 1].first + ranges[i - 1].second > ranges[i].first) bad.push_back("two live pages overlap in memory");
  }
  return bad;
}

}  // namespace mf::model
