// layout.h - the C++ view of asm/layout.inc: every layout constant as
// mf::layout::NAME, and the seed's headers as structs.
//
// The constants are not written here: asm/CMakeLists.txt generates
// layout_constants.h from the `.equ` lines of asm/layout.inc, the one source
// of truth.  tests/unit/layout_test.cpp checks each value against what the
// assembler computed.  The model includes this header; harness/sut/
// morph_abi.h (the SUT's functions) uses its structs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "layout_constants.h"

namespace mf::layout {

#define MF_DEFINE_LAYOUT_CONSTANT(name, value) inline constexpr std::uint64_t name = value;
MF_LAYOUT_CONSTANTS(MF_DEFINE_LAYOUT_CONSTANT)
#undef MF_DEFINE_LAYOUT_CONSTANT

}  // namespace mf::layout

// The seed's headers as C++ structs, for tests and the runner to read fields
// by name.  The static_asserts tie each field to its layout constant.
struct MfPageHeader {
  MfPageHeader* next;
  MfPageHeader* prev;
  std::uint64_t timestamp;
  std::uint64_t page_size;
  std::uint64_t magic;
  std::uint64_t reserved;
};
struct MfArenaHeader {
  std::uint64_t start;
  std::uint64_t current;
  std::uint64_t end;
  std::uint64_t id;
};
struct MfPoolHeader {
  std::uint64_t start;
  std::uint64_t current;
  std::uint64_t end;
  std::uint64_t obj_size;
  std::uint64_t free_head;
  std::uint64_t reserved;
};

static_assert(offsetof(MfPageHeader, next) == mf::layout::PAGE_NEXT);
static_assert(offsetof(MfPageHeader, prev) == mf::layout::PAGE_PREV);
static_assert(offsetof(MfPageHeader, timestamp) == mf::layout::PAGE_TIMESTAMP);
static_assert(offsetof(MfPageHeader, page_size) == mf::layout::PAGE_SIZE_FIELD);
static_assert(offsetof(MfPageHeader, magic) == mf::layout::PAGE_MAGIC);
static_assert(offsetof(MfPageHeader, reserved) == mf::layout::PAGE_RESERVED);
static_assert(sizeof(MfPageHeader) == mf::layout::PAGE_HDR_SIZE);
static_assert(offsetof(MfArenaHeader, start) == mf::layout::ARENA_START);
static_assert(offsetof(MfArenaHeader, current) == mf::layout::ARENA_CURRENT);
static_assert(offsetof(MfArenaHeader, end) == mf::layout::ARENA_END);
static_assert(offsetof(MfArenaHeader, id) == mf::layout::ARENA_ID);
static_assert(sizeof(MfArenaHeader) == mf::layout::ARENA_HDR_SIZE);
static_assert(offsetof(MfPoolHeader, start) == mf::layout::POOL_START);
static_assert(offsetof(MfPoolHeader, current) == mf::layout::POOL_CURRENT);
static_assert(offsetof(MfPoolHeader, end) == mf::layout::POOL_END);
static_assert(offsetof(MfPoolHeader, obj_size) == mf::layout::POOL_OBJ_SIZE);
static_assert(offsetof(MfPoolHeader, free_head) == mf::layout::POOL_FREE_HEAD);
static_assert(offsetof(MfPoolHeader, reserved) == mf::layout::POOL_RESERVED);
static_assert(sizeof(MfPoolHeader) == mf::layout::POOL_HDR_SIZE);

// The ABI.  Every function is System V x86-64; see docs/spec.md for the
// contract of each (results, failures, exit codes).
