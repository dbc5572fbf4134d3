// Comparing the SUT's headers, page list and OS accounting with the model.

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "morph_abi.h"
#include "session_impl.h"
#include "hex_text.h"

namespace mf::runner {

namespace {

using namespace mf::layout;


const std::uint64_t* quads_at(std::uint64_t addr) { return reinterpret_cast<const std::uint64_t*>(addr); }

// Bit j set iff slots[j] is Free, for 8 slots.  SlotState values are 0, 1, 2
// and only Free (2) has bit 1, so that bit of each byte is the answer; the
// multiplication gathers bit 0 of byte j into bit 56 + j.
static_assert(static_cast<int>(model::SlotState::Free) == 2 && static_cast<int>(model::SlotState::Live) == 1 &&
              static_cast<int>(model::SlotState::NeverUsed) == 0);
std::uint8_t free_bits8(const model::SlotState* slots) {
  std::uint64_t x;
  std::memcpy(&x, slots, 8);
  const std::uint64_t m = (x >> 1) & 0x0101010101010101ull;
  return static_cast<std::uint8_t>((m * 0x0102040810204080ull) >> 56);
}

}  // namespace

std::optional<Problem> Session::Impl::check_after(const ops::Op& op, const std::array<Operand, ops::kMaxArgs>& args,
                                                  const model::Outcome& outcome) {
  if (std::optional<Problem> p = check_os_accounting()) return p;
  if (options_.full_check_every_op) return check_everything();

  const std::optional<ops::HandleKind> created = ops::created_kind(op.code);
  if (created && !outcome.pointer.is_null()) {
    const std::uint64_t addr = slots_[static_cast<std::size_t>(*created)].back().sut;
    if (*created == ops::HandleKind::pool) {
      if (std::optional<Problem> p = check_pool_bitmap(slots_[static_cast<std::size_t>(ops::HandleKind::pool)].back().object, std::nullopt)) return p;
    }
    // A new plain block holds exactly the pattern fill() wrote after the
    // SUT returned (no SUT code ran since), so only its neighbours need a
    // look; a new arena's or pool's header is the SUT's and is checked.
    if (std::optional<Problem> p = check_mem_neighbours(addr, *created == ops::HandleKind::block)) return p;
  }

  switch (op.info().effect) {
    case ops::Effect::arena_bump: {
      const std::uint32_t arena = operand_object(ops::HandleKind::arena, op, args[0]);
      if (std::optional<Problem> p = check_arena_header(arena)) return p;
      const std::size_t n = arenas_[arena].blocks.size();
      // The block before the new one is its only neighbour inside the arena.
      if (!outcome.pointer.is_null() && n >= 2) {
        if (std::optional<Problem> p = check_arena_block(arena, n - 2)) return p;
      }
      break;
    }
    case ops::Effect::arena_reset:
    case ops::Effect::arena_read:
      if (std::optional<Problem> p = check_arena_header(operand_object(ops::HandleKind::arena, op, args[0]))) {
        return p;
      }
      break;
    case ops::Effect::pool_take:
    case ops::Effect::pool_return: {
      const std::uint32_t pool = operand_object(ops::HandleKind::pool, op, args[0]);
      if (std::optional<Problem> p = check_pool_header(pool)) return p;
      const std::uint64_t obj = op.info().effect == ops::Effect::pool_take ? (outcome.pointer.is_null() ? 0 : pages_.absolute(outcome.pointer).value_or(0))
                                                              : args[1].sut;
      if (obj != 0) {
        const std::uint64_t k = (obj - pools_[pool].start()) / pools_[pool].obj_size;
        if (std::optional<Problem> p = check_pool_bitmap(pool, k)) return p;
        if (k > 0) {
          if (std::optional<Problem> p = check_pool_slot(pool, k - 1)) return p;
        }
        if (std::optional<Problem> p = check_pool_slot(pool, k + 1)) return p;
      }
      break;
    }
    case ops::Effect::ends_handle:
      if (std::optional<Problem> p = check_mem_neighbours(args[0].sut)) return p;
      break;
    case ops::Effect::write:
    case ops::Effect::copy: {
      // The written object in full (the model knows its bytes now), then its
      // neighbours; the deep check covers everything the shallow one would.
      auto next = mem_index_.upper_bound(args[0].sut);
      const bool written_checked = next != mem_index_.begin();
      if (written_checked) {
        if (std::optional<Problem> p = check_object(std::prev(next)->second, true)) return p;
      }
      if (std::optional<Problem> p = check_mem_neighbours(args[0].sut, written_checked)) return p;
      break;
    }
    case ops::Effect::none:
      break;
  }

  // The pages the op touched: its result's page, the freed block's page.
  if (outcome.kind == model::OutcomeKind::Pointer && outcome.pointer.base == model::Base::Page &&
      pages_.base_of(outcome.pointer.handle)) {
    if (std::optional<Problem> p = check_page(outcome.pointer.handle, outcome.pointer.offset)) return p;
  }
  if (outcome.freed_block) {
    const model::BlockRecord& block = model_.pages().block(*outcome.freed_block);
    if (pages_.base_of(block.page)) {
      if (std::optional<Problem> p = check_page(block.page, block.offset)) return p;
    }
  }
  if (outcome.new_page || !outcome.released_pages.empty()) return check_page_list(false);
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_arena_header(std::uint32_t arena) const {
  const ArenaObj& a = arenas_[arena];
  const model::ArenaView v = model_.arenas().view(a.handle);
  const std::uint64_t* have = quads_at(a.header);
  const std::uint64_t want[4] = {pages_.absolute(v.start).value_or(0), pages_.absolute(v.current).value_or(0),
                                 pages_.absolute(v.end).value_or(0), v.id};
  static const char* const kNames[4] = {"start", "current", "end", "id"};
  for (int i = 0; i < 4; ++i) {
    if (have[i] == want[i]) continue;
    if (i == 3) return Problem{arena_name(arena) + " header: id differs", std::to_string(want[i]), std::to_string(have[i])};
    return Problem{arena_name(arena) + " header: " + kNames[i] + " differs",
                   pages_.describe(want[i]) + " = " + hex(want[i]), pages_.describe(have[i]) + " = " + hex(have[i])};
  }
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_pool_header(std::uint32_t pool) const {
  const PoolObj& p = pools_[pool];
  const model::PoolRecord& r = model_.pools().pool(p.handle);
  const std::uint64_t start = p.header + POOL_HDR_SIZE;
  // Anything after a write into a freed object: the model's address, made
  // absolute (a Raw one is its number).
  const std::uint64_t free_head = model_.absolute(r.free_head);
  const std::uint64_t want[6] = {start, start + r.bump * r.obj_size, start + r.capacity * r.obj_size, r.obj_size,
                                 free_head, 0};
  static const char* const kNames[6] = {"start", "current", "end", "obj_size", "free head", "reserved"};
  const std::uint64_t* have = quads_at(p.header);
  for (int i = 0; i < 6; ++i) {
    if (have[i] == want[i]) continue;
    if (i == 3 || i == 5) {
      return Problem{pool_name(pool) + " header: " + kNames[i] + " differs", std::to_string(want[i]),
                     std::to_string(have[i])};
    }
    return Problem{pool_name(pool) + " header: " + kNames[i] + " differs",
                   pages_.describe(want[i]) + " = " + hex(want[i]), pages_.describe(have[i]) + " = " + hex(have[i])};
  }
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_pool_bitmap(std::uint32_t pool, std::optional<std::uint64_t> only_slot) const {
  const PoolObj& p = pools_[pool];
  const model::PoolRecord& r = model_.pools().pool(p.handle);
  const std::uint64_t* bitmap = quads_at(p.header + POOL_HDR_SIZE + r.capacity * r.obj_size);
  if (only_slot) {
    // The slot's bit and its two neighbours': an off-by-one in the SUT's bit
    // arithmetic shows up there (the whole bitmap is compared at the end).
    const std::uint64_t first = *only_slot == 0 ? 0 : *only_slot - 1;
    for (std::uint64_t k = first; k <= *only_slot + 1 && k < r.capacity; ++k) {
      const bool want = r.free_slots.count(k) != 0;
      const bool have = ((bitmap[k / 64] >> (k % 64)) & 1) != 0;
      if (want == have) continue;
      return Problem{pool_name(pool) + " bitmap: bit of slot " + std::to_string(k) + " differs",
                     want ? "1 (free)" : "0", have ? "1 (free)" : "0"};
    }
    return std::nullopt;
  }
  // free_slots is ordered, so each expected quad is built as the walk reaches
  // it (no vector of the whole bitmap per check).
  const std::uint64_t quads = (r.capacity + 63) / 64;
  auto next_free = r.free_slots.begin();
  for (std::uint64_t q = 0; q < quads; ++q) {
    std::uint64_t want = 0;
    for (; next_free != r.free_slots.end() && *next_free / 64 == q; ++next_free) {
      want |= std::uint64_t{1} << (*next_free % 64);
    }
    if (bitmap[q] != want) {
      return Problem{pool_name(pool) + " bitmap: quad " + std::to_string(q) + " differs", hex(want), hex(bitmap[q])};
    }
  }
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_page(model::PageHandle page, std::optional<std::uint64_t> block_offset) const {
  const std::uint64_t base = *pages_.base_of(page);
  const model::PageRecord& r = model_.pages().page(page);
  const std::uint64_t* have = quads_at(base);
  const bool slab = !r.large;
  const std::uint64_t want[12] = {
      have[0],  // next and prev: compared by the list walk
      have[1],
      r.timestamp,
      r.size,
      PAGE_MAGIC_VALUE,
      0,
      r.block_size,
      r.live_count,
      slab ? model_.absolute(r.free_head) : 0,  // anything, after a write into a freed block
      slab ? base + r.bump : 0,
      r.class_index,
      r.recip};
  static const char* const kNames[12] = {"next", "prev",  "timestamp", "page size", "magic", "reserved",
                                         "block size", "live", "free head", "bump", "class", "recip"};
  for (int i = 2; i < 12; ++i) {
    if (have[i] == want[i]) continue;
    const bool pointer = i == 8 || i == 9;
    return Problem{"page " + std::to_string(page) + " header: " + kNames[i] + " differs",
                   pointer ? pages_.describe(want[i]) : hex(want[i]), pointer ? pages_.describe(have[i]) : hex(have[i])};
  }
  if (slab) {
    // The open list's links: which slab mem_alloc uses next depends on them.
    const auto [next, prev] = model_.pages().open_links(page);
    const std::uint64_t want_links[2] = {next.is_null() ? 0 : pages_.base_of(next.handle).value_or(0),
                                         prev.is_null() ? 0 : pages_.base_of(prev.handle).value_or(0)};
    const std::uint64_t have_links[2] = {have[SLAB_OPEN_NEXT / 8], have[SLAB_OPEN_PREV / 8]};
    static const char* const kLinkNames[2] = {"open next", "open prev"};
    for (int i = 0; i < 2; ++i) {
      if (have_links[i] == want_links[i]) continue;
      return Problem{"page " + std::to_string(page) + " header: " + kLinkNames[i] + " differs",
                     pages_.describe(want_links[i]), pages_.describe(have_links[i])};
    }
  }
  if (slab && block_offset && *block_offset >= SLAB_BLOCKS_OFFSET && r.block_size != 0) {
    const std::uint64_t k = (*block_offset - SLAB_BLOCKS_OFFSET) / r.block_size;
    if (k < r.slots.size()) {
      const bool want_free = r.slots[k] == model::SlotState::Free;
      const std::uint8_t byte = reinterpret_cast<const std::uint8_t*>(base + PAGE_BITMAP)[k / 8];
      const bool have_free = ((byte >> (k % 8)) & 1) != 0;
      if (want_free != have_free) {
        return Problem{"page " + std::to_string(page) + " bitmap: bit of block " + std::to_string(k) + " differs",
                       want_free ? "1 (free)" : "0", have_free ? "1 (free)" : "0"};
      }
    }
  }
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_page_bitmap(model::PageHandle page) const {
  const model::PageRecord& r = model_.pages().page(page);
  if (r.large) return std::nullopt;  // a large page's bitmap bytes are user data
  const auto* have = reinterpret_cast<const std::uint8_t*>(*pages_.base_of(page) + PAGE_BITMAP);
  // Built 8 slots at a time: this runs over every page at the end of every
  // run, and a slab has up to 4057 slots.
  std::uint8_t want[PAGE_BITMAP_BYTES] = {};
  const std::uint64_t n = std::min<std::uint64_t>(r.slots.size(), PAGE_BITMAP_BYTES * 8);
  std::uint64_t k = 0;
  for (; k + 8 <= n; k += 8) want[k / 8] = free_bits8(r.slots.data() + k);
  for (; k < n; ++k) {
    if (r.slots[k] == model::SlotState::Free) want[k / 8] |= static_cast<std::uint8_t>(1u << (k % 8));
  }
  for (std::uint64_t i = 0; i < PAGE_BITMAP_BYTES; ++i) {
    if (have[i] != want[i]) {
      return Problem{"page " + std::to_string(page) + " bitmap: byte " + std::to_string(i) + " differs", hex(want[i]),
                     hex(have[i])};
    }
  }
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_page_list(bool full) const {
  const auto head = reinterpret_cast<std::uint64_t>(mem_page_list_head());
  const std::uint64_t count = mem_page_count();
  const std::vector<model::PageHandle>& list = model_.pages().list();
  if (count != list.size()) {
    return Problem{"mem_page_count differs", std::to_string(list.size()), std::to_string(count)};
  }
  std::uint64_t prev = 0;
  std::uint64_t addr = head;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::uint64_t base = *pages_.base_of(list[i]);
    if (addr != base) {
      return Problem{i == 0 ? "the page list head differs" : "the page list differs at position " + std::to_string(i),
                     "page " + std::to_string(list[i]), pages_.describe(addr)};
    }
    const std::uint64_t* have = quads_at(addr);
    if (have[1] != prev) {
      return Problem{"page " + std::to_string(list[i]) + " header: prev differs", pages_.describe(prev),
                     pages_.describe(have[1])};
    }
    if (std::optional<Problem> p = check_page(list[i], std::nullopt)) return p;
    if (full) {
      if (std::optional<Problem> p = check_page_bitmap(list[i])) return p;
    }
    prev = addr;
    addr = have[0];
  }
  if (addr != 0) return Problem{"the page list goes on after the model's last page", "null", pages_.describe(addr)};
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_os_accounting() const {
  if (!env_->anomaly().empty()) return Problem{"the SUT misused the OS", "no misuse", std::string(env_->anomaly())};
  if (const std::string open = env_->open_files(); !open.empty()) {
    return Problem{"the SUT returned with files open", "every file it opened closed", open};
  }
  const model::OsRules& rules = env_->rules();
  const model::OsModel& os = model_.os();
  if (rules.mmap_calls() != os.mmap_calls()) {
    return Problem{"the number of mmap calls differs", std::to_string(os.mmap_calls()), std::to_string(rules.mmap_calls())};
  }
  if (rules.munmap_calls() != os.munmap_calls()) {
    return Problem{"the number of munmap calls differs", std::to_string(os.munmap_calls()),
                   std::to_string(rules.munmap_calls())};
  }
  if (rules.mapped_bytes() != os.mapped_bytes()) {
    return Problem{"the bytes mapped from the OS differ", std::to_string(os.mapped_bytes()),
                   std::to_string(rules.mapped_bytes())};
  }
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_everything() {
  if (std::optional<Problem> p = check_os_accounting()) return p;
  if (std::optional<Problem> p = check_page_list(true)) return p;
  for (std::uint32_t i = 0; i < blocks_.size(); ++i) {
    if (std::optional<Problem> p = check_object({ObjKind::block, i}, true)) return p;
  }
  for (std::uint32_t i = 0; i < arenas_.size(); ++i) {
    if (std::optional<Problem> p = check_object({ObjKind::arena, i}, true)) return p;
  }
  for (std::uint32_t i = 0; i < pools_.size(); ++i) {
    if (std::optional<Problem> p = check_object({ObjKind::pool, i}, true)) return p;
  }
  std::vector<std::string> broken = model_.check_invariants();
  if (!broken.empty()) return Problem{"the model breaks its own invariants (a model bug)", "none", broken.front()};
  return std::nullopt;
}

}  // namespace mf::runner
