#include "os_model.h"

#include "checked_math.h"
#include "layout.h"

namespace mf::model {

std::optional<std::uint64_t> OsModel::mmap(std::uint64_t len) {
  if (!admit_mmap(len)) return std::nullopt;
  commit_mmap(len);
  // The OS shim aligns a multiple of SLAB_SIZE to SLAB_SIZE (docs/spec.md).
  std::uint64_t base = next_placeholder_;
  if (len % layout::SLAB_SIZE == 0) base = round_up(base, layout::SLAB_SIZE).value_or(base);
  next_placeholder_ = base + round_up(len, layout::OS_PAGE_SIZE).value_or(0) + layout::OS_PAGE_SIZE;
  return base;
}

bool OsModel::munmap(std::uint64_t len) {
  if (!admit_munmap()) return false;
  commit_munmap(len);
  return true;
}

}  // namespace mf::model
