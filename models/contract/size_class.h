// size_class.h - the page allocator's size classes (docs/spec.md, "Size
// classes" and "Slabs"), as pure functions.
#pragma once

#include <cstdint>
#include <optional>

namespace mf::model {

struct SizeClass {
  bool small = false;
  std::uint64_t index = 0;       // 0..66 for small, PAGE_CLASS_LARGE for large
  std::uint64_t block_size = 0;  // the class's block size; Round16(n) for large
};

// nullopt for n = 0 and n > MEM_MAX_REQUEST (mem_alloc returns 0 for those).
std::optional<SizeClass> size_class_of(std::uint64_t n);

// "Of the same size class": both small with the same index, or both large
// with the same Round16.  False when either is 0 or > MEM_MAX_REQUEST.
bool same_size_class(std::uint64_t a, std::uint64_t b);

// Block size of small class `index` (0..66).
std::uint64_t class_block_size(std::uint64_t index);

// Blocks in one slab of that block size: (SLAB_SIZE - SLAB_BLOCKS_OFFSET) / size.
std::uint64_t slab_block_count(std::uint64_t block_size);

// ceil(2^32 / block_size), the slab header's recip field.
std::uint64_t slab_recip(std::uint64_t block_size);

// Bytes mapped for a large request n: Round4096(LARGE_USER_OFFSET + n).
std::uint64_t large_page_size(std::uint64_t n);

}  // namespace mf::model
