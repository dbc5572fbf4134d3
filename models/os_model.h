// os_model.h - the OS as the model sees it: the run's OsRules (os_rules.h:
// accounting, fault injection, memory limit, clock), which decide each call
// exactly as the simulated OS's own OsRules do, plus addresses.
//
// mmap hands out a placeholder base address (increasing, never reused, a
// 4 KiB guard gap after each mapping, a multiple of SLAB_SIZE aligned to it,
// like the simulated OS lays them out)
// so that model-only runs have absolute addresses; the runner replaces it
// with the real one (Model::bind_page_base).
#pragma once

#include <cstdint>
#include <optional>

#include "os_rules.h"

namespace mf::model {

class OsModel : public OsRules {
 public:
  static constexpr std::uint64_t kPlaceholderOrigin = 0x100000000000;  // 16 TiB

  // The placeholder base address of the new mapping, or nullopt (ENOMEM).
  std::optional<std::uint64_t> mmap(std::uint64_t len);
  // False when the rules refuse it: nothing changes, the memory stays mapped.
  bool munmap(std::uint64_t len);

 private:
  std::uint64_t next_placeholder_ = kPlaceholderOrigin;
};

}  // namespace mf::model
