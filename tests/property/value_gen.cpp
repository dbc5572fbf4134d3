#include "value_gen.h"

#include <rapidcheck.h>

#include <algorithm>
#include <vector>

#include "binary_values.h"
#include "os_rules.h"

namespace mf::property {

namespace {

constexpr std::uint64_t kMax = ~std::uint64_t{0};
constexpr std::uint64_t kTop = std::uint64_t{1} << 63;

std::vector<std::uint64_t> make_edges() {
  const auto& table = ops::binary_v1::kBoundarySizes;
  std::vector<std::uint64_t> edges(table.begin(), table.end());
  static constexpr std::uint64_t kMore[] = {0, 1, 7, 8, 9, 16, 17, 1024, 1025, 2048, 2049, 4096, 4097, 8192, 8193,
                                            kTop, kMax};
  edges.insert(edges.end(), std::begin(kMore), std::end(kMore));
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

// A value near the top of the range, where every header sum overflows.
std::uint64_t draw_huge() {
  switch (draw_choice({3, 3, 2})) {
    case 0:
      return kMax - draw_uniform(0, 64);
    case 1:
      return kTop - 32 + draw_uniform(0, 64);
    default:
      return draw_uniform(0, kMax);
  }
}

}  // namespace

std::uint64_t draw_uniform(std::uint64_t lo, std::uint64_t hi) {
  if (lo >= hi) return lo;
  // Resized to the nominal size: the whole range from the first test case.
  if (lo == 0 && hi == kMax) return *rc::gen::resize(rc::kNominalSize, rc::gen::arbitrary<std::uint64_t>());
  if (hi == kMax) return lo + draw_uniform(0, hi - lo);
  return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<std::uint64_t>(lo, hi + 1));
}

std::size_t draw_choice(std::span<const unsigned> weights) {
  std::uint64_t total = 0;
  for (unsigned w : weights) total += w;
  std::uint64_t pick = draw_uniform(0, total - 1);
  std::size_t i = 0;
  for (unsigned w : weights) {
    if (pick < w) return i;
    pick -= w;
    ++i;
  }
  return weights.size() - 1;
}

std::span<const std::uint64_t> edge_sizes() {
  static const std::vector<std::uint64_t> edges = make_edges();
  return edges;
}

std::uint64_t draw_edge_size() {
  const std::span<const std::uint64_t> edges = edge_sizes();
  return edges[draw_uniform(0, edges.size() - 1)];
}

std::uint64_t draw_near_class_edge() {
  static constexpr std::uint64_t kPowerEdges[] = {1024, 2048, 4096, 8192};
  const std::uint64_t edge = draw_choice({1, 1}) == 0 ? 16 * draw_uniform(1, 64) : kPowerEdges[draw_uniform(0, 3)];
  return edge - 2 + draw_uniform(0, 4);
}

std::uint64_t draw_same_class(std::uint64_t n) {
  if (n == 0) return n;
  if (n <= 1024) {
    const std::uint64_t top = (n + 15) / 16 * 16;
    return top - draw_uniform(0, 15);
  }
  if (n <= 8192) {
    std::uint64_t top = 2048;
    while (top < n) top *= 2;
    return top / 2 + 1 + draw_uniform(0, top / 2 - 1);
  }
  if (n > kMax - 15) return n;
  const std::uint64_t top = (n + 15) / 16 * 16;
  return top - draw_uniform(0, 15);
}

std::uint64_t draw_size(SizeUse use) {
  switch (use) {
    case SizeUse::request:
      switch (draw_choice({25, 20, 25, 15, 8, 7})) {
        case 0:
          return draw_uniform(1, 128);
        case 1:
          return draw_edge_size();
        case 2:
          return draw_near_class_edge();
        case 3:
          return draw_uniform(129, 20000);
        case 4:
          return draw_uniform(20001, std::uint64_t{1} << 22);
        default:
          return draw_huge();
      }
    case SizeUse::arena_capacity:
      switch (draw_choice({40, 15, 30, 8, 7})) {
        case 0:
          return draw_uniform(1, 256);
        case 1:
          return draw_edge_size();
        case 2:
          return draw_uniform(257, 70000);
        case 3:
          return draw_uniform(70001, std::uint64_t{1} << 22);
        default:
          return draw_huge();
      }
    case SizeUse::pool_object:
      switch (draw_choice({55, 20, 15, 10})) {
        case 0:
          return draw_uniform(0, 128);
        case 1:
          return draw_edge_size();
        case 2:
          return draw_uniform(129, 9000);
        default:
          return draw_huge();
      }
    case SizeUse::pool_capacity:
      switch (draw_choice({60, 15, 15, 10})) {
        case 0:
          return draw_uniform(1, 70);
        case 1:
          return draw_edge_size();
        case 2:
          return draw_uniform(71, 5000);
        default:
          return draw_huge();
      }
  }
  return 0;
}

std::uint64_t draw_arena_request(std::uint64_t capacity, std::uint64_t used) {
  const std::uint64_t room = capacity - std::min(capacity, used);
  switch (draw_choice({45, 15, 15, 15, 10})) {
    case 0:
      return draw_uniform(0, 64);
    case 1:
      return draw_edge_size();
    case 2:  // an exact fit, one byte past it, or just below
      return room + draw_uniform(0, 16) - std::min<std::uint64_t>(room, 8);
    case 3:
      return draw_uniform(0, std::max<std::uint64_t>(capacity, 1));
    default:
      return draw_huge();
  }
}

std::uint64_t draw_copy_length(std::uint64_t room) {
  switch (draw_choice({50, 5, 15, 20, 3, 7})) {
    case 0:
      return draw_uniform(1, std::max<std::uint64_t>(1, std::min<std::uint64_t>(room, 64)));
    case 1:
      return 0;
    case 2:
      return room;
    case 3:
      return draw_uniform(0, room);
    case 4:  // past the end of the smaller region: outside the contract, skipped
      return room + draw_uniform(1, 16);
    default:
      return draw_huge();
  }
}

std::uint64_t draw_value() {
  switch (draw_choice({30, 60, 10})) {
    case 0:
      return draw_uniform(0, 255);
    case 1:
      return draw_uniform(0, kMax);
    default:
      return draw_edge_size();
  }
}

std::uint64_t draw_seconds() {
  // Kept below 2^32: the runner adds clock_advance to the clock as a signed
  // 64-bit sum, so an edge value near 2^63 would make the harness overflow.
  return draw_choice({40, 60}) == 0 ? draw_uniform(0, 1000) : draw_uniform(0, std::uint64_t{1} << 32);
}

std::uint64_t draw_fail_count() { return draw_uniform(1, 8); }

// memory_limit's bytes, powers of two as the binary form has them: mostly
// room for objects past the default 64 MiB (1 GiB, the most a trace may
// allow); sometimes a limit that the next mappings run into, 1 to 32 MiB
// or, more rarely, one that refuses nearly everything (4 to 512 KiB).  A
// low limit ends what the rest of the trace can build, so raising it is
// the usual draw.
std::uint64_t draw_memory_limit() {
  switch (draw_choice({6, 1, 1})) {
    case 0:
      return model::kMaxMemoryLimit;
    case 1:
      return std::uint64_t{1} << draw_uniform(20, 25);
    default:
      return std::uint64_t{1} << draw_uniform(12, 19);
  }
}

}  // namespace mf::property
