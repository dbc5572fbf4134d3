// spec_support.cpp
#include "spec_support.h"

#include <set>

#include "hex_text.h"
#include "morph_abi.h"

namespace mf::proof {

std::vector<WrittenGlobal> written_globals(const PathEnd& end) {
  std::vector<WrittenGlobal> result;
  const Memory& memory = end.state.memory;
  for (std::size_t i = 1; i < memory.region_count(); ++i) {
    const Region& r = memory.region(static_cast<int>(i));
    if (r.kind != RegionKind::Global) continue;
    std::set<std::uint64_t> quads;
    for (const MemoryWrite& w : r.writes) {
      std::uint64_t offset = 0, length = 0;
      if (!w.offset.is_numeral_u64(offset) || !w.length.is_numeral_u64(length)) continue;
      for (std::uint64_t o = offset; o < offset + length; ++o) quads.insert(o & ~7ULL);
    }
    for (std::uint64_t q : quads) result.push_back({static_cast<int>(i), q});
  }
  return result;
}

z3::expr aligned(const z3::expr& x, std::uint64_t unit) {
  z3::context& c = x.ctx();
  return (x & c.bv_val(unit - 1, 64)) == c.bv_val(0, 64);
}

z3::expr page_in_user_space(const z3::expr& x, std::uint64_t bytes, std::uint64_t alignment) {
  z3::context& c = x.ctx();
  return x != c.bv_val(0, 64) && aligned(x, alignment) && z3::ule(x, c.bv_val(mf::layout::USER_SPACE_END - bytes, 64));
}

z3::expr entry_heap_quad(const PathEnd& end, const z3::expr& address) {
  return entry_heap_quad(end.state.memory, address);
}

z3::expr entry_heap_quad(const Memory& memory, const z3::expr& address) {
  z3::context& c = address.ctx();
  z3::expr_vector bytes(c);
  for (unsigned i = 8; i-- > 0;) bytes.push_back(memory.initial_byte(memory.heap(), address + c.bv_val(i, 64)));
  return z3::concat(bytes).simplify();
}

z3::expr final_heap_byte(const PathEnd& end, const z3::expr& address) {
  const Memory& memory = end.state.memory;
  return memory.read_byte(memory.heap(), address);
}

z3::expr bytes_are(const PathEnd& end, const z3::expr& address, const z3::expr& value) {
  z3::context& c = address.ctx();
  z3::expr_vector each(c);
  for (unsigned i = 0; i < 8; ++i)
    each.push_back(final_heap_byte(end, (address + c.bv_val(i, 64)).simplify()) ==
                   value.extract(8 * i + 7, 8 * i).simplify());
  return z3::mk_and(each);
}

int LateRegions::add_header(ProofSetup& s, const std::string& name, const z3::expr& base, std::uint64_t size,
                            const std::map<std::uint64_t, std::string>& fields, const z3::expr& valid) {
  if (first_ < 0) first_ = static_cast<int>(s.initial().memory.region_count());
  auto init = std::make_shared<RegionInit>();
  init->kind = RegionInit::Kind::NamedQuads;
  init->quad_name = [name, fields](std::uint64_t offset) {
    auto f = fields.find(offset);
    return name + (f != fields.end() ? "." + f->second : "+" + hex(offset));
  };
  regions_.push_back(Region{name, RegionKind::Header, base, size, valid, std::nullopt, true, init, {}});
  return first_ + static_cast<int>(regions_.size()) - 1;
}

void LateRegions::add_extent(const z3::expr& base, const z3::expr& length, const z3::expr& valid) {
  extents_.push_back({base, length, valid});
}

z3::expr LateRegions::initial_quad(int region, std::uint64_t offset) const {
  Memory scratch(regions_.front().base.ctx());
  const int index = scratch.add_region(regions_.at(static_cast<std::size_t>(region - first_)));
  return scratch.initial_quad(index, offset);
}

Extent LateRegions::extent_of(const Region& r) { return {r.base, r.base.ctx().bv_val(r.size, 64), r.valid}; }

bool LateRegions::header_of(const Extent& e, const Extent& r) { return (r.base - e.base).simplify().is_numeral(); }

// An interval of the circle inside another is apart from whatever that one
// is apart from, and from the other regions inside it by their offsets.
bool LateRegions::inside_new_extent(const Extent& r) const {
  for (const Extent& e : extents_) {
    std::uint64_t offset = 0, length = 0, size = 0;
    if ((r.base - e.base).simplify().is_numeral_u64(offset) && e.length.is_numeral_u64(length) &&
        r.length.is_numeral_u64(size) && offset <= length && size <= length - offset && z3::eq(r.valid, e.valid))
      return true;
  }
  return false;
}

z3::expr LateRegions::layout_facts(const MachineState& entry) {
  z3::context& c = regions_.front().base.ctx();
  std::vector<Extent> old_regions, new_regions;
  for (std::size_t i = 1; i < entry.memory.region_count(); ++i) {
    const Region& r = entry.memory.region(static_cast<int>(i));
    if (r.size > 0) old_regions.push_back(extent_of(r));
  }
  for (const Region& r : regions_) new_regions.push_back(extent_of(r));
  entry_extents_ = entry.extents;
  z3::expr facts = c.bool_val(true);
  auto apart = [&](const Extent& a, const Extent& b) {
    facts = facts && (!a.valid || !b.valid || disjoint(a.base, a.length, b.base, b.length));
  };
  for (std::size_t i = 0; i < new_regions.size(); ++i) {
    if (inside_new_extent(new_regions[i])) continue;
    for (const Extent& r : old_regions) apart(new_regions[i], r);
    for (std::size_t j = i + 1; j < new_regions.size(); ++j) apart(new_regions[i], new_regions[j]);
    for (const Extent& e : entry.extents)
      if (!header_of(e, new_regions[i])) apart(e, new_regions[i]);
  }
  for (const Extent& e : extents_) {
    for (const Extent& r : old_regions) apart(e, r);
    for (const Extent& r : new_regions)
      if (!header_of(e, r)) apart(e, r);
    for (const Extent& other : entry.extents) apart(e, other);
  }
  return facts.simplify();
}

// Exactly the cases where layout_facts states the pair apart (above).
bool LateRegions::apart_from_entry_extent(std::size_t region, std::size_t extent) const {
  const Extent r = extent_of(regions_.at(region));
  return inside_new_extent(r) || !header_of(entry_extents_->at(extent), r);
}

bool LateRegions::joined(const MachineState& state) const {
  return static_cast<int>(state.memory.region_count()) > first_;
}

std::optional<std::string> LateRegions::why_not_joinable(const MachineState& state) const {
  const std::string name = regions_.front().name;
  if (static_cast<int>(state.memory.region_count()) != first_)
    return "the path added regions before " + name + " joined it";
  if (!entry_extents_) return name + " joins a path before its layout facts were stated";
  // Every heap access so far lies inside an extent of the entry state that
  // the layout facts put apart from every late region (the class comment).
  const int heap = state.memory.heap();
  std::size_t heap_writes = 0;
  for (const AccessEvent& a : state.accesses) {
    if (a.region != heap) continue;
    heap_writes += a.write ? 1 : 0;
    const std::string where = "the heap access at " + hex(a.site) + " before " + name + " joined the path";
    const auto e = static_cast<std::size_t>(a.extent);
    if (a.extent < 0 || e >= entry_extents_->size() || e >= state.extents.size() ||
        !z3::eq(state.extents[e].base, (*entry_extents_)[e].base) ||
        !z3::eq(state.extents[e].length, (*entry_extents_)[e].length) ||
        !z3::eq(state.extents[e].valid, (*entry_extents_)[e].valid))
      return where + " was not shown inside an extent of the entry state";
    for (std::size_t i = 0; i < regions_.size(); ++i)
      if (!apart_from_entry_extent(i, e))
        return where + " lies in an extent the layout facts do not put apart from " + regions_[i].name;
  }
  // And no heap write came from elsewhere (a callee's havoc, or a store no
  // access of the path recorded).
  const std::vector<MemoryWrite>& writes = state.memory.region(heap).writes;
  for (const MemoryWrite& w : writes)
    if (w.kind == MemoryWrite::Kind::Havoc) return "a callee may have written the heap before " + name + " joined the path";
  if (writes.size() != heap_writes)
    return "a heap write that no access of the path accounts for, before " + name + " joined it";
  return std::nullopt;
}

void LateRegions::join(MachineState& state) const {
  if (std::optional<std::string> why = why_not_joinable(state)) throw ProofError("late regions: " + *why);
  for (const Region& r : regions_) state.memory.add_region(r);
  for (const Extent& e : extents_) state.extents.push_back(e);
}

z3::expr heap_writes_only_at(const PathEnd& end, const std::vector<AllowedQuad>& allowed) {
  const Memory& memory = end.state.memory;
  z3::context& c = end.state.regs[0].ctx();
  z3::expr all = c.bool_val(true);
  for (const MemoryWrite& w : memory.region(memory.heap()).writes) {
    z3::expr at_one = c.bool_val(false);
    for (const AllowedQuad& q : allowed) at_one = at_one || (q.when && w.offset == q.address);
    all = all && c.bool_val(w.kind == MemoryWrite::Kind::Store) && w.length == c.bv_val(8, 64) && at_one;
  }
  return all.simplify();
}

z3::expr quad_stored(const PathEnd& end, const z3::expr& address, const z3::expr& value) {
  const Memory& memory = end.state.memory;
  const std::vector<MemoryWrite>& writes = memory.region(memory.heap()).writes;
  z3::context& c = address.ctx();
  const z3::expr at = address.simplify(), eight = c.bv_val(8, 64);
  z3::expr newer_apart = c.bool_val(true);
  for (auto w = writes.rbegin(); w != writes.rend(); ++w) {
    if (w->kind == MemoryWrite::Kind::Havoc) break;
    if (w->kind == MemoryWrite::Kind::Store && z3::eq(w->offset, at) && z3::eq(w->length, eight))
      return (newer_apart && w->value == value).simplify();
    newer_apart = newer_apart && disjoint(at, eight, w->offset, w->length);
  }
  return bytes_are(end, address, value);
}

}  // namespace mf::proof
