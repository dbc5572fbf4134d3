// The one-source-of-truth check: asm/layout.inc (as the assembler evaluates
// it) and harness/sut/morph_abi.h must hold the same constants with the same
// values.  A constant added to one side only fails here: added to the C++
// side, the probe symbol is missing and the link fails; added to layout.inc,
// the name comparison below fails.

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "layout_names.h"
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

std::vector<std::string> split_names(const std::string& joined) {
  std::vector<std::string> names;
  std::stringstream in(joined);
  std::string name;
  while (std::getline(in, name, ',')) {
    while (!name.empty() && (name.front() == ' ' || name.front() == '"')) name.erase(0, 1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '"')) name.pop_back();
    names.push_back(name);
  }
  return names;
}

TEST(Layout, EveryConstantHasTheSameValueInAsmAndCpp) {
  for (const auto& entry : all_entries()) {
    EXPECT_EQ(entry.cpp_value, entry.asm_value) << entry.name;
  }
}

TEST(Layout, BothSidesListTheSameConstantsInTheSameOrder) {
  std::vector<std::string> asm_names = split_names(MF_LAYOUT_INC_NAMES);
  std::vector<std::string> cpp_names;
  for (const auto& entry : all_entries()) cpp_names.emplace_back(entry.name);
  EXPECT_EQ(asm_names, cpp_names);
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
  EXPECT_EQ(mf_layout_PAGE_BITMAP + mf_layout_PAGE_BITMAP_BYTES, mf_layout_SLAB_BLOCKS_OFFSET);
  const std::uint64_t max_blocks =
      (mf_layout_SLAB_SIZE - mf_layout_SLAB_BLOCKS_OFFSET) / mf_layout_MEM_ALIGN;
  EXPECT_LE(max_blocks, mf_layout_PAGE_BITMAP_BYTES * 8);
}

}  // namespace
