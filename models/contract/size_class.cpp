#include "size_class.h"

#include "checked_math.h"
#include "layout.h"

namespace mf::model {

using namespace mf::layout;

std::optional<SizeClass> size_class_of(std::uint64_t n) {
  if (n == 0 || n > MEM_MAX_REQUEST) return std::nullopt;
  if (n <= 1024) return SizeClass{true, (n + 15) / 16 - 1, *round_up(n, 16)};
  if (n <= 2048) return SizeClass{true, 64, 2048};
  if (n <= 4096) return SizeClass{true, 65, 4096};
  if (n <= SMALL_MAX) return SizeClass{true, 66, 8192};
  return SizeClass{false, PAGE_CLASS_LARGE, *round_up(n, 16)};
}

bool same_size_class(std::uint64_t a, std::uint64_t b) {
  std::optional<SizeClass> ca = size_class_of(a);
  std::optional<SizeClass> cb = size_class_of(b);
  if (!ca || !cb) return false;
  // For small classes the index decides; for large ones Round16 (block_size).
  return ca->small == cb->small && ca->index == cb->index && ca->block_size == cb->block_size;
}

std::uint64_t class_block_size(std::uint64_t index) {
  if (index < 64) return (index + 1) * 16;
  if (index == 64) return 2048;
  if (index == 65) return 4096;
  return 8192;
}

std::uint64_t slab_block_count(std::uint64_t block_size) {
  return (SLAB_SIZE - SLAB_BLOCKS_OFFSET) / block_size;
}

std::uint64_t slab_recip(std::uint64_t block_size) {
  return ceil_div(std::uint64_t{1} << 32, block_size);
}

std::uint64_t large_page_size(std::uint64_t n) {
  // n <= MEM_MAX_REQUEST, so neither the sum nor the rounding can overflow.
  return *round_up(LARGE_USER_OFFSET + n, OS_PAGE_SIZE);
}

}  // namespace mf::model
