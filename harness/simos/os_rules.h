// os_rules.h - the environment's rules for mmap/munmap accounting, fault
// injection and the clock: exactly the rules of the model's OsModel
// (models/os_model.h), so that the model predicts which calls fail.
//
//   * Every mmap and munmap call is counted, whether it succeeds or not.
//   * fail_mmap(n) makes the n-th mmap call from now fail (n = 1: the next
//     one); several may be pending.  Likewise fail_munmap.
//   * mmap(len) may proceed iff no failure is injected for that call and
//     mapped_bytes + len <= memory limit (no wrap-around); the length counted
//     is the caller's len, without page rounding or guard pages.
//   * munmap(len) may proceed iff no failure is injected for that call; a
//     successful one subtracts len.
//   * A refused call returns -ENOMEM.
//
// Both the simulated OS and the native-mode policy (real system calls) keep
// one OsRules, so the two modes fail the same calls.
#pragma once

#include <cstdint>
#include <set>

namespace mf::simos {

inline constexpr std::uint64_t kDefaultMemoryLimit = std::uint64_t{1} << 30;
inline constexpr long kEnomem = 12;

class OsRules {
 public:
  // Back to the start of a run: no calls counted, nothing mapped, no
  // failures pending, clock at 0.
  void reset(std::uint64_t memory_limit);

  void fail_mmap(std::uint64_t nth_from_now) { failing_mmaps_.insert(mmap_calls_ + nth_from_now); }
  void fail_munmap(std::uint64_t nth_from_now) { failing_munmaps_.insert(munmap_calls_ + nth_from_now); }

  // Count the call and decide it; the caller then performs it and reports
  // success with commit_*.
  bool admit_mmap(std::uint64_t len);
  void commit_mmap(std::uint64_t len) { mapped_bytes_ += len; }
  bool admit_munmap();
  void commit_munmap(std::uint64_t len) { mapped_bytes_ -= len; }

  void set_time(std::int64_t seconds) { now_ = seconds; }
  std::int64_t time() const { return now_; }

  std::uint64_t memory_limit() const { return memory_limit_; }
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
  std::int64_t now_ = 0;
};

}  // namespace mf::simos
