// address_space.h - the simulated OS's memory: real, usable mappings carved
// from one big region reserved PROT_NONE at first use.
//
// What a run sees:
//   - A mapping of len bytes occupies Round4096(len) read-write bytes followed
//     by one PROT_NONE guard page, so running off its end faults at once.
//   - It is placed at the lowest address of the region where it fits (first
//     fit), so a given sequence of calls always yields the same addresses
//     relative to the region, which itself is requested at a fixed hint.
//   - An unmapped range faults on access at once (use after unmap).
//   - A fresh mapping reads as zeros, also where an earlier mapping was.
//
// How, cheaply (the fuzzers want tens of thousands of runs a second, and in
// a VM every mprotect and page fault costs microseconds): pages stay with
// the process between runs, but for the few given back below (huge
// mappings, and what guard markers discard).  Replacing them (the old
// mmap(MAP_FIXED) per munmap and per run) freed them, so every later touch
// paid a page fault and the kernel's zeroing, and mprotect-ing each mapping
// read-write and back at every run cost two more system calls per mapping.
// Instead `readable_` tracks the real protection, and mprotect is called only
// where it must change: a map makes its range read-write unless it already
// is (a run usually maps what the previous run mapped); an unmap makes its
// range PROT_NONE.  A guard page that is read-write (an earlier mapping was
// there) gets a guard marker instead (MADV_GUARD_INSTALL, Linux 6.13 on:
// it faults like PROT_NONE, costs no VMA split or merge, and about a sixth
// of an mprotect here; `guarded_`), and a later mapping over it removes the
// marker; without guard markers it is made PROT_NONE.  An unmapped mapping
// of up to kGuardMarkerUnmapLimit gets guard markers too (see there).  The
// end of a run changes no protection.  Zeroing is ours, only where needed:
// `dirty_` holds every page that was read-write since it was last zeroed (anything
// else still reads as the kernel's zero page, and a guard marker discards
// its page).  The end of a run gives back its huge mappings
// (madvise(MADV_DONTNEED), so one huge run does not keep its memory) and
// zeroes the rest of that set that is read-write: memset of the pages
// mincore reports resident, one mincore per cluster of nearby pieces (a
// page never touched is zero and stays unbacked; writing a resident page
// costs less than the fault that giving it back would cost later, and less
// than reading it to learn whether it holds data).  A new mapping clears
// what is left of the set under it (pages the same run wrote and unmapped,
// or PROT_NONE ones): memset on pieces of one or two pages, memset of the
// resident pages on larger ones, madvise on huge ones.
//
// The price: memory that an earlier run left mapped stays read-write (its
// bytes zeroed at that run's end) until a later run maps over it, so a wild
// access there by the SUT does not fault.  Every access the checks rely on
// still faults: the guard page after each live mapping, and every range
// unmapped in this run.
// A wild pointer into such stale memory is not a pointer into any live object
// of the run, so the runner's header and pattern checks are unaffected.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "layout.h"
#include "range_set.h"

namespace mf::simos {

class AddressSpace {
 public:
  static constexpr std::uint64_t kPage = 4096;
  static constexpr std::uint64_t kSlabAlign = layout::SLAB_SIZE;  // see map()
  static constexpr std::uint64_t kReserveBytes = std::uint64_t{64} << 30;  // address space, not memory
  static constexpr std::uint64_t kPreferredBase = std::uint64_t{1} << 45;
  // Dirty pieces up to this size are zeroed whole with memset: cheaper than
  // asking mincore which pages are resident.  (A whole 64 KiB slab is not:
  // its memset faults in every page not resident, 1.8 us each in a VM, and
  // rewrites pages that are zero already.)  Larger ones up to
  // kResidencyScanLimit get memset on their resident pages only;
  // larger still are dropped with madvise, which costs a page fault per page
  // touched later.  Why 1 MiB: every page a mapping ever had resident is
  // zeroed again after each later run that maps over it, and a big mapping's run
  // touches few of its pages, so zeroing them all costs more than faulting
  // in the few (CPU of fuzzing from the seeds, `ci/fuzz_cpu_pair.sh`,
  // against 16 MiB: arena 27% less, pool 13%, alloc 21%; 512 KiB is better
  // for arena and worse for pool, 2 MiB the other way round, 256 KiB doubles
  // pool's; harness/fuzz/README.md).
  static constexpr std::uint64_t kMemsetLimit = 8 * 1024;
  static constexpr std::uint64_t kResidencyScanLimit = std::uint64_t{1} << 20;
  // The end of a run asks mincore about nearby dirty pieces at once, up to
  // this span from the first: one page of answers, which the kernel fills in
  // one pass of its page tables.
  static constexpr std::uint64_t kResidencyScanSpan = std::uint64_t{16} << 20;
  // Mappings larger than kResidencyScanLimit are dropped at the end of their
  // run, and all dirty pieces if more than this many bytes remain.
  static constexpr std::uint64_t kKeepDirtyLimit = std::uint64_t{64} << 20;
  // An unmapped mapping up to this size gets guard markers instead of
  // mprotect(PROT_NONE) where the kernel has them: they fault alike, but the
  // markers discard its pages, so a later mapping there has nothing to zero,
  // and split no VMA.  Larger ones keep mprotect: their pages, when mapped
  // again, would fault in one by one.  Measured (fuzzing CPU from the seeds,
  // `ci/fuzz_cpu_pair.sh`, against mprotect for all): arena 13% less, pool 5
  // to 11%, alloc, builtins and mixed the same; markers for every size cost
  // pool 41% more, for up to 64 KiB changed nothing on arena, pool and alloc
  // (harness/fuzz/README.md).
  static constexpr std::uint64_t kGuardMarkerUnmapLimit = std::uint64_t{1} << 20;

  AddressSpace() = default;
  AddressSpace(const AddressSpace&) = delete;
  AddressSpace& operator=(const AddressSpace&) = delete;

  // The address of a new read-write zeroed mapping, or nullopt when the
  // region has no room (or len is 0 or too large to round).
  std::optional<std::uint64_t> map(std::uint64_t len);

  // Unmaps exactly one earlier mapping: addr its start and len rounding to its
  // length.  Anything else changes nothing and returns false.
  bool unmap(std::uint64_t addr, std::uint64_t len);

  // Every mapping gone: the next mappings get the same addresses as in a
  // fresh process, and read as zeros.  Protections stay as they are (see
  // the top of this file).
  void release_all();

  // Whether [addr, addr + len) lies inside one live mapping.
  bool is_live(std::uint64_t addr, std::uint64_t len) const;
  std::size_t mapping_count() const { return live_.size(); }
  std::uint64_t region_base() const { return base_; }
  // Bytes that may hold data of earlier mappings (for tests).
  std::uint64_t dirty_bytes() const { return dirty_.bytes(); }

 private:
  void reserve();
  void add_hole(std::uint64_t addr, std::uint64_t len);
  void set_protection(std::uint64_t start, std::uint64_t end, bool readable);
  // Makes the page at `page` fault on access (a mapping's guard page).
  void guard(std::uint64_t page);
  // Guard markers over [start, end), read-write and unguarded now: it faults
  // on access, and its pages are discarded.
  void install_guard_markers(std::uint64_t start, std::uint64_t end);
  void zero_dirty(std::uint64_t start, std::uint64_t end);
  void zero_pages(std::uint64_t start, std::uint64_t end);
  // Fills residency_ for [start, end).
  void scan_residency(std::uint64_t start, std::uint64_t end);
  // memset of the resident pages of [from, to), inside the range last
  // scanned from `scanned`.
  void zero_resident(std::uint64_t scanned, std::uint64_t from, std::uint64_t to);
  // The end of a run's zeroing: every read-write piece of dirty_.
  void zero_readable_dirty();
  void drop_dirty();

  std::uint64_t base_ = 0;
  std::map<std::uint64_t, std::uint64_t> live_;   // start -> rounded length (guard excluded); exactly the RW pages
  std::map<std::uint64_t, std::uint64_t> holes_;  // start -> length of free address space
  RangeSet readable_;                             // pages whose real protection is read-write
  RangeSet guarded_;                              // pages of readable_ that fault all the same (guard markers)
  RangeSet dirty_;                                // pages that may not read as zero
  bool has_guard_markers_ = false;                // MADV_GUARD_INSTALL works here
  std::vector<unsigned char> residency_;          // mincore's answer, reused
  std::vector<std::pair<std::uint64_t, std::uint64_t>> readable_dirty_;  // zero_readable_dirty's pieces, reused
  std::vector<std::pair<std::uint64_t, std::uint64_t>> huge_;  // this run's mappings over kResidencyScanLimit
};

}  // namespace mf::simos
