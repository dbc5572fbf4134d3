// The C++ view of asm/layout.inc is generated from its `.equ` lines
// (asm/CMakeLists.txt), so both sides list the same constants by
// construction.  What can still differ is a value: the generator copies the
// text after the comma, the assembler evaluates it.  Each value the C++ code
// sees must be the one the assembler computed (through the generated probe
// object, which exports every constant as mf_layout_<NAME>).

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "morph_abi.h"

extern "C" {
#define MF_DECLARE_PROBE(name, value) extern const std::uint64_t mf_layout_##name;
MF_LAYOUT_CONSTANTS(MF_DECLARE_PROBE)
#undef MF_DECLARE_PROBE
}

namespace {

struct LayoutEntry {
  const char* name;
  std::uint64_t cpp_value;
  std::uint64_t asm_value;
};

std::vector<LayoutEntry> all_entries() {
  return {
#define MF_ENTRY(name, value) {#name, mf::layout::name, mf_layout_##name},
      MF_LAYOUT_CONSTANTS(MF_ENTRY)
#undef MF_ENTRY
  };
}

TEST(Layout, EveryConstantHasTheSameValueInAsmAndCpp) {
  for (const auto& entry : all_entries()) {
    EXPECT_EQ(entry.cpp_value, entry.asm_value) << entry.name;
  }
}

TEST(Layout, SeedHeadersHaveTheirFixedSizes) {
  EXPECT_EQ(mf_layout_PAGE_HDR_SIZE, 48u);
  EXPECT_EQ(mf_layout_ARENA_HDR_SIZE, 32u);
  EXPECT_EQ(mf_layout_POOL_HDR_SIZE, 48u);
  // "VZOELFOX" read as a little-endian quad.
  const char magic[9] = "VZOELFOX";
  std::uint64_t expected = 0;
  for (int i = 7; i >= 0; --i) expected = (expected << 8) | static_cast<unsigned char>(magic[i]);
  EXPECT_EQ(mf_layout_PAGE_MAGIC_VALUE, expected);
}

TEST(Layout, SlabBlocksAreAlignedAndTheBitmapCoversEverySlot) {
  EXPECT_EQ(mf_layout_SLAB_BLOCKS_OFFSET % mf_layout_MEM_ALIGN, 0u);
  EXPECT_EQ(mf_layout_LARGE_USER_OFFSET % mf_layout_MEM_ALIGN, 0u);
  // The bitmap, then the two open-list links, then the blocks.
  EXPECT_EQ(mf_layout_PAGE_BITMAP + mf_layout_PAGE_BITMAP_BYTES, mf_layout_SLAB_OPEN_NEXT);
  EXPECT_EQ(mf_layout_SLAB_OPEN_NEXT + 8, mf_layout_SLAB_OPEN_PREV);
  EXPECT_EQ(mf_layout_SLAB_OPEN_PREV + 8, mf_layout_SLAB_BLOCKS_OFFSET);
  const std::uint64_t max_blocks =
      (mf_layout_SLAB_SIZE - mf_layout_SLAB_BLOCKS_OFFSET) / mf_layout_MEM_ALIGN;
  EXPECT_LE(max_blocks, mf_layout_PAGE_BITMAP_BYTES * 8);
}

}  // namespace
