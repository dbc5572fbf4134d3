#include "os_model.h"

#include "checked_math.h"
#include "layout.h"

namespace mf::model {

void OsModel::fail_mmap(std::uint64_t nth_from_now) {
  failing_mmaps_.insert(mmap_calls_ + nth_from_now);
}

void OsModel::fail_munmap(std::uint64_t nth_from_now) {
  failing_munmaps_.insert(munmap_calls_ + nth_from_now);
}

std::optional<std::uint64_t> OsModel::mmap(std::uint64_t len) {
  ++mmap_calls_;
  if (failing_mmaps_.erase(mmap_calls_) != 0) return std::nullopt;
  std::optional<std::uint64_t> after = checked_add(mapped_bytes_, len);
  if (!after || *after > memory_limit_) return std::nullopt;
  mapped_bytes_ = *after;
  std::uint64_t base = next_placeholder_;
  // Page-rounded length plus a guard page, like the simulated OS lays them out.
  next_placeholder_ += round_up(len, layout::OS_PAGE_SIZE).value_or(0) + layout::OS_PAGE_SIZE;
  return base;
}

bool OsModel::munmap(std::uint64_t len) {
  ++munmap_calls_;
  if (failing_munmaps_.erase(munmap_calls_) != 0) return false;
  mapped_bytes_ -= len;
  return true;
}

}  // namespace mf::model
