// address_space.h - the simulated OS's memory: real, usable mappings carved
// from one big region reserved PROT_NONE at first use.
//
// A mapping of len bytes occupies Round4096(len) read-write bytes followed by
// one PROT_NONE guard page, so running off its end faults at once.  It is
// placed at the lowest address of the region where it fits (first fit), so a
// given sequence of calls always yields the same addresses relative to the
// region, which itself is requested at a fixed hint address.  An unmapped
// range goes back to PROT_NONE and is zeroed (its pages are replaced), so a
// use after free faults and a reused range starts as fresh memory.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace mf::simos {

class AddressSpace {
 public:
  static constexpr std::uint64_t kPage = 4096;
  static constexpr std::uint64_t kReserveBytes = std::uint64_t{64} << 30;  // address space, not memory
  static constexpr std::uint64_t kPreferredBase = std::uint64_t{1} << 45;

  AddressSpace() = default;
  AddressSpace(const AddressSpace&) = delete;
  AddressSpace& operator=(const AddressSpace&) = delete;

  // The address of a new read-write zeroed mapping, or nullopt when the
  // region has no room (or len is 0 or too large to round).
  std::optional<std::uint64_t> map(std::uint64_t len);

  // Unmaps exactly one earlier mapping: addr its start and len rounding to its
  // length.  Anything else changes nothing and returns false.
  bool unmap(std::uint64_t addr, std::uint64_t len);

  // Every mapping gone, every page zero and PROT_NONE again.
  void release_all();

  // Whether [addr, addr + len) lies inside one live mapping.
  bool is_live(std::uint64_t addr, std::uint64_t len) const;
  std::size_t mapping_count() const { return live_.size(); }
  std::uint64_t region_base() const { return base_; }

 private:
  void reserve();
  void make_inaccessible(std::uint64_t addr, std::uint64_t len);
  void add_hole(std::uint64_t addr, std::uint64_t len);

  std::uint64_t base_ = 0;
  std::uint64_t high_water_ = 0;             // bytes of the region ever handed out
  std::map<std::uint64_t, std::uint64_t> live_;   // start -> rounded length (guard excluded)
  std::map<std::uint64_t, std::uint64_t> holes_;  // start -> length of free address space
};

}  // namespace mf::simos
