// os_rules.h - the one description of the OS a run sees: mmap/munmap
// accounting, fault injection, the memory limit, the clock, and the files
// the simulated OS serves (today /proc/meminfo, for the meminfo target).  The model's
// OsModel (os_model.h) is these rules; the simulated OS and the native mode's
// policy (harness/simos) each keep one OsRules too, so the model predicts
// exactly which calls fail, because the same code decides both.
//
//   * Every mmap and munmap call is counted, whether it succeeds or not.
//   * fail_mmap(n) makes the n-th mmap call from now fail (n = 1: the next
//     one); several may be pending.  Likewise fail_munmap.
//   * mmap(len) may proceed iff no failure is injected for that call and
//     mapped_bytes + len <= memory limit (default 64 MiB, a trace's
//     memory_limit op sets it; a sum that would wrap is refused).  len is
//     the caller's length: no page rounding, and guard pages the simulated
//     OS may add do not count.
//   * munmap(len) may proceed iff no failure is injected for that call; a
//     successful one subtracts len, a refused one leaves the memory mapped.
//   * A refused call returns -ENOMEM (-12) to the caller.
//
// A caller asks admit_*, performs the call if admitted, and reports success
// with commit_* (the real call may still fail after the rules admitted it).
//
// The simulated /proc/meminfo: its text (empty at the start of a run),
// whether opening or reading it fails, and how many bytes one read returns
// at most (0: as many as asked; a smaller number makes short reads; the
// cleaner's reads too).  The cleaner's world: cleaner_world.h.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "cleaner_world.h"

namespace mf::model {

// 64 MiB: more than any object of the contract needs to show its
// behaviour, and an eighth of what a run used to be allowed (1 GiB), so
// that a random input cannot make every run fault in hundreds of megabytes
// (harness/fuzz/README.md, "The memory limit in the trace").  A trace that
// needs more says so with memory_limit.
inline constexpr std::uint64_t kDefaultMemoryLimit = std::uint64_t{1} << 26;
// The most a trace may allow (memory_limit): what the simulated OS and a
// native run are sure to be able to map, so that the model's answer to a
// big request stays the OS's.
inline constexpr std::uint64_t kMaxMemoryLimit = std::uint64_t{1} << 30;
inline constexpr long kEnomem = 12;
// Where the simulated OS serves the meminfo text: daemon_meminfo_path's default.
inline constexpr std::string_view kMeminfoPath = "/proc/meminfo";

class OsRules {
 public:
  // Back to the start of a run: no calls counted, nothing mapped, no
  // failures pending, clock at 0.
  void reset(std::uint64_t memory_limit);
  void set_memory_limit(std::uint64_t bytes) { memory_limit_ = bytes; }

  void fail_mmap(std::uint64_t nth_from_now) { failing_mmaps_.insert(mmap_calls_ + nth_from_now); }
  void fail_munmap(std::uint64_t nth_from_now) { failing_munmaps_.insert(munmap_calls_ + nth_from_now); }

  // Count the call and decide it.  Inline: every run's every mmap asks twice
  // (the OS's rules and the model's).
  bool admit_mmap(std::uint64_t len) {
    ++mmap_calls_;
    if (!failing_mmaps_.empty() && failing_mmaps_.erase(mmap_calls_) != 0) return false;
    if (len > ~std::uint64_t{0} - mapped_bytes_) return false;  // the sum would wrap
    return mapped_bytes_ + len <= memory_limit_;
  }
  void commit_mmap(std::uint64_t len) { mapped_bytes_ += len; }
  bool admit_munmap() {
    ++munmap_calls_;
    return failing_munmaps_.empty() || failing_munmaps_.erase(munmap_calls_) == 0;
  }
  void commit_munmap(std::uint64_t len) { mapped_bytes_ -= len; }

  enum class FileFailure : std::uint8_t { none, open, read };
  void append_meminfo(std::string_view text) { meminfo_ += text; }
  // read: reads fail once `read_fails_at` bytes have been read (a read that
  // starts before that byte returns at most the bytes up to it), except a
  // read at the end of the file, which returns 0 as usual.
  void fail_meminfo(FileFailure failure, std::uint64_t read_fails_at = 0) {
    meminfo_failure_ = failure;
    meminfo_read_fails_at_ = read_fails_at;
  }
  void set_read_chunk(std::uint64_t bytes) { read_chunk_ = bytes; }
  const std::string& meminfo() const { return meminfo_; }
  FileFailure meminfo_failure() const { return meminfo_failure_; }
  std::uint64_t meminfo_read_fails_at() const { return meminfo_read_fails_at_; }
  std::uint64_t read_chunk() const { return read_chunk_; }
  // The cleaner's monitor directory and processes (cleaner_world.h).
  daemon::CleanerWorld& cleaner() { return cleaner_; }
  const daemon::CleanerWorld& cleaner() const { return cleaner_; }

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
  std::string meminfo_;
  FileFailure meminfo_failure_ = FileFailure::none;
  std::uint64_t meminfo_read_fails_at_ = 0;
  std::uint64_t read_chunk_ = 0;
  daemon::CleanerWorld cleaner_;
};

}  // namespace mf::model
