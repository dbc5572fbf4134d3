#include "request_sizes.h"

#include "checked_math.h"
#include "layout.h"
#include "size_class.h"

namespace mf::model {

using namespace mf::layout;

bool mem_request_in_range(std::uint64_t n) { return size_class_of(n).has_value(); }

std::uint64_t mem_new_page_size(std::uint64_t n) { return size_class_of(n)->small ? SLAB_SIZE : large_page_size(n); }

std::optional<std::uint64_t> pool_create_request(std::uint64_t obj_size, std::uint64_t capacity) {
  if (obj_size < POOL_MIN_OBJ || capacity == 0) return std::nullopt;
  std::optional<std::uint64_t> rounded = pool_object_size(obj_size);
  if (!rounded) return std::nullopt;
  std::optional<std::uint64_t> objects = checked_mul(*rounded, capacity);
  std::optional<std::uint64_t> bitmap = checked_mul(8, ceil_div(capacity, 64));
  if (!objects || !bitmap) return std::nullopt;
  std::optional<std::uint64_t> sum = checked_add(POOL_HDR_SIZE, *objects);
  if (!sum) return std::nullopt;
  return checked_add(*sum, *bitmap);
}

}  // namespace mf::model
