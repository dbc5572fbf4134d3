#include "address_space.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iterator>

namespace mf::simos {

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "mfh simulated OS: %s failed (errno %d)\n", what, errno);
  std::abort();
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
  holes_.clear();
  holes_.emplace(base_, kReserveBytes);
}

std::optional<std::uint64_t> AddressSpace::map(std::uint64_t len) {
  if (base_ == 0) reserve();
  if (len == 0 || len > kReserveBytes) return std::nullopt;
  const std::uint64_t rounded = (len + kPage - 1) / kPage * kPage;
  const std::uint64_t footprint = rounded + kPage;  // the guard page stays PROT_NONE
  for (auto it = holes_.begin(); it != holes_.end(); ++it) {
    if (it->second < footprint) continue;
    const std::uint64_t addr = it->first;
    const std::uint64_t rest = it->second - footprint;
    holes_.erase(it);
    if (rest != 0) holes_.emplace(addr + footprint, rest);
    if (mprotect(reinterpret_cast<void*>(addr), rounded, PROT_READ | PROT_WRITE) != 0) die("mprotect");
    live_.emplace(addr, rounded);
    if (addr + footprint - base_ > high_water_) high_water_ = addr + footprint - base_;
    return addr;
  }
  return std::nullopt;
}

void AddressSpace::make_inaccessible(std::uint64_t addr, std::uint64_t len) {
  // Replacing the pages both zeroes them and drops their memory.
  void* p = mmap(reinterpret_cast<void*>(addr), len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
                 -1, 0);
  if (p == MAP_FAILED) die("mmap(MAP_FIXED)");
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
  make_inaccessible(addr, rounded);
  add_hole(addr, rounded + kPage);
  return true;
}

void AddressSpace::release_all() {
  if (base_ == 0) return;
  if (high_water_ != 0) make_inaccessible(base_, high_water_);
  live_.clear();
  holes_.clear();
  holes_.emplace(base_, kReserveBytes);
  high_water_ = 0;
}

bool AddressSpace::is_live(std::uint64_t addr, std::uint64_t len) const {
  auto it = live_.upper_bound(addr);
  if (it == live_.begin()) return false;
  --it;
  return addr - it->first <= it->second && len <= it->second - (addr - it->first);
}

}  // namespace mf::simos
