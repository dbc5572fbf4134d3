// alloc_specs.cpp - docs/spec.md, "The page allocator": the size arithmetic
// of mem_alloc, and new_slab's slab header.
//
// mem_alloc is proved on every path up to the point where its size
// arithmetic is decided:
//   - n = 0 or n > MEM_MAX_REQUEST: returns 0, no call, no write;
//   - small n: the path is followed until it reads the first open slab of a
//     class (the table `open_slabs` of alloc.s), and that class must be the
//     spec's class of n; the slab's own bookkeeping is out of this proof's
//     scope;
//   - large n, with nothing kept: the whole path: the page map asked for
//     room (0 returned, nothing else changed, when it cannot grow), one
//     mapping of Round4096(0x60 + n) bytes, the page header and its
//     extension filled as the spec's table says, the page linked at the head
//     of the list, page + 0x60 returned; or 0 and nothing changed but the page
//     map when the OS refuses.
// The preconditions: page_head is 0 or a live page (its header memory is
// known to be the allocator's); nothing is kept (no kept slab, no kept large
// page: taking one back is checked by the differential harness, not here).
// page_map_reserve and page_map_insert are replaced by their contracts
// (proofs/code/callee_specs.h).
#include <optional>

#include "spec_arith.h"
#include "spec_registry.h"
#include "spec_support.h"
#include "request_sizes.h"
#include "trace_ops.h"

namespace mf::proof {
namespace {

namespace L = mf::layout;
using spec::u64;
constexpr ops::HandleKind kBlock = ops::HandleKind::block;

const std::map<std::uint64_t, std::string> kPageFields = {
    {L::PAGE_NEXT, "next"},         {L::PAGE_PREV, "prev"},   {L::PAGE_TIMESTAMP, "timestamp"},
    {L::PAGE_SIZE_FIELD, "size"},   {L::PAGE_MAGIC, "magic"}, {L::PAGE_RESERVED, "reserved"},
    {L::PAGE_BLOCK_SIZE, "block_size"}, {L::PAGE_LIVE, "live"}, {L::PAGE_FREE_HEAD, "free_head"},
    {L::PAGE_BUMP, "bump"},         {L::PAGE_CLASS, "class"}, {L::PAGE_RECIP, "recip"}};

constexpr std::uint64_t kKeptLargeBins = L::MEM_KEEP_MAX_BYTES / L::OS_PAGE_SIZE + 1;
const std::vector<std::string> kPageMapGlobals = {"page_map", "page_map_slots"};

// What mem_alloc's and new_slab's proofs assume of the allocator's state
// beyond the list head: nothing is kept; and which globals page_map_reserve
// may change.
void assume_nothing_kept(ProofSetup& s) {
  z3::context& c = s.ctx();
  s.assume(s.initial_global("kept_slabs") == u64(c, 0));
  std::uint64_t bins = 0;
  const int region = s.global_region("kept_large", bins);
  for (std::uint64_t b = 0; b < kKeptLargeBins; ++b) s.assume(s.initial_quad(region, bins + 8 * b) == u64(c, 0));
  for (const std::string& name : kPageMapGlobals) {
    std::uint64_t offset = 0;
    const int g = s.global_region(name, offset);
    s.callees().page_map_globals.emplace_back(g, offset);
  }
}

// The obligations of a freshly mapped and linked page (mem_alloc's large
// path and new_slab share them).
struct MappedPage {
  z3::expr page, length, head_before;
};

// What linking a page at the head of the list leaves behind.
void linked_page_obligations(const PathEnd& end, ProofSetup& s, int region, const MappedPage& m,
                             std::vector<Obligation>& out) {
  z3::context& c = s.ctx();
  std::uint64_t head_offset = 0, count_offset = 0, live_offset = 0;
  int globals = s.global_region("page_head", head_offset);
  s.global_region("page_count", count_offset);
  s.global_region("live_bytes", live_offset);
  out.push_back({"next = the old head, prev = 0",
                 final_quad(end, region, L::PAGE_NEXT) == m.head_before && final_quad(end, region, L::PAGE_PREV) == u64(c, 0)});
  out.push_back({"page size = the mapping's length, magic VZOELFOX, reserved 0",
                 final_quad(end, region, L::PAGE_SIZE_FIELD) == m.length &&
                     final_quad(end, region, L::PAGE_MAGIC) == u64(c, L::PAGE_MAGIC_VALUE) &&
                     final_quad(end, region, L::PAGE_RESERVED) == u64(c, 0)});
  auto time = calls_to(end, "__mf_os_time");
  out.push_back({"timestamp = __mf_os_time()",
                 time.size() == 1 ? final_quad(end, region, L::PAGE_TIMESTAMP) == time.front()->result : c.bool_val(false)});
  out.push_back({"the page becomes the head of the list and the count grows by one",
                 final_quad(end, globals, head_offset) == m.page &&
                     final_quad(end, globals, count_offset) == s.initial_quad(globals, count_offset) + u64(c, 1)});
  out.push_back({"live_bytes grows by the page size",
                 final_quad(end, globals, live_offset) == s.initial_quad(globals, live_offset) + m.length});
  out.push_back({"only page_head, page_count, live_bytes and the page map change among the allocator's globals",
                 globals_unchanged_except(end, s, {"page_head", "page_count", "live_bytes", "page_map", "page_map_slots"})});
  z3::expr old = m.head_before;
  out.push_back({"the old head's prev points at the new page; no other memory changes",
                 heap_is(end, c, [&](const z3::expr& q, const z3::expr& base) {
                   z3::expr at = old + u64(c, L::PAGE_PREV);
                   return z3::ite(old != u64(c, 0) && within(q, at, u64(c, 8)), byte_of_quad(m.page, at, q), base);
                 })});
}

class MemAllocSpec : public FunctionSpec {
 public:
  std::string function() const override { return "mem_alloc"; }
  ops::Target trace_target() const override { return ops::Target::alloc; }

  void setup(ProofSetup& s) override {
    z3::context& c = s.ctx();
    head_.emplace(s.initial_global("page_head"));
    s.global_region("open_slabs", table_offset_);
    s.global_region("kept_large", kept_offset_);
    assume_nothing_kept(s);
    z3::expr head = *head_;
    // A live page: 4096-aligned, its header the allocator's own memory.
    s.assume(head == u64(c, 0) || ((head & u64(c, L::OS_PAGE_SIZE - 1)) == u64(c, 0) &&
                                   z3::uge(head, u64(c, L::NULL_PAGE_END)) &&
                                   z3::ult(head, u64(c, L::USER_SPACE_END - L::OS_PAGE_SIZE))));
    s.add_extent(head, u64(c, L::PAGE_EXT_END), head != u64(c, 0));
    s.callees().mmap_block = FreshBlockLayout{L::PAGE_EXT_END, "new_page", kPageFields};
  }
  std::vector<NamedValue> inputs(ProofSetup& s) override { return {{"n (rdi)", s.arg(0)}, {"page_head", *head_}}; }
  std::vector<z3::expr> nice_constraints(ProofSetup& s) override {
    return {z3::ule(s.arg(0), u64(s.ctx(), 1ULL << 20))};
  }
  std::vector<NamedValue> witnesses(ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr n = s.arg(0), head = *head_;
    const z3::expr live_page = u64(c, 0x7f0000000000);
    return {{"the first allocation of the process, a small one", head == u64(c, 0) && n == u64(c, 24)},
            {"a small request with a live page at the head", head == live_page && n == u64(c, L::SMALL_MAX)},
            {"a large request with a live page at the head", head == live_page && n == u64(c, L::SMALL_MAX + 1)},
            {"the largest request", n == u64(c, L::MEM_MAX_REQUEST)},
            {"a request of 0", n == u64(c, 0)}};
  }

  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr n = s.arg(0);
    z3::expr refused = n == u64(c, 0) || z3::ugt(n, u64(c, L::MEM_MAX_REQUEST));
    z3::expr small = !refused && z3::ule(n, u64(c, L::SMALL_MAX));
    if (end.kind == PathEnd::Kind::Exit) return {{"mem_alloc never exits", c.bool_val(false)}};
    if (end.kind == PathEnd::Kind::Cut) {
      const AccessEvent& table = end.state.accesses.back();
      z3::expr index = spec::size_class(n);
      return {{"only a small request reaches the class table", small},
              {"the class table is read at the spec's class of n",
               table.offset == u64(c, table_offset_) + index * u64(c, 8) && table.bytes == 8}};
    }
    z3::expr rax = end.state.regs[RAX];
    auto maps = calls_to(end, "__mf_os_mmap");
    auto reserves = calls_to(end, "page_map_reserve");
    std::vector<Obligation> out;
    if (maps.empty() && !reserves.empty()) {
      out.push_back({"only a large request asks the page map for room",
                     !refused && !small && c.bool_val(reserves.size() == 1)});
      out.push_back({"when the page map cannot grow, mem_alloc returns 0 and changes nothing else",
                     reserves.front()->result == u64(c, 0) && rax == u64(c, 0) &&
                         globals_unchanged_except(end, s, kPageMapGlobals)});
      return out;
    }
    if (maps.empty()) {
      out.push_back({"a request is refused (0) without any call exactly when n = 0 or n > MEM_MAX_REQUEST",
                     refused && rax == u64(c, 0) && c.bool_val(end.state.calls.empty())});
      out.push_back({"a refused request changes nothing",
                     globals_unchanged_except(end, s, {}) && heap_untouched(end, c)});
      return out;
    }
    const CallEvent& map = *maps.front();
    z3::expr page = map.result;
    z3::expr refused_by_os = z3::uge(page, u64(c, static_cast<std::uint64_t>(-4095)));
    out.push_back({"only a large request maps memory itself (exactly once)",
                   !refused && !small && c.bool_val(maps.size() == 1)});
    out.push_back({"the mapping is Round4096(0x60 + n) bytes", map.args[0] == spec::large_page_size(n)});
    out.push_back({"an OS refusal returns 0", z3::implies(refused_by_os, rax == u64(c, 0))});
    out.push_back({"an OS refusal changes nothing but the page map",
                   z3::implies(refused_by_os, globals_unchanged_except(end, s, kPageMapGlobals) && heap_untouched(end, c))});
    if (map.region < 0) return out;
    int r = map.region;
    std::vector<Obligation> linked;
    linked_page_obligations(end, s, r, MappedPage{page, map.args[0], *head_}, linked);
    linked.push_back({"the result is page + 0x60", rax == page + u64(c, L::LARGE_USER_OFFSET)});
    linked.push_back({"block size = Round16(n), live 1, free head 0, bump 0, class 0xFFFF, recip 0",
                      final_quad(end, r, L::PAGE_BLOCK_SIZE) == spec::round_up(n, L::MEM_ALIGN) &&
                          final_quad(end, r, L::PAGE_LIVE) == u64(c, 1) &&
                          final_quad(end, r, L::PAGE_FREE_HEAD) == u64(c, 0) &&
                          final_quad(end, r, L::PAGE_BUMP) == u64(c, 0) &&
                          final_quad(end, r, L::PAGE_CLASS) == u64(c, L::PAGE_CLASS_LARGE) &&
                          final_quad(end, r, L::PAGE_RECIP) == u64(c, 0)});
    for (Obligation& o : linked) out.push_back({o.name, z3::implies(!refused_by_os, o.holds)});
    return out;
  }

  // A path ends (for this proof) where it reads the class table: only a
  // read at a numeral offset outside open_slabs goes on.
  bool on_access(const AccessEvent& access, MachineState& state, ProofSetup&) override {
    const Region& r = state.memory.region(access.region);
    if (r.kind != RegionKind::Global || access.write) return true;
    std::uint64_t offset = 0;
    if (access.offset.is_numeral_u64(offset)) return offset < table_offset_ || offset >= table_offset_ + 8 * L::NUM_CLASSES;
    // A symbolic index: the class table, or the kept-large table (indexed by
    // the page size; nothing is kept), which lies after it.  The large
    // path's index is at least the kept table's start whatever n is; the
    // class table's is not.
    z3::solver below(access.offset.ctx());
    below.add(z3::ult(access.offset, u64(access.offset.ctx(), kept_offset_)));
    return below.check() == z3::unsat;
  }

  TraceOps trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) override {
    std::uint64_t n = value_in(m, s.arg(0));
    auto maps = cex.end ? calls_to(*cex.end, "__mf_os_mmap") : std::vector<const CallEvent*>{};
    if (!maps.empty() && value_in(m, maps.front()->result) >= static_cast<std::uint64_t>(-4095))
      return {fail_next_mmap(), ops::make_op(OpCode::mem_alloc, {number(n)}, returns_null())};
    const bool refused = !model::mem_request_in_range(n);
    return {ops::make_op(OpCode::mem_alloc, {number(n)}, refused ? returns_null() : creates_first(kBlock))};
  }

 private:
  std::optional<z3::expr> head_;
  std::uint64_t table_offset_ = 0;
  std::uint64_t kept_offset_ = 0;
};

// new_slab(class), with nothing kept: asks the page map for room, maps
// SLAB_SIZE bytes and fills a slab header for the class, for every class
// 0..NUM_CLASSES-1 at once.  The recip is checked to
// be (2^32 + bs - 1) / bs; layout/slab_layout_proofs.cpp proves, class by
// class, that this is ceil(2^32 / bs).
class NewSlabSpec : public FunctionSpec {
 public:
  std::string function() const override { return "new_slab"; }
  ops::Target trace_target() const override { return ops::Target::alloc; }

  void setup(ProofSetup& s) override {
    z3::context& c = s.ctx();
    head_.emplace(s.initial_global("page_head"));
    z3::expr head = *head_;
    s.assume(z3::ult(s.arg(0), u64(c, L::NUM_CLASSES)));
    s.assume(head == u64(c, 0) || ((head & u64(c, L::OS_PAGE_SIZE - 1)) == u64(c, 0) &&
                                   z3::uge(head, u64(c, L::NULL_PAGE_END)) &&
                                   z3::ult(head, u64(c, L::USER_SPACE_END - L::OS_PAGE_SIZE))));
    s.add_extent(head, u64(c, L::PAGE_EXT_END), head != u64(c, 0));
    s.callees().mmap_block = FreshBlockLayout{L::SLAB_BLOCKS_OFFSET, "new_slab", kPageFields};
    assume_nothing_kept(s);
  }
  std::vector<NamedValue> inputs(ProofSetup& s) override { return {{"class (rdi)", s.arg(0)}, {"page_head", *head_}}; }
  std::vector<NamedValue> witnesses(ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr index = s.arg(0), head = *head_;
    return {{"the first class, no page yet", index == u64(c, 0) && head == u64(c, 0)},
            {"the last class, with a live page at the head",
             index == u64(c, L::NUM_CLASSES - 1) && head == u64(c, 0x7f0000000000)}};
  }

  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    if (end.kind != PathEnd::Kind::Return) return {{"new_slab returns", c.bool_val(false)}};
    z3::expr rax = end.state.regs[RAX];
    auto maps = calls_to(end, "__mf_os_mmap");
    auto reserves = calls_to(end, "page_map_reserve");
    if (maps.empty() && reserves.size() == 1) {
      return {{"when the page map cannot grow, new_slab returns 0 and changes nothing else",
               reserves.front()->result == u64(c, 0) && rax == u64(c, 0) &&
                   globals_unchanged_except(end, s, kPageMapGlobals)}};
    }
    if (maps.size() != 1 || maps.front()->region < 0) return {{"new_slab maps exactly one slab", c.bool_val(false)}};
    const CallEvent& map = *maps.front();
    z3::expr page = map.result;
    z3::expr refused = z3::uge(page, u64(c, static_cast<std::uint64_t>(-4095)));
    int r = map.region;
    z3::expr index = s.arg(0);
    z3::expr size = spec::class_block_size(index);
    std::vector<Obligation> out = {
        {"the mapping is SLAB_SIZE bytes", map.args[0] == u64(c, L::SLAB_SIZE)},
        {"an OS refusal returns 0 and changes nothing",
         z3::implies(refused, rax == u64(c, 0) && globals_unchanged_except(end, s, kPageMapGlobals) &&
                                   heap_untouched(end, c))}};
    std::vector<Obligation> linked;
    linked_page_obligations(end, s, r, MappedPage{page, u64(c, L::SLAB_SIZE), *head_}, linked);
    linked.push_back({"the result is the slab", rax == page});
    linked.push_back({"block size and class are the class's", final_quad(end, r, L::PAGE_BLOCK_SIZE) == size &&
                                                                 final_quad(end, r, L::PAGE_CLASS) == index});
    linked.push_back({"recip = (2^32 + block size - 1) / block size",
                      final_quad(end, r, L::PAGE_RECIP) ==
                          z3::udiv(u64(c, 1ULL << spec::kRecipShift) + size - u64(c, 1), size)});
    linked.push_back({"live 0, free head 0, bump at the first block",
                      final_quad(end, r, L::PAGE_LIVE) == u64(c, 0) && final_quad(end, r, L::PAGE_FREE_HEAD) == u64(c, 0) &&
                          final_quad(end, r, L::PAGE_BUMP) == page + u64(c, L::SLAB_BLOCKS_OFFSET)});
    z3::expr bitmap_zero = c.bool_val(true);
    for (std::uint64_t o = L::PAGE_BITMAP; o < L::PAGE_BITMAP + L::PAGE_BITMAP_BYTES; o += 8)
      bitmap_zero = bitmap_zero && final_quad(end, r, o) == u64(c, 0);
    linked.push_back({"the bitmap is all zero (no block free)", bitmap_zero});
    linked.push_back({"on no open list yet: open next and open prev 0",
                      final_quad(end, r, L::SLAB_OPEN_NEXT) == u64(c, 0) &&
                          final_quad(end, r, L::SLAB_OPEN_PREV) == u64(c, 0)});
    for (Obligation& o : linked) out.push_back({o.name, z3::implies(!refused, o.holds)});
    return out;
  }

  TraceOps trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) override {
    // The first small allocation of the class maps a slab.
    std::uint64_t n = value_in(m, spec::class_block_size(s.arg(0)));
    // A refused page map: the process's first page needs the map's first
    // table, so a refused mmap then makes page_map_reserve return 0.
    for (const CallEvent& call : cex.state.calls) {
      if (call.callee == "page_map_reserve" && value_in(m, call.result) == 0)
        return {fail_next_mmap(), ops::make_op(OpCode::mem_alloc, {number(n)}, returns_null())};
    }
    return {ops::make_op(OpCode::mem_alloc, {number(n)}, creates_first(kBlock)),
            ops::make_op(OpCode::mem_free, {first(kBlock), number(n)}, returns_normally())};
  }

 private:
  std::optional<z3::expr> head_;
};

}  // namespace

std::unique_ptr<FunctionSpec> make_alloc_spec(const std::string& name) {
  if (name == "mem_alloc") return std::make_unique<MemAllocSpec>();
  if (name == "new_slab") return std::make_unique<NewSlabSpec>();
  return nullptr;
}

}  // namespace mf::proof
