#include "address_space.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>

namespace mf::simos {

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "mfh simulated OS: %s failed (errno %d)\n", what, errno);
  std::abort();
}

void protect(std::uint64_t addr, std::uint64_t len, int prot) {
  if (mprotect(reinterpret_cast<void*>(addr), len, prot) != 0) die("mprotect");
}

// Linux 6.13's lightweight guard pages (include/uapi/asm-generic/mman-common.h),
// for older headers.
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103
#endif

void guard_markers(std::uint64_t addr, std::uint64_t len, bool install) {
  if (madvise(reinterpret_cast<void*>(addr), len, install ? MADV_GUARD_INSTALL : MADV_GUARD_REMOVE) != 0) {
    die(install ? "madvise(MADV_GUARD_INSTALL)" : "madvise(MADV_GUARD_REMOVE)");
  }
}

// Zero-fills private anonymous pages whatever their protection, and gives
// their memory back.
void drop_pages(std::uint64_t addr, std::uint64_t len) {
  if (madvise(reinterpret_cast<void*>(addr), len, MADV_DONTNEED) != 0) die("madvise(MADV_DONTNEED)");
}

}  // namespace

void AddressSpace::reserve() {
  constexpr int kFlags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  // A fixed hint makes addresses equal across processes, which keeps reports
  // comparable; any address will do if the hint is taken.
  void* p = mmap(reinterpret_cast<void*>(kPreferredBase), kReserveBytes, PROT_NONE, kFlags | MAP_FIXED_NOREPLACE, -1,
                 0);
  if (p == MAP_FAILED) p = mmap(nullptr, kReserveBytes, PROT_NONE, kFlags, -1, 0);
  if (p == MAP_FAILED) die("reserving the address region");
  base_ = reinterpret_cast<std::uint64_t>(p);
  // Whether this kernel has guard markers (Linux 6.13 on): tried on the
  // region's first page, PROT_NONE and unused, so nothing is lost.
  has_guard_markers_ = madvise(p, kPage, MADV_GUARD_INSTALL) == 0;
  if (has_guard_markers_) guard_markers(base_, kPage, false);
  holes_.clear();
  holes_.emplace(base_, kReserveBytes);
}

std::optional<std::uint64_t> AddressSpace::map(std::uint64_t len) {
  if (base_ == 0) reserve();
  if (len == 0 || len > kReserveBytes) return std::nullopt;
  const std::uint64_t rounded = (len + kPage - 1) / kPage * kPage;
  const std::uint64_t footprint = rounded + kPage;  // the guard page stays PROT_NONE
  // The OS shim's promise (docs/spec.md): a multiple of kSlabAlign is aligned to it.
  const std::uint64_t align = len % kSlabAlign == 0 ? kSlabAlign : kPage;
  for (auto it = holes_.begin(); it != holes_.end(); ++it) {
    const std::uint64_t hole = it->first;
    const std::uint64_t hole_end = hole + it->second;
    const std::uint64_t addr = (hole + align - 1) / align * align;
    if (addr + footprint > hole_end) continue;
    const std::uint64_t end = addr + rounded;
    holes_.erase(it);
    if (addr != hole) holes_.emplace(hole, addr - hole);
    if (addr + footprint != hole_end) holes_.emplace(addr + footprint, hole_end - addr - footprint);
    guard(end);
    set_protection(addr, end, true);
    zero_dirty(addr, end);
    dirty_.add(addr, end);  // from now on it may be written
    live_.emplace(addr, rounded);
    if (rounded > kResidencyScanLimit) huge_.emplace_back(addr, end);
    return addr;
  }
  return std::nullopt;
}

void AddressSpace::set_protection(std::uint64_t start, std::uint64_t end, bool readable) {
  if (readable) {
    // Only the pieces that are PROT_NONE now (usually all or nothing).
    std::uint64_t at = start;
    readable_.for_each_in(start, end, [&](std::uint64_t from, std::uint64_t to) {
      if (at < from) protect(at, from - at, PROT_READ | PROT_WRITE);
      at = to;
    });
    if (at < end) protect(at, end - at, PROT_READ | PROT_WRITE);
    readable_.add(start, end);
    // And the guard pages it covers.
    guarded_.for_each_in(start, end, [](std::uint64_t from, std::uint64_t to) { guard_markers(from, to - from, false); });
    guarded_.remove(start, end);
  } else {
    readable_.for_each_in(start, end, [](std::uint64_t from, std::uint64_t to) { protect(from, to - from, PROT_NONE); });
    readable_.remove(start, end);
  }
}

void AddressSpace::guard(std::uint64_t page) {
  const std::uint64_t end = page + kPage;
  if (!readable_.covers(page, end) || guarded_.covers(page, end)) return;  // faults already
  if (!has_guard_markers_) {
    set_protection(page, end, false);
    return;
  }
  // A guard marker instead of mprotect: no VMA split and merge, about a
  // sixth of the cost (measured).
  install_guard_markers(page, end);
}

void AddressSpace::install_guard_markers(std::uint64_t start, std::uint64_t end) {
  guard_markers(start, end - start, true);
  guarded_.add(start, end);
  // The markers discard the pages, which read as zero when the markers go.
  dirty_.remove(start, end);
}

void AddressSpace::zero_dirty(std::uint64_t start, std::uint64_t end) {
  dirty_.for_each_in(start, end, [this](std::uint64_t from, std::uint64_t to) { zero_pages(from, to); });
  dirty_.remove(start, end);
}

void AddressSpace::zero_pages(std::uint64_t start, std::uint64_t end) {
  const std::uint64_t len = end - start;
  if (len <= kMemsetLimit) {
    std::memset(reinterpret_cast<void*>(start), 0, len);
    return;
  }
  if (len > kResidencyScanLimit) {
    drop_pages(start, len);
    return;
  }
  scan_residency(start, end);
  zero_resident(start, start, end);
}

void AddressSpace::scan_residency(std::uint64_t start, std::uint64_t end) {
  residency_.resize((end - start) / kPage);
  if (mincore(reinterpret_cast<void*>(start), end - start, residency_.data()) != 0) die("mincore");
}

void AddressSpace::zero_resident(std::uint64_t scanned, std::uint64_t from, std::uint64_t to) {
  // Pages that are not resident read as zero already; resident ones are
  // zeroed, all of them, without looking: most hold zeros already (nine in
  // ten, measured while fuzzing), but they are cold, and writing a cold page
  // costs less than reading it (fuzzing CPU from the seeds against reading
  // each page and writing only those with data, `ci/fuzz_cpu_pair.sh`:
  // arena 17% less, alloc 10%, builtins and mixed 5%, pool the same).  Zero
  // pages stay resident: a page the SUT wrote zeros to (a pool's bitmap)
  // would fault again at every run if it were given back.
  std::uint64_t i = (from - scanned) / kPage;
  const std::uint64_t last = (to - scanned) / kPage;
  while (i < last) {
    if ((residency_[i] & 1) == 0) {
      ++i;
      continue;
    }
    std::uint64_t j = i + 1;
    while (j < last && (residency_[j] & 1) != 0) ++j;
    std::memset(reinterpret_cast<void*>(scanned + i * kPage), 0, (j - i) * kPage);
    i = j;
  }
}

void AddressSpace::zero_readable_dirty() {
  // The pieces a memset can reach now; the rest of dirty_ (PROT_NONE where
  // the kernel has no guard markers) waits for a mapping over it.
  std::vector<std::pair<std::uint64_t, std::uint64_t>>& pieces = readable_dirty_;
  pieces.clear();
  dirty_.for_each([&](std::uint64_t from, std::uint64_t to) {
    readable_.for_each_in(from, to, [&](std::uint64_t a, std::uint64_t b) { pieces.emplace_back(a, b); });
  });
  // One mincore per cluster of pieces within kResidencyScanSpan of its
  // first: the gaps between them cost the kernel little to walk (never
  // touched, or discarded), a system call here costs microseconds.
  std::size_t first = 0;
  while (first < pieces.size()) {
    const std::uint64_t cluster_start = pieces[first].first;
    std::size_t next = first + 1;
    while (next < pieces.size() && pieces[next].second - cluster_start <= kResidencyScanSpan) ++next;
    const std::uint64_t cluster_end = pieces[next - 1].second;
    if (next == first + 1 && cluster_end - cluster_start <= kMemsetLimit) {
      std::memset(reinterpret_cast<void*>(cluster_start), 0, cluster_end - cluster_start);
    } else {
      scan_residency(cluster_start, cluster_end);
      for (std::size_t k = first; k < next; ++k) zero_resident(cluster_start, pieces[k].first, pieces[k].second);
    }
    for (std::size_t k = first; k < next; ++k) dirty_.remove(pieces[k].first, pieces[k].second);
    first = next;
  }
}

void AddressSpace::drop_dirty() {
  dirty_.for_each([](std::uint64_t from, std::uint64_t to) { drop_pages(from, to - from); });
  dirty_.clear();
}

void AddressSpace::add_hole(std::uint64_t addr, std::uint64_t len) {
  auto next = holes_.lower_bound(addr);
  if (next != holes_.end() && addr + len == next->first) {
    len += next->second;
    next = holes_.erase(next);
  }
  if (next != holes_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second == addr) {
      prev->second += len;
      return;
    }
  }
  holes_.emplace(addr, len);
}

bool AddressSpace::unmap(std::uint64_t addr, std::uint64_t len) {
  auto it = live_.find(addr);
  if (it == live_.end() || len == 0 || (len + kPage - 1) / kPage * kPage != it->second) return false;
  const std::uint64_t rounded = it->second;
  live_.erase(it);
  // Faults from now on.  Under PROT_NONE the bytes stay (dirty_) until the
  // range is mapped again.
  if (has_guard_markers_ && rounded <= kGuardMarkerUnmapLimit) {
    install_guard_markers(addr, addr + rounded);
  } else {
    set_protection(addr, addr + rounded, false);
  }
  add_hole(addr, rounded + kPage);
  return true;
}

void AddressSpace::release_all() {
  if (base_ == 0) return;
  // Memory goes back to the kernel without any protection change (dropped
  // pages read as zero, so they leave dirty_): the run's huge mappings at
  // once, as a new mapping over them would drop them anyway; everything when
  // too much is kept, so that one big run does not hold its memory for the
  // whole process.  Only the huge mappings themselves, not every huge piece
  // of dirty_: dirty_ merges neighbours, so a huge mapping next to the run's
  // slabs makes one piece with them, and dropping that piece made the next
  // run, which maps its slabs at the same addresses, fault them in again.
  for (auto [from, to] : huge_) {
    drop_pages(from, to - from);
    dirty_.remove(from, to);
  }
  huge_.clear();
  if (dirty_.bytes() > kKeepDirtyLimit) {
    drop_dirty();
  } else {
    // The rest is zeroed now rather than at the next mapping over it: one
    // mincore for nearby pieces instead of one per mapping (the next run
    // maps what this one mapped, mostly; `ci/fuzz_cpu_pair.sh` against
    // zeroing at the next mapping: arena 10% less CPU, mixed 9%, pool 6%,
    // alloc 3%, builtins the same).
    zero_readable_dirty();
  }
  live_.clear();
  holes_.clear();
  holes_.emplace(base_, kReserveBytes);
}

bool AddressSpace::is_live(std::uint64_t addr, std::uint64_t len) const {
  auto it = live_.upper_bound(addr);
  if (it == live_.begin()) return false;
  --it;
  return addr - it->first <= it->second && len <= it->second - (addr - it->first);
}

}  // namespace mf::simos
