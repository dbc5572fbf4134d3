#include "os_rules.h"

namespace mf::model {

void OsRules::reset(std::uint64_t memory_limit) {
  *this = OsRules{};
  memory_limit_ = memory_limit;
}

bool OsRules::admit_mmap(std::uint64_t len) {
  ++mmap_calls_;
  if (failing_mmaps_.erase(mmap_calls_) != 0) return false;
  if (len > ~std::uint64_t{0} - mapped_bytes_) return false;  // the sum would wrap
  return mapped_bytes_ + len <= memory_limit_;
}

bool OsRules::admit_munmap() {
  ++munmap_calls_;
  return failing_munmaps_.erase(munmap_calls_) == 0;
}

}  // namespace mf::model
