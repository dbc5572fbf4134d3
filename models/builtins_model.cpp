#include "builtins_model.h"

#include "checked_math.h"
#include "layout.h"

namespace mf::model {

using namespace mf::layout;

std::optional<Outcome> BuiltinsModel::check_range(Addr a, std::uint64_t n) const {
  const std::uint64_t start = pages_.absolute(a);
  if (start < NULL_PAGE_END) return Outcome::exit(MF_EXIT_NULL, "access at " + to_string(a) + " in the null page");
  std::optional<std::uint64_t> end = checked_add(start, n);
  if (!end || *end > USER_SPACE_END)
    return Outcome::exit(MF_EXIT_BOUNDS, "access at " + to_string(a) + " of " + std::to_string(n) +
                                             " bytes leaves user space");
  return std::nullopt;
}

std::vector<UserRegion> BuiltinsModel::user_regions() const {
  std::vector<UserRegion> regions;
  for (BlockHandle b = 0; b < pages_.block_total(); ++b) {
    const BlockRecord& block = pages_.block(b);
    if (block.live && block.owner == BlockOwner::User)
      regions.push_back({RegionKind::Block, b, 0, Addr::page(block.page, block.offset), block.request});
  }
  for (const ArenaView& arena : arenas_.live_arenas()) {
    regions.push_back({RegionKind::ArenaData, arena.handle, 0, arena.start, arenas_.arena(arena.handle).capacity});
  }
  for (const PoolView& pool : pools_.live_pools()) {
    const PoolRecord& record = pools_.pool(pool.handle);
    for (std::uint64_t slot = 0; slot < record.bump; ++slot) {
      if (pools_.slot_is_live(pool.handle, slot))
        regions.push_back({RegionKind::PoolObject, pool.handle, slot, pools_.slot_addr(pool.handle, slot), record.obj_size});
    }
  }
  return regions;
}

namespace {

// The live block whose memory holds page offset `offset`, if any.
std::optional<BlockHandle> block_covering(const PageModel& pages, Addr a) {
  if (a.base != Base::Page) return std::nullopt;
  const PageRecord& page = pages.page(a.handle);
  if (!page.live) return std::nullopt;
  if (page.large) {
    if (a.offset < LARGE_USER_OFFSET) return std::nullopt;
    return page.large_block;
  }
  if (a.offset < SLAB_BLOCKS_OFFSET) return std::nullopt;
  const std::uint64_t slot = (a.offset - SLAB_BLOCKS_OFFSET) / page.block_size;
  if (slot >= page.slots.size() || page.slots[slot] != SlotState::Live) return std::nullopt;
  return page.slot_block[slot];
}

bool within(std::uint64_t offset, std::uint64_t n, std::uint64_t region_start, std::uint64_t region_length) {
  return offset >= region_start && offset - region_start <= region_length && n <= region_length - (offset - region_start);
}

}  // namespace

std::optional<UserRegion> BuiltinsModel::region_containing(Addr a, std::uint64_t n) const {
  std::optional<BlockHandle> b = block_covering(pages_, a);
  if (!b) return std::nullopt;
  const BlockRecord& block = pages_.block(*b);
  UserRegion region;
  switch (block.owner) {
    case BlockOwner::User:
      region = {RegionKind::Block, block.handle, 0, Addr::page(block.page, block.offset), block.request};
      break;
    case BlockOwner::Arena: {
      const ArenaView arena = arenas_.view(block.owner_handle);
      region = {RegionKind::ArenaData, arena.handle, 0, arena.start, arenas_.arena(arena.handle).capacity};
      break;
    }
    case BlockOwner::Pool: {
      const PoolRecord& pool = pools_.pool(block.owner_handle);
      const std::uint64_t start = pool.header_offset + POOL_HDR_SIZE;
      if (a.offset < start) return std::nullopt;
      const std::uint64_t slot = (a.offset - start) / pool.obj_size;
      if (slot >= pool.capacity || !pools_.slot_is_live(pool.handle, slot)) return std::nullopt;
      region = {RegionKind::PoolObject, pool.handle, slot, pools_.slot_addr(pool.handle, slot), pool.obj_size};
      break;
    }
  }
  if (!within(a.offset, n, region.start.offset, region.length)) return std::nullopt;
  return region;
}

Outcome BuiltinsModel::load(Addr a, std::uint64_t n) const {
  if (std::optional<Outcome> exit = check_range(a, n)) return *exit;
  if (!region_containing(a, n)) return Outcome::unsafe("load at " + to_string(a) + " outside every live user region");
  const PageMemory& memory = pages_.memory(a.handle);
  std::uint64_t value = 0;
  std::uint64_t mask = ~std::uint64_t{0};  // bytes beyond n are zero-extended: known
  for (std::uint64_t i = 0; i < n; ++i) {
    std::optional<std::uint8_t> byte = memory.read(a.offset + i);
    if (byte) {
      value |= std::uint64_t{*byte} << (8 * i);
    } else {
      mask &= ~(std::uint64_t{0xFF} << (8 * i));
    }
  }
  return Outcome::value(value, mask);
}

Outcome BuiltinsModel::load_i64(Addr a) const { return load(a, 8); }
Outcome BuiltinsModel::load_byte(Addr a) const { return load(a, 1); }

Outcome BuiltinsModel::poke_i64(Addr a, std::uint64_t value) {
  if (std::optional<Outcome> exit = check_range(a, 8)) return *exit;
  if (!region_containing(a, 8)) return Outcome::unsafe("poke at " + to_string(a) + " outside every live user region");
  pages_.memory(a.handle).write_quad(a.offset, value);
  return Outcome::nothing();
}

Outcome BuiltinsModel::poke_byte(Addr a, std::uint64_t value) {
  if (std::optional<Outcome> exit = check_range(a, 1)) return *exit;
  if (!region_containing(a, 1)) return Outcome::unsafe("poke at " + to_string(a) + " outside every live user region");
  pages_.memory(a.handle).write(a.offset, static_cast<std::uint8_t>(value));
  return Outcome::nothing();
}

Outcome BuiltinsModel::memcpy(Addr dst, Addr src, std::uint64_t n) {
  if (n == 0) return Outcome::ptr(dst);  // touches nothing, checks nothing
  if (std::optional<Outcome> exit = check_range(dst, n)) return *exit;
  if (std::optional<Outcome> exit = check_range(src, n)) return *exit;
  if (!region_containing(dst, n)) return Outcome::unsafe("memcpy to " + to_string(dst) + " outside every live user region");
  if (!region_containing(src, n)) return Outcome::unsafe("memcpy from " + to_string(src) + " outside every live user region");
  // memmove: read everything first, as if through a temporary buffer.
  const PageMemory& from = pages_.memory(src.handle);
  std::vector<std::optional<std::uint8_t>> buffer(n);
  for (std::uint64_t i = 0; i < n; ++i) buffer[i] = from.read(src.offset + i);
  PageMemory& to = pages_.memory(dst.handle);
  for (std::uint64_t i = 0; i < n; ++i) {
    if (buffer[i]) {
      to.write(dst.offset + i, *buffer[i]);
    } else {
      to.forget(dst.offset + i, 1);
    }
  }
  return Outcome::ptr(dst);
}

Outcome BuiltinsModel::init() {
  if (initialised_) return Outcome::value(0);
  if (!os_.mmap(ALTSTACK_SIZE)) return Outcome::value(static_cast<std::uint64_t>(-kEnomem));
  initialised_ = true;
  return Outcome::value(0);
}

}  // namespace mf::model
