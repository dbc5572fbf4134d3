// os_model.h - the simulated OS as the model sees it: mmap/munmap accounting,
// fault injection and a clock.  The harness's real simulated OS implements the
// same rules, so that the model predicts which calls fail:
//
//   * Every call to mmap or munmap is counted, whether it succeeds or not.
//   * fail_mmap(n) makes the n-th mmap call from now fail (n = 1: the next
//     one); several injected failures may be pending.  Likewise fail_munmap.
//   * mmap(len) succeeds iff no failure is injected for that call and
//     mapped_bytes + len <= memory_limit (default 1 GiB).  A failure returns
//     -ENOMEM (-12) to the caller and maps nothing.
//   * munmap(len) succeeds iff no failure is injected for that call; on
//     success mapped_bytes decreases by len, on failure nothing changes (the
//     memory stays mapped: the allocator leaks it).
//   * len is the length the caller asked for; guard pages the simulated OS
//     may add do not count.
//
// mmap also hands out a placeholder base address (increasing, never reused,
// a 4 KiB gap after each mapping) so that model-only runs have absolute
// addresses; the runner replaces it with the real one (Model::bind_page_base).
#pragma once

#include <cstdint>
#include <optional>
#include <set>

namespace mf::model {

class OsModel {
 public:
  static constexpr std::uint64_t kDefaultMemoryLimit = std::uint64_t{1} << 30;
  static constexpr std::int64_t kEnomem = 12;
  static constexpr std::uint64_t kPlaceholderOrigin = 0x100000000000;  // 16 TiB

  void set_memory_limit(std::uint64_t bytes) { memory_limit_ = bytes; }
  std::uint64_t memory_limit() const { return memory_limit_; }

  void fail_mmap(std::uint64_t nth_from_now);
  void fail_munmap(std::uint64_t nth_from_now);

  void set_time(std::int64_t seconds) { now_ = seconds; }
  std::int64_t time() const { return now_; }

  // The placeholder base address of the new mapping, or nullopt (ENOMEM).
  std::optional<std::uint64_t> mmap(std::uint64_t len);
  bool munmap(std::uint64_t len);

  std::uint64_t mapped_bytes() const { return mapped_bytes_; }
  std::uint64_t mmap_calls() const { return mmap_calls_; }
  std::uint64_t munmap_calls() const { return munmap_calls_; }

 private:
  std::uint64_t memory_limit_ = kDefaultMemoryLimit;
  std::uint64_t mapped_bytes_ = 0;
  std::uint64_t mmap_calls_ = 0;
  std::uint64_t munmap_calls_ = 0;
  std::set<std::uint64_t> failing_mmaps_;    // 1-based call numbers
  std::set<std::uint64_t> failing_munmaps_;  // 1-based call numbers
  std::uint64_t next_placeholder_ = kPlaceholderOrigin;
  std::int64_t now_ = 0;
};

}  // namespace mf::model
