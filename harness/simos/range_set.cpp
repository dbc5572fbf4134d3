#include "range_set.h"

#include <iterator>

namespace mf::simos {

void RangeSet::add(std::uint64_t start, std::uint64_t end) {
  if (start >= end) return;
  // Absorb every range that overlaps or touches [start, end).
  auto it = ranges_.upper_bound(start);
  if (it != ranges_.begin() && std::prev(it)->second >= start) --it;
  while (it != ranges_.end() && it->first <= end) {
    if (it->first < start) start = it->first;
    if (it->second > end) end = it->second;
    bytes_ -= it->second - it->first;
    it = ranges_.erase(it);
  }
  ranges_.emplace_hint(it, start, end);
  bytes_ += end - start;
}

void RangeSet::remove(std::uint64_t start, std::uint64_t end) {
  if (start >= end) return;
  auto it = ranges_.upper_bound(start);
  if (it != ranges_.begin()) --it;
  while (it != ranges_.end() && it->first < end) {
    const std::uint64_t from = it->first;
    const std::uint64_t to = it->second;
    if (to <= start) {
      ++it;
      continue;
    }
    bytes_ -= to - from;
    it = ranges_.erase(it);
    if (from < start) {
      ranges_.emplace_hint(it, from, start);
      bytes_ += start - from;
    }
    if (to > end) {
      ranges_.emplace_hint(it, end, to);
      bytes_ += to - end;
    }
  }
}

bool RangeSet::covers(std::uint64_t start, std::uint64_t end) const {
  if (start >= end) return true;
  auto it = ranges_.upper_bound(start);
  if (it == ranges_.begin()) return false;
  --it;
  return it->first <= start && it->second >= end;  // touching ranges are merged, so one must hold it all
}

bool RangeSet::intersects(std::uint64_t start, std::uint64_t end) const {
  bool any = false;
  for_each_in(start, end, [&](std::uint64_t, std::uint64_t) { any = true; });
  return any;
}

}  // namespace mf::simos
