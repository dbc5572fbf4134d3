#include "page_model.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "checked_math.h"
#include "request_sizes.h"
#include "layout.h"
#include "size_class.h"

namespace mf::model {

using namespace mf::layout;

// ---- mem_alloc ----

Outcome PageModel::mem_alloc(std::uint64_t n) {
  std::optional<SizeClass> cls = size_class_of(n);
  if (!cls) return Outcome::null_ptr();  // 0 or oversize: no system call
  if (!cls->small) return alloc_large(n);
  return alloc_small(n, cls->index, cls->block_size);
}

bool PageModel::reserve_page_map() {
  if (2 * (list_.size() + 1) <= map_slots_) return true;
  const std::uint64_t slots = std::max<std::uint64_t>(PAGE_MAP_MIN_SLOTS, 2 * map_slots_);
  if (!os_.mmap(slots * 8)) return false;
  // The old table goes back after the move; a refused unmap leaks it.
  if (map_slots_ != 0 && !os_.munmap(map_slots_ * 8)) leaked_map_bytes_ += map_slots_ * 8;
  map_slots_ = slots;
  return true;
}

std::optional<PageHandle> PageModel::page_becomes_live(std::uint64_t size, bool slab) {
  if (!reserve_page_map()) return std::nullopt;
  std::vector<PageHandle>* kept = nullptr;
  if (slab) {
    kept = &kept_slabs_;
  } else if (auto it = kept_large_.find(size); it != kept_large_.end()) {
    kept = &it->second;
  }
  PageRecord page;
  page.handle = pages_.size();
  page.size = size;
  if (kept != nullptr && !kept->empty()) {
    // Its next life: same mapping, timestamp and contents, a new record.
    PageRecord& old = pages_[kept->back()];
    kept->pop_back();
    kept_bytes_ -= size;
    old.kept = false;
    page.base = old.base;
    page.base_bound = old.base_bound;
    page.timestamp = old.timestamp;
    page.memory = std::move(old.memory);
  } else {
    std::optional<std::uint64_t> base = os_.mmap(size);
    if (!base) return std::nullopt;
    page.base = *base;
    page.timestamp = static_cast<std::uint64_t>(os_.time());
  }
  pages_.push_back(std::move(page));
  list_.insert(list_.begin(), pages_.back().handle);
  live_bytes_ += size;
  return pages_.back().handle;
}

BlockHandle PageModel::add_block(PageHandle page, std::uint64_t offset, std::uint64_t request) {
  BlockRecord block;
  block.handle = blocks_.size();
  block.page = page;
  block.offset = offset;
  block.request = request;
  blocks_.push_back(block);
  return block.handle;
}

Outcome PageModel::alloc_large(std::uint64_t n) {
  std::optional<PageHandle> mapped = page_becomes_live(mem_new_page_size(n), false);
  if (!mapped) return Outcome::null_ptr();
  PageRecord& page = pages_[*mapped];
  page.large = true;
  page.block_size = *round_up(n, MEM_ALIGN);
  page.live_count = 1;
  page.class_index = PAGE_CLASS_LARGE;

  page.large_block = add_block(page.handle, LARGE_USER_OFFSET, n);

  Outcome out = Outcome::ptr(Addr::page(page.handle, LARGE_USER_OFFSET));
  out.new_page = page.handle;
  out.new_block = page.large_block;
  return out;
}

bool PageModel::has_free_block(const PageRecord& slab) const {
  return !slab.free_head.is_null() || slab.bump + slab.block_size <= SLAB_SIZE;
}

Outcome PageModel::alloc_small(std::uint64_t n, std::uint64_t class_index,
                               std::uint64_t block_size) {
  std::vector<PageHandle>& open = open_[class_index];
  std::optional<PageHandle> new_page;
  if (open.empty()) {
    new_page = page_becomes_live(SLAB_SIZE, true);
    if (!new_page) return Outcome::null_ptr();  // nothing else changed
    PageRecord& slab = pages_[*new_page];
    slab.block_size = block_size;
    slab.class_index = class_index;
    slab.recip = slab_recip(block_size);
    slab.bump = SLAB_BLOCKS_OFFSET;
    std::uint64_t count = slab_block_count(block_size);
    slab.slots.assign(count, SlotState::NeverUsed);
    slab.slot_block.assign(count, 0);
    open.push_back(*new_page);
  }

  PageRecord& slab = pages_[open.front()];
  std::uint64_t offset = 0;
  if (!slab.free_head.is_null()) {
    // LIFO: the last freed block first.  Only a write into a freed block
    // makes the head anything but a free block of this slab; the check
    // comes before anything changes (a new slab has no head to check).
    const std::optional<std::uint64_t> head = free_block_at(slab, slab.free_head);
    if (!head) {
      return Outcome::exit(MF_EXIT_BOUNDS, "mem_alloc: the free head " + to_string(slab.free_head) +
                                               " is not a free block of its slab (memory written after it was freed)");
    }
    offset = *head;
    slab.free_head = slab.links.at(offset);
    slab.links.erase(offset);
  } else {
    offset = slab.bump;
    slab.bump += block_size;
  }
  std::uint64_t slot = (offset - SLAB_BLOCKS_OFFSET) / block_size;
  slab.slots[slot] = SlotState::Live;
  ++slab.live_count;
  if (!has_free_block(slab)) open.erase(open.begin());  // full: no longer open

  slab.slot_block[slot] = add_block(slab.handle, offset, n);

  Outcome result = Outcome::ptr(Addr::page(slab.handle, offset));
  result.new_page = new_page;
  result.new_block = slab.slot_block[slot];
  return result;
}

// ---- mem_free ----

std::optional<BlockHandle> PageModel::live_block_at(PageHandle h, std::uint64_t offset) const {
  if (h >= pages_.size()) return std::nullopt;
  const PageRecord& page = pages_[h];
  if (!page.live) return std::nullopt;
  if (page.large) {
    if (offset == LARGE_USER_OFFSET) return page.large_block;
    return std::nullopt;
  }
  if (offset < SLAB_BLOCKS_OFFSET) return std::nullopt;  // header or bitmap
  if ((offset - SLAB_BLOCKS_OFFSET) % page.block_size != 0) return std::nullopt;  // interior
  std::uint64_t slot = (offset - SLAB_BLOCKS_OFFSET) / page.block_size;
  if (slot >= page.slots.size() || page.slots[slot] != SlotState::Live) return std::nullopt;
  return page.slot_block[slot];
}

std::optional<BlockHandle> PageModel::live_block_of_class(Addr p, std::uint64_t n) const {
  // A Raw address lies in no live page (canonical form), so it is no block.
  if (p.base != Base::Page) return std::nullopt;
  std::optional<BlockHandle> b = live_block_at(p.handle, p.offset);
  if (!b || !same_size_class(blocks_[*b].request, n)) return std::nullopt;
  return b;
}

Outcome PageModel::mem_free(Addr p, std::uint64_t n) {
  if (p.is_null()) return Outcome::exit(MF_EXIT_NULL, "mem_free of NULL");
  std::optional<BlockHandle> b = live_block_of_class(p, n);
  if (!b) {
    return Outcome::exit(MF_EXIT_BOUNDS, "mem_free(" + to_string(p) + ", " + std::to_string(n) +
                                             ") is not a live block of that size class");
  }
  BlockRecord& block = blocks_[*b];
  PageRecord& page = pages_[block.page];
  Outcome out;
  out.freed_block = block.handle;
  block.live = false;

  if (page.large) {
    release(page.handle, out);
    return out;
  }
  // The block's first 8 bytes now hold the old free head: an absolute
  // address the model does not predict, or 0 when the list was empty.
  const bool was_open = has_free_block(page);
  if (page.free_head.is_null()) {
    page.memory.write_quad(block.offset, 0);
  } else {
    page.memory.forget(block.offset, 8);
  }
  page.links[block.offset] = page.free_head;
  page.free_head = Addr::page(page.handle, block.offset);
  page.slots[(block.offset - SLAB_BLOCKS_OFFSET) / page.block_size] = SlotState::Free;
  --page.live_count;
  std::vector<PageHandle>& open = open_[page.class_index];
  if (!was_open) {
    // It was full (so it still has live blocks): it opens, first.  An empty
    // first slab before it is released: only the first may be empty.
    std::optional<PageHandle> empty_first;
    if (!open.empty() && pages_[open.front()].live_count == 0) {
      empty_first = open.front();
      open.erase(open.begin());
    }
    open.insert(open.begin(), page.handle);
    if (empty_first) release(*empty_first, out);
    return out;
  }
  // An empty slab is released unless it is its class's first open slab.
  if (page.live_count == 0 && open.front() != page.handle) {
    open.erase(std::find(open.begin(), open.end(), page.handle));
    release(page.handle, out);
  }
  return out;
}

std::optional<std::uint64_t> PageModel::free_block_at(const PageRecord& slab, Addr a) {
  // The slab's block area is in its page: an address elsewhere is outside
  // it whatever the real addresses are.
  if (a.base != Base::Page || a.handle != slab.handle) return std::nullopt;
  if (a.offset < SLAB_BLOCKS_OFFSET || a.offset >= slab.bump) return std::nullopt;
  if ((a.offset - SLAB_BLOCKS_OFFSET) % slab.block_size != 0) return std::nullopt;
  if (slab.slots[(a.offset - SLAB_BLOCKS_OFFSET) / slab.block_size] != SlotState::Free) return std::nullopt;
  return a.offset;
}

Outcome PageModel::mem_uaf_link(Addr block, Addr value) {
  const bool in_slab = block.base == Base::Page && block.handle < pages_.size() && pages_[block.handle].live &&
                       !pages_[block.handle].large;
  if (!in_slab || !free_block_at(pages_[block.handle], block))
    return Outcome::unsafe("mem_uaf_link: " + to_string(block) + " is not a free block of a live slab");
  PageRecord& slab = pages_[block.handle];
  if (value.is_null()) {
    slab.memory.write_quad(block.offset, 0);
  } else {
    slab.memory.forget(block.offset, 8);  // an absolute address
  }
  slab.links[block.offset] = value;
  slab.link_rewritten = true;
  return Outcome::nothing();
}

void PageModel::release(PageHandle h, Outcome& outcome) {
  PageRecord& page = pages_[h];
  list_.erase(std::find(list_.begin(), list_.end(), h));
  page.live = false;
  live_bytes_ -= page.size;
  outcome.released_pages.push_back(h);
  const std::uint64_t kept_with_it = kept_bytes_ + page.size;
  const bool keep = page.size <= MEM_KEEP_MAX_BYTES &&
                    (kept_with_it <= MEM_KEEP_FLOOR || kept_with_it <= live_bytes_ >> MEM_KEEP_SHIFT);
  if (keep) {
    page.kept = true;
    kept_bytes_ += page.size;
    (page.large ? kept_large_[page.size] : kept_slabs_).push_back(h);
    return;
  }
  // A refused munmap leaks the memory; the page is unlinked all the same.
  if (!os_.munmap(page.size)) page.leaked = true;
}

// ---- mem_trim ----

void PageModel::unmap_kept(PageHandle h, std::uint64_t& released) {
  PageRecord& page = pages_[h];
  page.kept = false;
  if (os_.munmap(page.size)) {
    released += page.size;
  } else {
    page.leaked = true;
  }
}

Outcome PageModel::mem_trim() {
  std::uint64_t released = 0;
  for (auto it = kept_slabs_.rbegin(); it != kept_slabs_.rend(); ++it) unmap_kept(*it, released);
  kept_slabs_.clear();
  for (auto& [size, stack] : kept_large_) {  // by increasing size
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) unmap_kept(*it, released);
  }
  kept_large_.clear();
  kept_bytes_ = 0;
  if (list_.empty() && map_slots_ != 0) {
    const std::uint64_t bytes = map_slots_ * 8;
    map_slots_ = 0;
    if (os_.munmap(bytes)) {
      released += bytes;
    } else {
      leaked_map_bytes_ += bytes;
    }
  }
  return Outcome::value(released);
}

bool PageModel::readable(Addr a, std::uint64_t n) const {
  if (a.base != Base::Page || a.handle >= pages_.size()) return false;
  const PageRecord& page = pages_[a.handle];
  return page.live && a.offset <= page.size && n <= page.size - a.offset;
}

// ---- views ----

Outcome PageModel::page_list_head() const {
  if (list_.empty()) return Outcome::null_ptr();
  return Outcome::ptr(Addr::page(list_.front()));
}

Outcome PageModel::page_count() const { return Outcome::value(list_.size()); }

std::pair<Addr, Addr> PageModel::open_links(PageHandle h) const {
  const PageRecord& page = pages_.at(h);
  std::pair<Addr, Addr> links{Addr::null(), Addr::null()};
  if (page.large || !page.live) return links;
  const std::vector<PageHandle>& open = open_[page.class_index];
  auto on = std::find(open.begin(), open.end(), h);
  if (on == open.end()) return links;
  if (std::next(on) != open.end()) links.first = Addr::page(*std::next(on));
  if (on != open.begin()) links.second = Addr::page(*std::prev(on));
  return links;
}

PageView PageModel::view(PageHandle h) const {
  const PageRecord& page = pages_.at(h);
  auto at = std::find(list_.begin(), list_.end(), h);
  if (at == list_.end()) throw std::invalid_argument("view of a page that is not live");
  PageView v;
  v.handle = h;
  v.next = std::next(at) == list_.end() ? Addr::null() : Addr::page(*std::next(at));
  v.prev = at == list_.begin() ? Addr::null() : Addr::page(*std::prev(at));
  v.timestamp = page.timestamp;
  v.page_size = page.size;
  v.magic = PAGE_MAGIC_VALUE;
  v.reserved = 0;
  v.block_size = page.block_size;
  v.live = page.live_count;
  v.class_index = page.class_index;
  v.recip = page.recip;
  if (page.large) {
    v.free_head = Addr::null();
    v.bump = Addr::null();
    return v;
  }
  v.free_head = page.free_head;
  v.bump = Addr::page(h, page.bump);
  std::tie(v.open_next, v.open_prev) = open_links(h);
  v.bitmap.assign(PAGE_BITMAP_BYTES, 0);
  for (std::uint64_t k = 0; k < page.slots.size(); ++k) {
    if (page.slots[k] == SlotState::Free) v.bitmap[k / 8] |= static_cast<std::uint8_t>(1u << (k % 8));
  }
  return v;
}

std::vector<PageView> PageModel::live_pages() const {
  std::vector<PageView> views;
  for (PageHandle h : list_) views.push_back(view(h));
  return views;
}

// ---- addresses ----

Addr PageModel::canonical(Addr a) const {
  switch (a.base) {
    case Base::Raw:
      if (a.offset == 0) return a;
      for (PageHandle h : list_) {
        const PageRecord& page = pages_[h];
        if (a.offset >= page.base && a.offset - page.base < page.size) {
          return Addr::page(h, a.offset - page.base);
        }
      }
      return a;
    case Base::Page:
      if (a.handle >= pages_.size()) throw std::invalid_argument("no such page: " + to_string(a));
      return a;
    case Base::Block: {
      const BlockRecord& block = blocks_.at(a.handle);
      return Addr::page(block.page, block.offset + a.offset);
    }
    default:
      throw std::invalid_argument("PageModel cannot resolve " + to_string(a));
  }
}

std::uint64_t PageModel::absolute(Addr c) const {
  if (c.base == Base::Raw) return c.offset;
  if (c.base != Base::Page) throw std::invalid_argument("absolute() needs a canonical address");
  return pages_.at(c.handle).base + c.offset;
}

void PageModel::bind_page_base(PageHandle h, std::uint64_t base) {
  PageRecord& page = pages_.at(h);
  page.base = base;
  page.base_bound = true;
}

void PageModel::set_block_owner(BlockHandle b, BlockOwner owner, std::uint64_t owner_handle) {
  BlockRecord& block = blocks_.at(b);
  block.owner = owner;
  block.owner_handle = owner_handle;
}

}  // namespace mf::model
