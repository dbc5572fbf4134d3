// The runner's objects: binding new handles and pages, killing what an op
// freed, and the integrity pattern of every live block.

#include <cstdio>
#include <cstring>

#include "morph_abi.h"
#include "pattern.h"
#include "session_impl.h"
#include "hex_text.h"

namespace mf::runner {

namespace {



std::uint8_t* bytes_at(std::uint64_t addr) { return reinterpret_cast<std::uint8_t*>(addr); }

template <typename T>
void set_at(std::vector<T>& v, std::size_t i, const T& value) {
  if (v.size() <= i) v.resize(i + 1);
  v[i] = value;
}

}  // namespace

std::string Session::Impl::arena_name(std::uint32_t arena) const { return "a" + std::to_string(arenas_[arena].slot); }
std::string Session::Impl::pool_name(std::uint32_t pool) const { return "p" + std::to_string(pools_[pool].slot); }
std::string Session::Impl::block_name(std::uint32_t block) const { return "m" + std::to_string(blocks_[block].slot); }

model::Addr Session::Impl::model_addr_of(std::uint64_t sut) const {
  return pages_.locate(sut).value_or(model::Addr::raw(sut));
}

std::optional<Problem> Session::Impl::bind_new_page(model::PageHandle page) {
  const auto head = reinterpret_cast<std::uint64_t>(mem_page_list_head());
  const std::uint64_t size = model_.pages().page(page).size;
  if (head == 0 || pages_.is_bound_base(head)) {
    return Problem{"the model maps a new page here, but the SUT's list head is not a new page",
                   "a new page " + std::to_string(page) + " of " + std::to_string(size) + " bytes at the head",
                   "head " + pages_.describe(head)};
  }
  // A page taken back from the kept pages must be the one the model names.
  const model::PageRecord& record = model_.pages().page(page);
  if (record.base_bound && head != record.base) {
    return Problem{"the SUT took back another kept page than the contract's",
                   "page " + std::to_string(page) + " at " + hex(record.base), "head " + pages_.describe(head)};
  }
  if (!env_->is_live_mapping(head, size)) {
    return Problem{"the SUT's new list head is not a mapping of the page's size",
                   std::to_string(size) + " mapped bytes at the head", "head " + hex(head)};
  }
  pages_.bind(page, head, size);
  model_.bind_page_base(page, head);
  return std::nullopt;
}

std::optional<Problem> Session::Impl::apply_effects(const ops::Op& op, const std::array<Operand, ops::kMaxArgs>& args,
                                                    const model::Outcome& outcome, const SutOutcome& actual) {
  const std::uint64_t seed = pattern_seed(op_index_, static_cast<std::uint64_t>(op.code));
  if (std::optional<ops::HandleKind> kind = ops::created_kind(op.code)) {
    std::vector<Slot>& slots = slots_[static_cast<std::size_t>(*kind)];
    Slot slot;
    const auto slot_index = static_cast<std::uint32_t>(slots.size());
    if (actual.value != 0) {
      slot.null = false;
      slot.sut = actual.value;
      slot.model = outcome.pointer;
      ObjRef ref;
      const model::BlockHandle model_block = outcome.new_block.value_or(0);
      if (*kind == ops::HandleKind::block) {
        BlockObj block;
        block.addr = actual.value;
        block.size = args[0].sut;
        block.seed = seed;
        block.model = outcome.pointer;
        block.slot = slot_index;
        ref = {ObjKind::block, static_cast<std::uint32_t>(blocks_.size())};
        blocks_.push_back(block);
        fill(block.addr, block.size, block.seed, block.model);
      } else if (*kind == ops::HandleKind::arena) {
        ArenaObj arena;
        arena.header = actual.value;
        arena.capacity = args[0].sut;
        arena.handle = *outcome.new_arena;
        arena.page = outcome.pointer.handle;
        arena.header_offset = outcome.pointer.offset;
        arena.slot = slot_index;
        ref = {ObjKind::arena, static_cast<std::uint32_t>(arenas_.size())};
        set_at(arena_by_model_, arena.handle, ref.index);
        arenas_.push_back(std::move(arena));
      } else {
        PoolObj pool;
        pool.header = actual.value;
        pool.handle = *outcome.new_pool;
        pool.obj_size = model_.pools().pool(pool.handle).obj_size;
        pool.capacity = args[1].sut;
        pool.page = outcome.pointer.handle;
        pool.header_offset = outcome.pointer.offset;
        pool.slot = slot_index;
        ref = {ObjKind::pool, static_cast<std::uint32_t>(pools_.size())};
        set_at(pool_by_model_, pool.handle, ref.index);
        pools_.push_back(std::move(pool));
      }
      slot.object = ref.index;
      set_at(by_model_block_, model_block, ref);
      mem_index_[actual.value] = ref;
    }
    slots.push_back(slot);
  }

  switch (op.info().effect) {
    case ops::Effect::arena_bump:
      if (actual.value != 0) {
        ArenaObj& arena = arenas_[operand_object(ops::HandleKind::arena, op, args[0])];
        ArenaBlock block{actual.value - arena.start(), args[1].sut, seed, false};
        arena.blocks.push_back(block);
        fill(actual.value, block.size, seed, outcome.pointer);
      }
      break;
    case ops::Effect::arena_reset:
      arenas_[operand_object(ops::HandleKind::arena, op, args[0])].blocks.clear();
      break;
    case ops::Effect::pool_take:
      if (actual.value != 0) {
        const std::uint32_t index = operand_object(ops::HandleKind::pool, op, args[0]);
        PoolObj& pool = pools_[index];
        const std::uint64_t k = (actual.value - pool.start()) / pool.obj_size;
        // The contract zero-fills the whole object: check before our pattern hides it.
        if (std::optional<Problem> p = check_zero([&] { return pool_name(index) + " object " + std::to_string(k); }, actual.value,
                                                  pool.obj_size)) {
          return p;
        }
        set_at(pool.seeds, k, seed);
        set_at(pool.dirty, k, std::uint8_t{0});
        fill(actual.value, pool.obj_size, seed, outcome.pointer);
      }
      break;
    case ops::Effect::pool_return: {
      PoolObj& pool = pools_[operand_object(ops::HandleKind::pool, op, args[0])];
      const std::uint64_t k = (args[1].sut - pool.start()) / pool.obj_size;
      if (k < pool.seeds.size()) pool.seeds[k] = 0;
      if (k < pool.dirty.size()) pool.dirty[k] = 0;
      break;
    }
    case ops::Effect::write:
      mark_dirty(model_.canonical(args[0].model), op.info().width);
      break;
    case ops::Effect::copy: {
      const std::uint64_t length = args[op.info().arity - 1].sut;
      if (length != 0) mark_dirty(model_.canonical(args[0].model), length);
      break;
    }
    case ops::Effect::none:
    case ops::Effect::arena_read:
    case ops::Effect::ends_handle:
      break;
  }
  if (outcome.freed_block) kill_model_block(*outcome.freed_block);
  for (model::PageHandle page : outcome.released_pages) pages_.unbind(page);
  return std::nullopt;
}

void Session::Impl::kill_model_block(model::BlockHandle block) {
  if (block >= by_model_block_.size() || !by_model_block_[block].valid()) return;
  const ObjRef ref = by_model_block_[block];
  by_model_block_[block] = ObjRef{};
  switch (ref.kind) {
    case ObjKind::block:
      blocks_[ref.index].live = false;
      mem_index_.erase(blocks_[ref.index].addr);
      break;
    case ObjKind::arena:
      arenas_[ref.index].live = false;
      arenas_[ref.index].blocks.clear();
      mem_index_.erase(arenas_[ref.index].header);
      break;
    case ObjKind::pool:
      pools_[ref.index].live = false;
      pools_[ref.index].seeds.clear();
      mem_index_.erase(pools_[ref.index].header);
      break;
  }
}

void Session::Impl::mark_dirty(const model::Addr& dst, std::uint64_t n) {
  std::optional<model::UserRegion> region = model_.builtins().region_containing(dst, n);
  if (!region) return;
  switch (region->kind) {
    case model::RegionKind::Block:
      if (region->handle < by_model_block_.size() && by_model_block_[region->handle].valid()) {
        blocks_[by_model_block_[region->handle].index].dirty = true;
      }
      break;
    case model::RegionKind::ArenaData: {
      if (region->handle >= arena_by_model_.size()) return;
      ArenaObj& arena = arenas_[arena_by_model_[region->handle]];
      const std::uint64_t from = dst.offset - region->start.offset;  // relative to start
      for (ArenaBlock& block : arena.blocks) {
        if (block.offset < from + n && from < block.offset + block.size) block.dirty = true;
      }
      break;
    }
    case model::RegionKind::PoolObject:
      if (region->handle < pool_by_model_.size()) set_at(pools_[pool_by_model_[region->handle]].dirty, region->slot,
                                                         std::uint8_t{1});
      break;
  }
}

void Session::Impl::fill(std::uint64_t addr, std::uint64_t size, std::uint64_t seed, const model::Addr& model_addr) {
  fill_pattern(bytes_at(addr), size, seed);
  if (!ops::target_reads_memory(target_)) return;
  // Loads must predict these bytes, so the model learns them too.
  const PatternRanges r = pattern_ranges(size);
  auto mirror = [&](std::uint64_t from, std::uint64_t to) {
    if (from >= to) return;
    scratch_.resize(to - from);
    std::memcpy(scratch_.data(), bytes_at(addr + from), to - from);
    model_.write_bytes(model_addr.plus(from), scratch_);
  };
  mirror(0, r.head_end);
  mirror(r.tail_begin, size);
}

std::optional<Problem> Session::Impl::check_block_bytes(LazyName name, std::uint64_t addr,
                                                        std::uint64_t size, std::uint64_t seed, bool dirty,
                                                        const model::Addr& model_addr) const {
  if (!dirty) {
    std::optional<std::uint64_t> bad = check_pattern(bytes_at(addr), size, seed);
    if (!bad) return std::nullopt;
    return Problem{name() + " (" + std::to_string(size) + " bytes) was overwritten at +" + std::to_string(*bad),
                   "pattern byte " + hex(pattern_byte(seed, *bad)), hex(bytes_at(addr)[*bad])};
  }
  // Written by a builtin: the model knows what it must hold.
  const PatternRanges r = pattern_ranges(size);
  for (auto [from, to] : {std::pair{std::uint64_t{0}, r.head_end}, std::pair{r.tail_begin, size}}) {
    if (from >= to) continue;
    const std::span<const std::uint8_t> have(bytes_at(addr) + from, to - from);
    if (const std::optional<std::uint64_t> i = model_.first_known_difference(model_addr.plus(from), have)) {
      const std::optional<std::uint8_t> want = model_.read_bytes(model_addr.plus(from + *i), 1)[0];
      return Problem{name() + " holds a wrong byte at +" + std::to_string(from + *i), hex(*want), hex(have[*i])};
    }
  }
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_zero(LazyName name, std::uint64_t addr,
                                                 std::uint64_t size) const {
  const PatternRanges r = pattern_ranges(size);
  for (auto [from, to] : {std::pair{std::uint64_t{0}, r.head_end}, std::pair{r.tail_begin, size}}) {
    for (std::uint64_t i = from; i < to; ++i) {
      if (bytes_at(addr)[i] != 0) {
        return Problem{name() + " is not zero-filled at +" + std::to_string(i), "0x0", hex(bytes_at(addr)[i])};
      }
    }
  }
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_arena_block(std::uint32_t arena, std::size_t i) const {
  const ArenaObj& a = arenas_[arena];
  if (i >= a.blocks.size()) return std::nullopt;
  const ArenaBlock& b = a.blocks[i];
  return check_block_bytes([&] { return arena_name(arena) + ".start+" + std::to_string(b.offset); }, a.start() + b.offset, b.size,
                           b.seed, b.dirty, model::Addr::page(a.page, a.header_offset + layout::ARENA_HDR_SIZE + b.offset));
}

std::optional<Problem> Session::Impl::check_pool_slot(std::uint32_t pool, std::uint64_t slot) const {
  const PoolObj& p = pools_[pool];
  if (slot >= p.seeds.size() || p.seeds[slot] == 0) return std::nullopt;
  const std::uint64_t offset = slot * p.obj_size;
  const bool dirty = slot < p.dirty.size() && p.dirty[slot] != 0;
  return check_block_bytes([&] { return pool_name(pool) + " object " + std::to_string(slot); }, p.start() + offset, p.obj_size,
                           p.seeds[slot], dirty, model::Addr::page(p.page, p.header_offset + layout::POOL_HDR_SIZE + offset));
}

std::optional<Problem> Session::Impl::check_object(ObjRef ref, bool deep) {
  switch (ref.kind) {
    case ObjKind::block: {
      const BlockObj& b = blocks_[ref.index];
      if (!b.live) return std::nullopt;
      return check_block_bytes([&] { return block_name(ref.index); }, b.addr, b.size, b.seed, b.dirty, b.model);
    }
    case ObjKind::arena: {
      const ArenaObj& a = arenas_[ref.index];
      if (!a.live) return std::nullopt;
      if (std::optional<Problem> p = check_arena_header(ref.index)) return p;
      if (!deep) {
        // A neighbour's overrun hits the header (checked) or the last block.
        if (a.blocks.empty()) return std::nullopt;
        return check_arena_block(ref.index, a.blocks.size() - 1);
      }
      for (std::size_t i = 0; i < a.blocks.size(); ++i) {
        if (std::optional<Problem> p = check_arena_block(ref.index, i)) return p;
      }
      return std::nullopt;
    }
    case ObjKind::pool: {
      const PoolObj& p = pools_[ref.index];
      if (!p.live) return std::nullopt;
      if (std::optional<Problem> problem = check_pool_header(ref.index)) return problem;
      if (!deep) {
        if (std::optional<Problem> problem = check_pool_bitmap(ref.index, std::nullopt)) return problem;
        return p.seeds.empty() ? std::nullopt : check_pool_slot(ref.index, p.seeds.size() - 1);
      }
      for (std::uint64_t k = 0; k < p.seeds.size(); ++k) {
        if (std::optional<Problem> problem = check_pool_slot(ref.index, k)) return problem;
      }
      return check_pool_bitmap(ref.index, std::nullopt);
    }
  }
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_mem_neighbours(std::uint64_t addr, bool at_already_checked) {
  // The object holding addr (or just below it) and the one after it.
  auto next = mem_index_.upper_bound(addr);
  if (next != mem_index_.end()) {
    if (std::optional<Problem> p = check_object(next->second, false)) return p;
  }
  if (next != mem_index_.begin()) {
    auto at = std::prev(next);
    if (!at_already_checked) {
      if (std::optional<Problem> p = check_object(at->second, false)) return p;
    }
    if (at != mem_index_.begin()) {
      if (std::optional<Problem> p = check_object(std::prev(at)->second, false)) return p;
    }
  }
  return std::nullopt;
}

}  // namespace mf::runner
