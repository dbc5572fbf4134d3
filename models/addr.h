// addr.h - how the model names an address without knowing real memory.
//
// The model never holds a real pointer.  An address is a base plus an offset:
//
//   Raw    offset is the absolute address (handle unused); Raw 0 is NULL.
//   Page   page `handle` (an OS mapping, numbered 0,1,2... in mapping order)
//          + offset from the first byte of the mapping.
//   Block  block `handle` (a successful mem_alloc, numbered 0,1,2... in call
//          order, internal calls of arena_create/pool_create included)
//          + offset from the pointer mem_alloc returned.
//   Arena  arena `handle` (0,1,2... in order of successful arena_create)
//          + offset from the arena HEADER (start is arena k + 32).
//   Pool   pool `handle` (0,1,2... in order of successful pool_create)
//          + offset from the pool HEADER (start is pool k + 48).
//
// Handles stay valid forever (a freed block or an unmapped page keeps its
// number, never reused), so every handle-relative address has one canonical
// form: Page + offset.  Raw addresses that fall inside a live page (by the
// page's base, see Model::bind_page_base) canonicalise to Page form too; every
// other Raw address stays Raw.  Every pointer the model returns is canonical:
// Page + offset, or Raw 0 (null).
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace mf::model {

using PageHandle = std::uint64_t;
using BlockHandle = std::uint64_t;
using ArenaHandle = std::uint64_t;
using PoolHandle = std::uint64_t;

enum class Base : std::uint8_t { Raw, Page, Block, Arena, Pool };

struct Addr {
  Base base = Base::Raw;
  std::uint64_t handle = 0;
  std::uint64_t offset = 0;

  static constexpr Addr null() { return {}; }
  static constexpr Addr raw(std::uint64_t absolute) { return {Base::Raw, 0, absolute}; }
  static constexpr Addr page(PageHandle h, std::uint64_t off = 0) { return {Base::Page, h, off}; }
  static constexpr Addr block(BlockHandle h, std::uint64_t off = 0) { return {Base::Block, h, off}; }
  static constexpr Addr arena(ArenaHandle h, std::uint64_t off = 0) { return {Base::Arena, h, off}; }
  static constexpr Addr pool(PoolHandle h, std::uint64_t off = 0) { return {Base::Pool, h, off}; }

  constexpr bool is_null() const { return base == Base::Raw && offset == 0; }
  // Same base, offset + delta (wrapping like pointer arithmetic on 64 bits).
  constexpr Addr plus(std::uint64_t delta) const { return {base, handle, offset + delta}; }

  friend constexpr bool operator==(const Addr&, const Addr&) = default;
  friend constexpr auto operator<=>(const Addr&, const Addr&) = default;
};

// "null", "raw 0x1000", "page 3+0x260", "block 5+0x0", "arena 0+0x20", "pool 1+0x30".
std::string to_string(const Addr& addr);

}  // namespace mf::model
