// range_set.h - a set of disjoint half-open address ranges [start, end),
// merged when they touch.  AddressSpace keeps two of them: the pages whose
// real protection is read-write, and the pages that may hold non-zero bytes.
// Both stay a handful of ranges long (one per mapping at most), so a sorted
// map is cheap and every operation is O(ranges touched + log ranges).
#pragma once

#include <cstdint>
#include <map>

namespace mf::simos {

class RangeSet {
 public:
  void add(std::uint64_t start, std::uint64_t end);
  void remove(std::uint64_t start, std::uint64_t end);
  void clear() {
    ranges_.clear();
    bytes_ = 0;
  }

  bool empty() const { return ranges_.empty(); }
  std::uint64_t bytes() const { return bytes_; }
  // Whether every byte of [start, end) is in the set.
  bool covers(std::uint64_t start, std::uint64_t end) const;
  bool intersects(std::uint64_t start, std::uint64_t end) const;

  // Calls f(from, to) for each piece of the set inside [start, end), in
  // address order.  f must not change the set.
  template <typename F>
  void for_each_in(std::uint64_t start, std::uint64_t end, F&& f) const {
    auto it = ranges_.upper_bound(start);
    if (it != ranges_.begin()) --it;
    for (; it != ranges_.end() && it->first < end; ++it) {
      const std::uint64_t from = it->first > start ? it->first : start;
      const std::uint64_t to = it->second < end ? it->second : end;
      if (from < to) f(from, to);
    }
  }
  template <typename F>
  void for_each(F&& f) const {
    for (const auto& [start, end] : ranges_) f(start, end);
  }

 private:
  std::map<std::uint64_t, std::uint64_t> ranges_;  // start -> end
  std::uint64_t bytes_ = 0;
};

}  // namespace mf::simos
