// memory_model.cpp - reads walk the write log from the newest entry down;
// offsets that are numerals are compared here, in C++, so that the common
// case (header fields at constant offsets) produces no if-then-else at all.
#include "memory_model.h"
#include "hex_text.h"

#include <sstream>
#include <stdexcept>

namespace mf::proof {
namespace {

bool numeral(const z3::expr& e, std::uint64_t& value) { return e.is_numeral_u64(value); }


}  // namespace

z3::expr disjoint(const z3::expr& a, const z3::expr& a_len, const z3::expr& b, const z3::expr& b_len) {
  // On the circle: b lies at least a_len after a, and a at least b_len after b.
  return a_len == 0 || b_len == 0 || (z3::uge(b - a, a_len) && z3::uge(a - b, b_len));
}

Memory::Memory(z3::context& ctx) : ctx_(&ctx) {
  Region heap{"heap", RegionKind::Heap, ctx.bv_val(0, 64), 0, ctx.bool_val(true), std::nullopt, true, nullptr, {}};
  auto init = std::make_shared<RegionInit>();
  init->kind = RegionInit::Kind::Uninterpreted;
  init->function_name = "heap";
  heap.init = init;
  regions_.push_back(heap);
}

int Memory::add_region(Region region) {
  regions_.push_back(std::move(region));
  return static_cast<int>(regions_.size()) - 1;
}

int Memory::find(const std::string& name) const {
  for (std::size_t i = 0; i < regions_.size(); ++i)
    if (regions_[i].name == name) return static_cast<int>(i);
  return -1;
}

z3::expr Memory::initial_byte_of(const Region& region, const z3::expr& offset) const {
  z3::context& c = *ctx_;
  const RegionInit& init = *region.init;
  if (init.kind == RegionInit::Kind::Uninterpreted) {
    z3::func_decl f = c.function(init.function_name.c_str(), c.bv_sort(64), c.bv_sort(8));
    return f(offset);
  }
  std::uint64_t o = 0;
  if (numeral(offset, o)) {
    if (init.kind == RegionInit::Kind::Bytes)
      return c.bv_val(o < init.bytes.size() ? init.bytes[o] : 0u, 8);
    z3::expr quad = c.bv_const(init.quad_name(o & ~7ULL).c_str(), 64);
    unsigned shift = static_cast<unsigned>(o & 7) * 8;
    return quad.extract(shift + 7, shift);
  }
  // A symbolic offset into a finite region: a pinned quad it certainly
  // falls in, else a choice among all the region's bytes (and the pinned
  // quads it may fall in).
  std::vector<std::pair<z3::expr, z3::expr>> maybe;  // (covers, byte)
  for (const auto& [at, quad] : init.pinned) {
    z3::expr delta = (offset - at).simplify();
    z3::expr covers = z3::ult(delta, c.bv_val(8, 64)).simplify();
    if (covers.is_false()) continue;
    z3::expr byte = z3::lshr(quad, z3::shl(delta, c.bv_val(3, 64))).extract(7, 0);
    if (numeral(delta, o) && o < 8) byte = quad.extract(8 * static_cast<unsigned>(o) + 7, 8 * static_cast<unsigned>(o));
    if (covers.is_true()) return byte.simplify();
    maybe.emplace_back(covers, byte);
  }
  if (region.size == 0 || region.size > 8192)
    throw std::runtime_error("symbolic offset into region " + region.name + " of size " + hex(region.size));
  z3::expr result = initial_byte_of(region, c.bv_val(region.size - 1, 64));
  for (std::uint64_t i = region.size - 1; i-- > 0;)
    result = z3::ite(offset == c.bv_val(i, 64), initial_byte_of(region, c.bv_val(i, 64)), result);
  for (auto m = maybe.rbegin(); m != maybe.rend(); ++m) result = z3::ite(m->first, m->second, result);
  return result;
}

z3::expr Memory::byte_of_write(const MemoryWrite& write, const z3::expr& offset) const {
  z3::context& c = *ctx_;
  z3::expr delta = (offset - write.offset).simplify();
  unsigned bits = write.value.get_sort().bv_size();
  std::uint64_t d = 0;
  if (write.kind == MemoryWrite::Kind::Fill && write.unit == 1) return write.value;
  // A constant whose bytes are all equal (a zero fill through an xmm
  // register): every byte is that byte, wherever the offset falls.  Saves
  // the solver a 128-bit shift by a symbolic amount per byte read.
  if (write.value.is_numeral()) {
    z3::expr first = write.value.extract(7, 0).simplify();
    bool uniform = true;
    for (unsigned i = 8; i < bits && uniform; i += 8)
      uniform = z3::eq(write.value.extract(i + 7, i).simplify(), first);
    if (uniform) return first;
  }
  if (write.kind == MemoryWrite::Kind::Fill) {
    delta = delta & c.bv_val(static_cast<std::uint64_t>(write.unit - 1), 64);
  }
  if (numeral(delta.simplify(), d)) {
    unsigned shift = static_cast<unsigned>(d) * 8;
    return write.value.extract(shift + 7, shift);
  }
  z3::expr shift = z3::shl(delta, 3).extract(bits > 64 ? 63 : bits - 1, 0);
  if (bits > 64) shift = z3::zext(shift, bits - 64);
  return z3::lshr(write.value, shift).extract(7, 0);
}

bool Memory::misses_pinned_table(const Region& region, const z3::expr& offset, const MemoryWrite& write) {
  std::uint64_t o = 0, wo = 0, wl = 0;
  if (!region.init || region.init->pinned_tables.size() != region.init->pinned.size() ||
      !write.length.is_numeral_u64(wl))
    return false;
  for (std::size_t k = 0; k < region.init->pinned.size(); ++k) {
    const auto [first, end] = region.init->pinned_tables[k];
    const z3::expr& at = region.init->pinned[k].first;
    std::uint64_t d = 0;
    // A byte of the pinned quad, and a write at numeral offsets.
    if (!offset.is_numeral() && write.offset.is_numeral_u64(wo) && (offset - at).simplify().is_numeral_u64(d) &&
        d < 8)
      return wo + wl <= first || end <= wo;
    // A byte at a numeral offset, and a write within the pinned quad.
    if (offset.is_numeral_u64(o) && !write.offset.is_numeral() && (write.offset - at).simplify().is_numeral_u64(d) &&
        d + wl <= 8)
      return o < first || end <= o;
  }
  return false;
}

z3::expr Memory::read_byte(int index, const z3::expr& offset) const {
  const Region& region = regions_[index];
  z3::context& c = *ctx_;
  // Collect the writes that may cover the byte, newest first, until one
  // certainly does.
  std::vector<std::pair<z3::expr, z3::expr>> candidates;  // (covers, byte)
  std::optional<z3::expr> base;
  for (auto w = region.writes.rbegin(); w != region.writes.rend(); ++w) {
    if (w->kind == MemoryWrite::Kind::Havoc) {
      z3::func_decl f = c.function(w->epoch.c_str(), c.bv_sort(64), c.bv_sort(8));
      base = f(offset);
      break;
    }
    if (misses_pinned_table(region, offset, *w)) continue;
    z3::expr covers = z3::ult(offset - w->offset, w->length).simplify();
    if (covers.is_false()) continue;
    if (covers.is_true()) {
      base = byte_of_write(*w, offset);
      break;
    }
    candidates.emplace_back(covers, byte_of_write(*w, offset));
  }
  z3::expr result = base ? *base : initial_byte_of(region, offset);
  for (auto i = candidates.rbegin(); i != candidates.rend(); ++i) result = z3::ite(i->first, i->second, result);
  return result;
}

z3::expr Memory::read(int region, const z3::expr& offset, unsigned bytes) const {
  z3::context& c = *ctx_;
  // Reading back exactly what a store wrote (the common case: a pushed
  // register, a header field) returns the stored term itself, not a
  // reassembly of its bytes, which the simplifier cannot always undo.
  std::uint64_t o = 0;
  if (offset.is_numeral_u64(o)) {
    const Region& r = regions_[region];
    for (auto w = r.writes.rbegin(); w != r.writes.rend(); ++w) {
      std::uint64_t wo = 0, wl = 0;
      if (w->kind == MemoryWrite::Kind::Havoc || !w->offset.is_numeral_u64(wo) || !w->length.is_numeral_u64(wl)) break;
      if (wo + wl <= o || o + bytes <= wo) continue;  // disjoint: look further back
      if (w->kind == MemoryWrite::Kind::Store && wo == o && wl == bytes) return w->value;
      break;
    }
  }
  z3::expr_vector parts(c);
  for (unsigned i = bytes; i-- > 0;) parts.push_back(read_byte(region, (offset + c.bv_val(i, 64)).simplify()));
  return (bytes == 1 ? parts[0] : z3::concat(parts)).simplify();
}

void Memory::store(int region, const z3::expr& offset, unsigned bytes, const z3::expr& value) {
  regions_[region].writes.push_back(
      {MemoryWrite::Kind::Store, offset.simplify(), ctx_->bv_val(bytes, 64), value.simplify(), 1, ""});
}

void Memory::fill(int region, const z3::expr& offset, const z3::expr& length, const z3::expr& value,
                  unsigned unit) {
  regions_[region].writes.push_back(
      {MemoryWrite::Kind::Fill, offset.simplify(), length.simplify(), value.simplify(), unit, ""});
}

void Memory::havoc_heap(const std::string& epoch) {
  z3::context& c = *ctx_;
  regions_[heap()].writes.push_back(
      {MemoryWrite::Kind::Havoc, c.bv_val(0, 64), c.bv_val(0, 64), c.bv_val(0, 8), 1, epoch});
}

z3::expr Memory::initial_byte(int region, const z3::expr& offset) const {
  return initial_byte_of(regions_[region], offset);
}

z3::expr Memory::initial_quad(int region, std::uint64_t offset) const {
  z3::context& c = *ctx_;
  z3::expr_vector parts(c);
  for (unsigned i = 8; i-- > 0;) parts.push_back(initial_byte(region, c.bv_val(offset + i, 64)));
  return z3::concat(parts).simplify();
}

z3::expr Memory::heap_baseline_byte(const z3::expr& address) const {
  z3::context& c = *ctx_;
  const Region& heap_region = regions_[heap()];
  for (auto w = heap_region.writes.rbegin(); w != heap_region.writes.rend(); ++w) {
    if (w->kind == MemoryWrite::Kind::Havoc)
      return c.function(w->epoch.c_str(), c.bv_sort(64), c.bv_sort(8))(address);
  }
  return initial_byte_of(heap_region, address);
}

}  // namespace mf::proof
