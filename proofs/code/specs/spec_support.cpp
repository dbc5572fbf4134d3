// spec_support.cpp
#include "spec_support.h"

#include <set>

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
  z3::context& c = address.ctx();
  const Memory& memory = end.state.memory;
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

}  // namespace mf::proof
