// alloc_specs.cpp - docs/spec.md, "The page allocator": mem_alloc, and
// new_slab's slab (a kept one taken back, or a new mapping).
//
// mem_alloc is proved on every path:
//   - n = 0 or n > MEM_MAX_REQUEST: returns 0, no call, no write;
//   - small n: the class table `open_slabs` is read at the spec's class of
//     n (the read resolves to the precondition's entry only where it is
//     provably there), then
//       - no open slab: one call of new_slab for that class (its contract,
//         callee_specs.h; its preconditions, class < NUM_CLASSES and the
//         kept slab, if any, apart from all memory the caller knows, are
//         required at the call); its 0 is returned with nothing changed but
//         the page map; else the slab (the kept one when one is kept, which
//         is popped) becomes the class's first open slab and its first block
//         is returned (bump after it, live 1);
//       - an open slab with a free list: its head, checked first (inside
//         the block area, below bump, on a block boundary by the index
//         trick, its bitmap bit set; any other head exits 111 with nothing
//         changed), its bit cleared, the free head its link, live + 1; a
//         slab left with no free block and no room at bump leaves the open
//         list as below;
//       - an open slab with an empty free list: the block at bump, bump
//         advanced by the block size, live + 1; a slab left without room for
//         another block leaves the head of the open list (the class's entry
//         becomes its open next, whose open prev becomes 0; its own open
//         next becomes 0); nothing else changes;
//   - large n: the whole path: the page map asked for room (0 returned,
//     nothing else changed, when it cannot grow); for a page of at most
//     MEM_KEEP_MAX_BYTES whose bin of kept_large holds one, that kept page
//     popped (the bin its link, kept_bytes less its size, its timestamp
//     kept, no mapping); else one mapping of Round4096(0x60 + n) bytes,
//     stamped; the page header and its extension filled as the spec's table
//     says, the page linked at the head of the list, page + 0x60 returned;
//     or 0 and nothing changed but the page map when the OS refuses.  A page
//     above MEM_KEEP_MAX_BYTES never reads the bins.
// The preconditions: page_head is 0 or a live page (its header memory is
// known to be the allocator's); the kept stacks' invariant for the kept slab
// at the top of kept_slabs and the kept page at the top of the request's bin
// (assume_kept_slab_apart, setup_kept_page; proofs/README.md, "Kept pages");
// the class's first open slab is 0 or a live slab of the class (64 KiB-
// aligned, magic, page size, class field, a block size that is a multiple
// of 16 in [16, SMALL_MAX], bump inside the block area, 16-aligned, with
// room for a block when its free list is empty, its open next 0 or another
// slab), its free head any value (the pop checks it), the recip free but
// for the block-index facts (block_index_facts).  (That the block size is
// the class's own no path uses: it is left free, so the proof covers those
// states too, for less solver effort per query.)
// page_map_reserve, page_map_insert and new_slab are replaced by their
// contracts (proofs/code/callee_specs.h); new_slab has its own proof below.
#include <algorithm>
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
constexpr std::uint64_t kOsPageShift = __builtin_ctzll(L::OS_PAGE_SIZE);  // a page count's bin: size >> this
const std::vector<std::string> kPageMapGlobals = {"page_map", "page_map_slots"};

// Which globals page_map_reserve may change (its contract, callee_specs.h).
void page_map_may_change(ProofSetup& s) {
  for (const std::string& name : kPageMapGlobals) {
    std::uint64_t offset = 0;
    const int g = s.global_region(name, offset);
    s.callees().page_map_globals.emplace_back(g, offset);
  }
}

// The kept slab at the top of `kept_slabs`, when there is one (docs/spec.md,
// "Kept pages"): the allocator's invariant of the kept stacks, as new_slab's
// proof assumes it and mem_alloc's call of new_slab must show it: a kept
// page is one of the allocator's mappings that is not live (on no list, not
// in the page map, no pointer into it a live block), so it lies apart from
// the stack, the data sections and every live page; a slab's mapping is
// SLAB_SIZE bytes, 64 KiB-aligned, in user space.  Its contents (the header
// and bitmap of its last life) are arbitrary, and so is its link to the next
// kept slab.
z3::expr kept_slab_in_user_space(const z3::expr& top) {
  z3::context& c = top.ctx();
  return z3::implies(top != u64(c, 0), page_in_user_space(top, L::SLAB_SIZE, L::SLAB_SIZE));
}

// mem_alloc's precondition on the kept slab (the kept stacks' invariant,
// kept_slab_in_user_space): 64 KiB-aligned in user space, apart from the
// stack, the data sections, the extents of its entry state and the live page
// at the head; the facts new_slab's contract requires at its call.  Only
// the new_slab path reads kept_slabs, so they join a path at that call
// (ProofSetup::assume_at_call): on every path they cost the pop's integer
// queries 20 s (sat answers that took 7 to 11 s each).  Its bitmap, header
// and link are anything.
void assume_kept_slab_apart(ProofSetup& s, const z3::expr& head) {
  z3::context& c = s.ctx();
  z3::expr kept = s.initial_global("kept_slabs");
  z3::expr none = kept == u64(c, 0), slab_size = u64(c, L::SLAB_SIZE);
  auto fact = [&](const z3::expr& f) { s.assume_at_call("new_slab", f); };
  fact(kept_slab_in_user_space(kept));
  fact(none || head == u64(c, 0) || disjoint(kept, slab_size, head, u64(c, L::PAGE_EXT_END)));
  const Memory& memory = s.initial().memory;
  for (std::size_t i = 1; i < memory.region_count(); ++i) {
    const Region& r = memory.region(static_cast<int>(i));
    if (r.size > 0) fact(none || !r.valid || disjoint(kept, slab_size, r.base, u64(c, r.size)));
  }
  for (const Extent& e : s.initial().extents) fact(none || !e.valid || disjoint(kept, slab_size, e.base, e.length));
}

// The obligations of a freshly mapped and linked page (mem_alloc's large
// path and new_slab share them).
struct MappedPage {
  z3::expr page, length, head_before;
  // A page taken back from a kept stack keeps its timestamp (docs/spec.md,
  // "Kept pages"): its value at entry; a new mapping's is __mf_os_time().
  std::optional<z3::expr> kept_timestamp = std::nullopt;
  // The kept stack's globals the pop changes (kept_slabs or the page's bin
  // of kept_large, and kept_bytes): by name, or at a pinned symbolic offset.
  std::vector<std::string> kept_globals = {};
  std::vector<z3::expr> kept_entries = {};
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
  if (m.kept_timestamp)
    out.push_back({"a page taken back keeps its timestamp (no __mf_os_time call)",
                   time.empty() ? final_quad(end, region, L::PAGE_TIMESTAMP) == *m.kept_timestamp : c.bool_val(false)});
  else
    out.push_back({"timestamp = __mf_os_time()",
                   time.size() == 1 ? final_quad(end, region, L::PAGE_TIMESTAMP) == time.front()->result
                                    : c.bool_val(false)});
  out.push_back({"the page becomes the head of the list and the count grows by one",
                 final_quad(end, globals, head_offset) == m.page &&
                     final_quad(end, globals, count_offset) == s.initial_quad(globals, count_offset) + u64(c, 1)});
  out.push_back({"live_bytes grows by the page size",
                 final_quad(end, globals, live_offset) == s.initial_quad(globals, live_offset) + m.length});
  std::vector<std::string> changed = {"page_head", "page_count", "live_bytes", "page_map", "page_map_slots"};
  changed.insert(changed.end(), m.kept_globals.begin(), m.kept_globals.end());
  out.push_back({m.kept_timestamp ? "only page_head, page_count, live_bytes, the page map and the kept stack's "
                                    "globals change among the allocator's globals"
                                  : "only page_head, page_count, live_bytes and the page map change among the "
                                    "allocator's globals",
                 globals_unchanged_except(end, s, changed, m.kept_entries)});
  z3::expr old = m.head_before;
  out.push_back({"the old head's prev points at the new page; no other memory changes",
                 heap_is(end, c, [&](const z3::expr& q, const z3::expr& base) {
                   z3::expr at = old + u64(c, L::PAGE_PREV);
                   return z3::ite(old != u64(c, 0) && within(q, at, u64(c, 8)), byte_of_quad(m.page, at, q), base);
                 })});
}

// After new_slab made a slab: the kept slab at the top of kept_slabs, if
// there was one, was popped (kept_slabs its link as memory held it at
// entry, kept_bytes - SLAB_SIZE); else both are as they were.
z3::expr kept_slab_popped(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  std::uint64_t top = 0, bytes = 0;
  const int g = s.global_region("kept_slabs", top);
  s.global_region("kept_bytes", bytes);
  z3::expr kept = s.initial_quad(g, top), kept_bytes = s.initial_quad(g, bytes);
  z3::expr popped = kept != u64(c, 0);
  return final_quad(end, g, top) == z3::ite(popped, entry_heap_quad(end, kept), kept) &&
         final_quad(end, g, bytes) == z3::ite(popped, kept_bytes - u64(c, L::SLAB_SIZE), kept_bytes);
}

// Public calls that leave exactly one slab kept, of another class than
// `avoid` (docs/spec.md, "mem_free"): a slab of class 66 (7 blocks) filled,
// so that it closes, and one block more on a second slab; that block freed
// (the second slab, empty, stays: it is its class's first open slab), then a
// block of the first (which reopens at the head of the open list, so the
// empty second slab is released, and kept: 64 KiB is within the floor).
// Class 65 (15 blocks) when `avoid` is 66.  `next` receives the index of the
// next block handle.
TraceOps leave_a_kept_slab(std::uint64_t avoid, std::uint32_t& next) {
  const std::uint64_t bs = avoid == L::NUM_CLASSES - 1 ? L::SMALL_MAX / 2 : L::SMALL_MAX;
  const auto per_slab = static_cast<std::uint32_t>((L::SLAB_SIZE - L::SLAB_BLOCKS_OFFSET) / bs);
  auto block = [](std::uint32_t i) { return ops::PtrExpr::handle(kBlock, i); };
  TraceOps trace;
  for (std::uint32_t i = 0; i <= per_slab; ++i)
    trace.push_back(ops::make_op(OpCode::mem_alloc, {number(bs)}, returns(block(i))));
  for (std::uint32_t i : {per_slab, 0u})
    trace.push_back(ops::make_op(OpCode::mem_free, {ops::ptr(block(i)), number(bs)}, returns_normally()));
  next = per_slab + 1;
  return trace;
}

// The clock moves on before a kept page is taken back, so that keeping its
// timestamp and stamping it anew differ.
Op clock_moves_on() { return ops::make_op(OpCode::clock_advance, {number(1000)}); }

// The first open slab of the request's class, as mem_alloc's precondition
// names it: the slab, its header fields at entry and its open next.
struct OpenSlab {
  z3::expr slab, bump, size, live, next, free_head, recip;

  // The free head's offset in the block area (wrapping below it), as the
  // code computes it.
  z3::expr offset() const {
    return (free_head - u64(slab.ctx(), L::SLAB_BLOCKS_OFFSET) - slab).simplify();
  }
  z3::expr in_block_area() const { return z3::ult(offset(), u64(slab.ctx(), L::SLAB_SIZE - L::SLAB_BLOCKS_OFFSET)); }
  // The head's block index by the index trick, as the code computes it:
  // offset / block size wherever the offset is in the block area (the
  // block-index lemma, block_index_facts).
  z3::expr index() const {
    return z3::lshr(imul_low(offset(), recip), u64(slab.ctx(), spec::kRecipShift)).simplify();
  }
  // offset mod block size = 0, written block size * (offset / block size)
  // = offset with the quotient as the index trick computes it (equal to it
  // by the lemma), so that the spec and the code name one product.
  z3::expr on_block_boundary() const { return imul_low(size, index()) == offset(); }
  z3::expr bitmap_quad_address() const {
    z3::context& c = slab.ctx();
    return (u64(c, L::PAGE_BITMAP) + slab + z3::lshr(index(), u64(c, 6)) * u64(c, 8)).simplify();
  }
  z3::expr bit_mask() const { return z3::shl(u64(slab.ctx(), 1), index() & u64(slab.ctx(), 63)).simplify(); }
  // docs/spec.md: the head is a free block of the slab (inside its block
  // area, below bump, on a block boundary, its bit set in `bitmap_quad`).
  z3::expr head_is_free_block(const z3::expr& bitmap_quad) const {
    z3::context& c = slab.ctx();
    return in_block_area() && z3::ult(free_head, bump) && on_block_boundary() &&
           (bitmap_quad & bit_mask()) != u64(c, 0);
  }
};

// The block-index facts the pop's checks rest on, for a head whose offset
// is in the block area (off < 0x10000 - 0x270 < 2^16) of a live slab, whose
// block size bs is a multiple of 16 in [16, SMALL_MAX] and whose recip is
// ceil(2^32 / bs) (docs/spec.md; new_slab writes (2^32 + bs - 1) / bs, its
// proof checks that, and layout/slab_layout_proofs.cpp proves it is the
// ceiling for every class): slab_layout_proofs.cpp proves over the
// integers, for every such off and every 1 <= bs <= SMALL_MAX, that
// (off * recip) >> 32 = off / bs, the index the code computes, with no
// wrap; so the index is below 4096, bs >= 16, and the bitmap quad it names
// lies in the bitmap.  This nonlinear fact, which a bit-blaster cannot
// derive, is assumed as its conclusion (proofs/README.md, "How it stays
// fast"), the recip itself left free: the proof covers every state the
// conclusion holds in, the live slabs among them.  The spec's "offset mod
// bs = 0" and "the bit of block offset / bs" are written with that index
// (OpenSlab), equal to them wherever the conclusion holds.
// And the cheap statement that a head that passes the checks lies in the
// slab, clear of its header: on a block boundary its offset is a multiple
// of bs, so of 16 (a bit-vector identity: the low four bits of a product
// with a multiple of 16 are 0), so the head is 16-aligned as bump is, and a
// head below bump ends 16 bytes before it at the latest.  Stated linearly,
// for the integer stage.
z3::expr block_index_facts(const OpenSlab& o) {
  z3::context& c = o.slab.ctx();
  return z3::implies(o.in_block_area(), z3::ult(o.index(), u64(c, L::PAGE_BITMAP_BYTES * 8))) &&
         z3::implies(o.in_block_area() && o.on_block_boundary() && z3::ult(o.free_head, o.bump),
                     z3::ule(o.free_head + u64(c, L::MEM_ALIGN), o.bump));
}

const std::map<std::uint64_t, std::string> kOpenLinks = {{0, "open_next"}, {8, "open_prev"}};

class MemAllocSpec : public FunctionSpec {
 public:
  std::string function() const override { return "mem_alloc"; }
  ops::Target trace_target() const override { return ops::Target::alloc; }

  void setup(ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr n = s.arg(0);
    refused_.emplace(n == u64(c, 0) || z3::ugt(n, u64(c, L::MEM_MAX_REQUEST)));
    small_.emplace(!*refused_ && z3::ule(n, u64(c, L::SMALL_MAX)));
    head_.emplace(s.initial_global("page_head"));
    table_ = s.global_region("open_slabs", table_offset_);
    page_map_may_change(s);
    configure_new_slab(s);
    z3::expr head = *head_;
    // A live page: 4096-aligned, its header the allocator's own memory (the
    // large path links a page before it; a small request's paths do not
    // read it, and their open slab may be that very page).
    s.assume(head == u64(c, 0) || ((head & u64(c, L::OS_PAGE_SIZE - 1)) == u64(c, 0) &&
                                   z3::uge(head, u64(c, L::NULL_PAGE_END)) &&
                                   z3::ult(head, u64(c, L::USER_SPACE_END - L::OS_PAGE_SIZE))));
    s.add_extent(head, u64(c, L::PAGE_EXT_END), head != u64(c, 0) && !*small_);
    assume_kept_slab_apart(s, head);
    setup_kept_page(s);
    s.callees().mmap_block = FreshBlockLayout{L::PAGE_EXT_END, "new_page", kPageFields};
    setup_open_slab(s);
  }
  std::vector<NamedValue> inputs(ProofSetup& s) override {
    const OpenSlab& o = *open_;
    return {{"n (rdi)", s.arg(0)},          {"page_head", *head_},        {"class", *class_},
            {"open_slabs[class]", o.slab},  {"open_slab.bump", o.bump},
            {"open_slab.block_size", o.size}, {"open_slab.live", o.live},  {"open slab's open next", o.next},
            {"kept_slabs", s.initial_global("kept_slabs")},     {"kept_large[pages]", *kept_page_}};
  }
  std::vector<z3::expr> nice_constraints(ProofSetup& s) override {
    z3::context& c = s.ctx();
    const OpenSlab& o = *open_;
    // The largest class (7 blocks a slab) keeps a trace short; a trace
    // cannot put a second slab behind a first with room at bump (see
    // slab_trace).
    return {z3::ule(s.arg(0), u64(c, 1ULL << 20)), z3::implies(*small_, z3::ugt(s.arg(0), u64(c, L::SMALL_MAX / 2))),
            z3::implies(*small_ && o.slab != u64(c, 0), o.next == u64(c, 0)),
            // A kept page of the request's size, which a trace can leave
            // (large_trace): a bin read in the wrong place then shows.
            z3::implies(*keepable_, *kept_page_ != u64(c, 0))};
  }
  std::vector<NamedValue> witnesses(ProofSetup& s) override;
  bool precondition_due(const AccessEvent& access, ProofSetup& s) override;
  bool before(const Instruction& insn, MachineState& state, ProofSetup& s) override;
  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override;
  TraceOps trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) override;

 private:
  void configure_new_slab(ProofSetup& s);
  void setup_open_slab(ProofSetup& s);
  // No global, no field of the open slab or its neighbour (where the path
  // reached them), no heap byte changed.
  z3::expr nothing_changed(const PathEnd& end, ProofSetup& s) const {
    z3::expr regions = s.ctx().bool_val(true);
    if (late_.joined(end.state))
      regions = unchanged_except(end, slab_region_, {}) && unchanged_except(end, links_region_, {}) &&
                unchanged_except(end, next_links_region_, {});
    return globals_unchanged_except(end, s, {}) && regions && heap_untouched(end, s.ctx());
  }
  z3::expr table_entry() const { return (u64(class_->ctx(), table_offset_) + *class_ * u64(class_->ctx(), 8)).simplify(); }
  std::vector<Obligation> large_path(const PathEnd& end, ProofSetup& s);
  std::vector<Obligation> new_slab_path(const PathEnd& end, ProofSetup& s, const CallEvent& call);
  std::vector<Obligation> open_slab_path(const PathEnd& end, ProofSetup& s);
  std::vector<Obligation> corrupt_head_exit(const PathEnd& end, ProofSetup& s);
  TraceOps slab_trace(const z3::model& m, std::uint64_t n);
  TraceOps pop_trace(const z3::model& m, std::uint64_t n);

  void setup_kept_page(ProofSetup& s);
  z3::expr bin_entry() const {
    return (u64(pages_->ctx(), bins_offset_) + *pages_ * u64(pages_->ctx(), 8)).simplify();
  }
  std::vector<Obligation> kept_page_path(const PathEnd& end, ProofSetup& s);
  std::optional<z3::expr> refused_, small_, head_, class_;
  // A large request's page: its size, whether it may be kept (a large
  // request of at most MEM_KEEP_MAX_BYTES), its page count (the bin), and
  // the kept page at the top of that bin (kept_large[pages], pinned).
  std::optional<z3::expr> page_size_, keepable_, pages_, kept_page_;
  int bins_ = -1;  // the data section of kept_large
  std::uint64_t bins_offset_ = 0;
  int kept_page_region_ = -1;
  std::optional<OpenSlab> open_;
  LateRegions late_;  // the first open slab's header, its open links, the next slab's
  int table_ = -1;
  int slab_region_ = -1;
  int links_region_ = -1;       // the first open slab's open next and prev
  int next_links_region_ = -1;  // the next open slab's
  std::uint64_t table_offset_ = 0;
};

// new_slab is replaced by its contract (callee_specs.h): the page list's
// globals and the slab header's layout.
void MemAllocSpec::configure_new_slab(ProofSetup& s) {
  CalleeConfig::PageList& g = s.callees().page_list;
  g.region = s.global_region("page_head", g.head);
  s.global_region("page_count", g.count);
  s.global_region("live_bytes", g.live_bytes);
  s.global_region("kept_slabs", g.kept_slabs);
  s.global_region("kept_bytes", g.kept_bytes);
  s.callees().slab_block = FreshBlockLayout{L::PAGE_EXT_END, "new_slab", kPageFields};
}

// The kept page a large request may take back (docs/spec.md, "Kept
// pages"): the top of the bin of its page count, kept_large[pages], a quad
// of the table pinned at that entry (ProofSetup::pin_quad), as open_slabs
// [class] is.  The kept stacks' invariant: a kept large page of that bin is
// one of the allocator's mappings of exactly that size (pages * 4096
// bytes), 4096-aligned in user space, not live (on no list, not in the page
// map, no pointer into it a live block), so it lies apart from the stack,
// the data sections and every live page.  Assumed as: the page 4096-
// aligned, its whole mapping (the request's page size) in user space and
// apart from every region and extent of the entry state (layout facts, so
// that only queries that mention the page carry them), and its header a
// region of PAGE_EXT_END bytes, every quad a free unknown (its link to the
// next kept page of the bin among them); the code reaches the page only
// through that header, so its mapping is no extent.
void MemAllocSpec::setup_kept_page(ProofSetup& s) {
  z3::context& c = s.ctx();
  z3::expr n = s.arg(0);
  bins_ = s.global_region("kept_large", bins_offset_);
  page_size_.emplace(spec::large_page_size(n));
  keepable_.emplace(!*refused_ && !*small_ && z3::ule(*page_size_, u64(c, L::MEM_KEEP_MAX_BYTES)));
  // Any other request never reads the bins (large_path checks it): its
  // entry is some bin, and the quad read there is taken as 0, so that a
  // page is kept exactly where the entry is not 0.  (The pinned quad is a
  // name for what a read at the entry returns, no constraint on the table's
  // own quads: ProofSetup::pin_quad.)
  pages_.emplace(z3::ite(*keepable_, z3::lshr(*page_size_, u64(c, kOsPageShift)), u64(c, 0)).simplify());
  kept_page_.emplace(c.bv_const("kept_large[pages]", 64));
  s.pin_quad(bins_, bins_offset_, kKeptLargeBins, bin_entry(), *kept_page_);
  // A layout fact (ProofSetup::assume_layout): only a query that mentions
  // the kept page carries it, where the other paths' queries would each pay
  // for its page-size arithmetic.
  s.assume_layout(z3::implies(!*keepable_, *kept_page_ == u64(c, 0)));
  z3::expr page = *kept_page_;
  z3::expr exists = page != u64(c, 0);
  s.assume_layout(z3::implies(exists, aligned(page, L::OS_PAGE_SIZE) && z3::uge(page, u64(c, L::NULL_PAGE_END)) &&
                                          z3::ule(page, u64(c, L::USER_SPACE_END) - *page_size_)));
  const Memory& memory = s.initial().memory;
  for (std::size_t i = 1; i < memory.region_count(); ++i) {
    const Region& r = memory.region(static_cast<int>(i));
    if (r.size > 0) s.assume_layout(!exists || !r.valid || disjoint(page, *page_size_, r.base, u64(c, r.size)));
  }
  for (const Extent& e : s.initial().extents)
    s.assume_layout(!exists || !e.valid || disjoint(page, *page_size_, e.base, e.length));
  kept_page_region_ = s.add_header("kept_page", page, L::PAGE_EXT_END, kPageFields, exists);
}

// What every class's block size is (layout/slab_layout_proofs.cpp: a
// multiple of MEM_ALIGN in [16, SMALL_MAX]), stated linearly for the
// integer stage, which cannot read class_block_size's shift.
z3::expr block_size_range(const z3::expr& size) {
  z3::context& c = size.ctx();
  return z3::uge(size, u64(c, L::MEM_ALIGN)) && z3::ule(size, u64(c, L::SMALL_MAX)) &&
         (size & u64(c, L::MEM_ALIGN - 1)) == u64(c, 0);
}

// The first open slab of a small request's class (open_slabs[class], pinned
// so that the code's read of the table is that very term): 0, or a live slab
// of the class (docs/spec.md, "Slabs"): 64 KiB-aligned, magic, page size,
// class field, a block size as every class has (block_size_range), bump
// inside the block area and 16-aligned, room for a block at bump, its next
// on the open list 0 or another slab; its free head any value.
void MemAllocSpec::setup_open_slab(ProofSetup& s) {
  z3::context& c = s.ctx();
  class_.emplace(c.bv_const("class", 64));
  z3::expr cls = *class_;
  s.assume(z3::ult(cls, u64(c, L::NUM_CLASSES)) && z3::implies(*small_, cls == spec::size_class(s.arg(0))));
  z3::expr slab = c.bv_const("open_slabs[class]", 64);
  s.pin_quad(table_, table_offset_, L::NUM_CLASSES, table_entry(), slab);
  z3::expr live = *small_ && slab != u64(c, 0);
  // The regions exist where the table's entry is not 0 (a term the code's
  // own test puts on the path, so that their uses need no solver); what
  // they hold is assumed of a small request's slab only.  They join a path
  // where it first dereferences the slab (before()): the large, refused and
  // new_slab paths never carry them.
  z3::expr exists = (slab != u64(c, 0)).simplify();
  slab_region_ = late_.add_header(s, "open_slab", slab, L::PAGE_EXT_END, kPageFields, exists);
  // Its open links, and the next slab's: regions of their own, so that the
  // close reads and writes named quads.
  links_region_ = late_.add_header(s, "open_slab.links", slab + u64(c, L::SLAB_OPEN_NEXT), 16, kOpenLinks, exists);
  z3::expr next = late_.initial_quad(links_region_, 0);
  next_links_region_ = late_.add_header(s, "next_open_slab.links", next + u64(c, L::SLAB_OPEN_NEXT), 16, kOpenLinks,
                                        exists && (next != u64(c, 0)).simplify());
  // The whole slab is memory the function owns (its bitmap, its blocks);
  // valid where its header is (what it holds is assumed of a small
  // request's slab only), so that the header's layout facts are the
  // slab's (LateRegions::layout_facts).
  late_.add_extent(slab, u64(c, L::SLAB_SIZE), exists);
  auto field = [&](std::uint64_t offset) { return late_.initial_quad(slab_region_, offset); };
  z3::expr size = field(L::PAGE_BLOCK_SIZE);
  open_.emplace(OpenSlab{slab, field(L::PAGE_BUMP), size, field(L::PAGE_LIVE), next, field(L::PAGE_FREE_HEAD),
                         field(L::PAGE_RECIP)});
  const OpenSlab& o = *open_;
  z3::expr end = slab + u64(c, L::SLAB_SIZE);
  auto slab_address = [&](const z3::expr& p) {
    return (p & u64(c, L::SLAB_SIZE - 1)) == u64(c, 0) && z3::uge(p, u64(c, L::NULL_PAGE_END)) &&
           z3::ule(p, u64(c, L::USER_SPACE_END - L::SLAB_SIZE));
  };
  s.assume_layout_where_due(late_.layout_facts(s.initial()));
  s.assume_where_due(z3::implies(live, slab_address(slab) && field(L::PAGE_MAGIC) == u64(c, L::PAGE_MAGIC_VALUE) &&
                                 field(L::PAGE_SIZE_FIELD) == u64(c, L::SLAB_SIZE) &&
                                 field(L::PAGE_CLASS) == cls &&
                                 block_size_range(size) &&
                                 z3::ule(slab + u64(c, L::SLAB_BLOCKS_OFFSET), o.bump) && z3::ule(o.bump, end) &&
                                 (o.bump & u64(c, L::MEM_ALIGN - 1)) == u64(c, 0) &&
                                 (o.free_head != u64(c, 0) || z3::ule(o.bump + size, end)) &&
                                 (next == u64(c, 0) || (slab_address(next) && next != slab)) &&
                                 block_index_facts(o)));
}

// The first open slab's regions join a path before its first dereference
// of the slab (a register holding the table's entry as base).
bool MemAllocSpec::before(const Instruction& insn, MachineState& state, ProofSetup&) {
  if (late_.joined(state)) return true;
  // A path that calls out before it reads the open slab (the large path,
  // new_slab's) never reads it: the slab's facts stay off it, and so must
  // the region a callee adds in its place, which precondition_due could
  // not tell from the slab's header.
  if (insn.mnemonic.rfind("call", 0) == 0) state.deferred_precondition_assumed = true;
  for (const std::string& text : insn.operands) {
    if (text.find('(') == std::string::npos) continue;
    Operand operand = parse_operand(text, false);
    if (operand.kind == Operand::Kind::Memory && operand.memory.base &&
        z3::eq(state.regs[operand.memory.base->gpr], open_->slab))
      late_.join(state);
  }
  return true;
}

// The first open slab's facts join a path at its first access to the slab's
// header (a large request, a refused one and one with no open slab never
// make one: their paths stay free of them).
bool MemAllocSpec::precondition_due(const AccessEvent& access, ProofSetup&) { return access.region == slab_region_; }

std::vector<NamedValue> MemAllocSpec::witnesses(ProofSetup& s) {
  z3::context& c = s.ctx();
  z3::expr n = s.arg(0), head = *head_;
  const OpenSlab& o = *open_;
  const z3::expr live_page = u64(c, 0x7f0000000000);
  // A slab of class 66 (8192-byte blocks) at 0x7e0000000000 with bump at
  // block `bumped`; recip = ceil(2^32 / 8192).
  const std::uint64_t slab = 0x7e0000000000, bs = 8192, blocks = slab + L::SLAB_BLOCKS_OFFSET;
  auto slab_at = [&](std::uint64_t bumped, std::uint64_t next) {
    return n == u64(c, bs) && o.slab == u64(c, slab) && o.size == u64(c, bs) && o.bump == u64(c, blocks + bumped * bs) &&
           o.next == u64(c, next);
  };
  auto slab_state = [&](std::uint64_t bumped, std::uint64_t next) { return slab_at(bumped, next) && o.free_head == u64(c, 0); };
  // A free list whose head is `head` (an address) with link `link`, the
  // head's bitmap bit set or clear.
  const Memory& entry = s.initial().memory;
  auto free_list = [&](std::uint64_t bumped, std::uint64_t head, std::uint64_t link, bool bit_set) {
    z3::expr word = entry_heap_quad(entry, o.bitmap_quad_address());
    return slab_at(bumped, 0) && o.free_head == u64(c, head) && entry_heap_quad(entry, o.free_head) == u64(c, link) &&
           ((word & o.bit_mask()) != u64(c, 0)) == c.bool_val(bit_set);
  };
  auto block = [&](std::uint64_t k) { return blocks + k * bs; };
  return {{"the first allocation of the process, a small one", head == u64(c, 0) && n == u64(c, 24) && o.slab == u64(c, 0)},
          {"a small request with a live page at the head and no open slab",
           head == live_page && n == u64(c, L::SMALL_MAX) && o.slab == u64(c, 0)},
          {"a small request with no open slab and a slab kept (new_slab takes it back)",
           head == live_page && n == u64(c, 100) && o.slab == u64(c, 0) &&
               s.initial_global("kept_slabs") == u64(c, 0x7d0000000000)},
          {"a large request with a live page at the head", head == live_page && n == u64(c, L::SMALL_MAX + 1)},
          {"a large request taking back the only kept page of its size, with a live page at the head",
           head == live_page && n == u64(c, 0x10000) && *kept_page_ == u64(c, 0x7c0000000000) &&
               s.initial_quad(kept_page_region_, L::PAGE_NEXT) == u64(c, 0)},
          {"the largest request whose page may be kept (1 MiB), taking back a kept page with a next, no page live",
           head == u64(c, 0) && n == u64(c, 1ULL << 20) && *kept_page_ == u64(c, 0x7c0000000000) &&
               s.initial_quad(kept_page_region_, L::PAGE_NEXT) == u64(c, 0x7c0000400000)},
          {"the largest request", n == u64(c, L::MEM_MAX_REQUEST)},
          {"a request of 0", n == u64(c, 0)},
          {"a bump with room left after it", slab_state(2, 0)},
          {"a bump that fills the slab", slab_state(6, 0)},
          {"a bump that fills the slab, with a next open slab", slab_state(6, slab + 2 * L::SLAB_SIZE)},
          {"the first open slab is the head of the page list", slab_state(2, 0) && head == u64(c, slab)},
          {"a pop with a next free block", free_list(6, block(2), block(4), true)},
          {"a pop that empties the free list, room left at bump", free_list(3, block(1), 0, true)},
          {"a pop that empties the free list of a slab full at bump (it closes)", free_list(7, block(1), 0, true)},
          {"a free head outside the block area (exits 111)", free_list(3, slab + 0x100, 0, true)},
          {"a free head at bump (exits 111)", free_list(3, block(3), 0, true)},
          {"a free head inside a block (exits 111)", free_list(3, block(1) + 16, 0, true)},
          {"a free head whose bit is clear (exits 111)", free_list(3, block(1), 0, false)}};
}

std::vector<Obligation> MemAllocSpec::obligations(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  if (end.kind == PathEnd::Kind::Exit) return corrupt_head_exit(end, s);
  if (end.kind == PathEnd::Kind::Cut) return {{"no path is cut", c.bool_val(false)}};
  auto slabs = calls_to(end, "new_slab");
  if (!slabs.empty()) return new_slab_path(end, s, *slabs.front());
  if (!end.state.calls.empty()) return large_path(end, s);
  z3::expr rax = end.state.regs[RAX];
  if (!late_.joined(end.state))
    return {{"a request served without any call or a look at an open slab is refused (n = 0 or n > MEM_MAX_REQUEST)",
             *refused_},
            {"a refused request returns 0 and changes nothing", rax == u64(c, 0) && nothing_changed(end, s)}};
  std::vector<Obligation> out = {{"a request served from an open slab is small, and the slab is not 0",
                                  *small_ && open_->slab != u64(c, 0)}};
  for (Obligation& o : open_slab_path(end, s)) out.push_back(o);
  return out;
}

// mem_alloc exits only where the pop of a first open slab finds a head that
// is not a free block of the slab: 111, before anything changes.
std::vector<Obligation> MemAllocSpec::corrupt_head_exit(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  const OpenSlab& o = *open_;
  if (!late_.joined(end.state))
    return {{"mem_alloc exits only from the pop of an open slab's free list", c.bool_val(false)}};
  z3::expr word = entry_heap_quad(end, o.bitmap_quad_address());
  return {{"mem_alloc exits only from the pop of a small request's first open slab, its free head not 0",
           *small_ && o.slab != u64(c, 0) && o.free_head != u64(c, 0)},
          {"it exits 111 (naming mem_alloc) exactly when the free head is not a free block of the slab (inside its "
           "block area, below bump, on a block boundary, its bit set)",
           end.exit_code == exit_code(c, L::MF_EXIT_BOUNDS) && !o.head_is_free_block(word)},
          {"nothing changes before the exit", nothing_changed(end, s)}};
}

// A block from the first open slab: the free list's head if there is one
// (a pop: the path reads the heap, the head's bitmap quad and link), else
// the block at bump; live + 1; a slab no longer open leaves the head of the
// open list (its next becomes the first, with open prev 0).
std::vector<Obligation> MemAllocSpec::open_slab_path(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  const OpenSlab& o = *open_;
  const int r = slab_region_;
  bool pops = false;
  for (const AccessEvent& a : end.state.accesses) pops |= a.region == end.state.memory.heap();
  z3::expr slab_end = o.slab + u64(c, L::SLAB_SIZE);
  z3::expr link = entry_heap_quad(end, o.free_head);
  z3::expr closes = pops ? link == u64(c, 0) && z3::ugt(o.bump + o.size, slab_end)
                         : z3::ugt(o.bump + o.size + o.size, slab_end);
  z3::expr next_prev = late_.initial_quad(next_links_region_, 8);
  std::vector<Obligation> out = {
      {"live grows by one", final_quad(end, r, L::PAGE_LIVE) == o.live + u64(c, 1)},
      {"the class's first open slab is the next one exactly when this one is no longer open",
       end.state.memory.read(table_, table_entry(), 8) == z3::ite(closes, o.next, o.slab)},
      {"no other global changes", globals_unchanged_except(end, s, {}, {table_entry()})},
      {"a slab that closes leaves the open list: its open next becomes 0, its open prev stays",
       final_quad(end, links_region_, 0) == z3::ite(closes, u64(c, 0), o.next) &&
           unchanged_except(end, links_region_, {0})},
      {"a slab that closes leaves the open list: the next slab's open prev becomes 0, nothing else of it changes",
       z3::implies(o.next != u64(c, 0), final_quad(end, next_links_region_, 8) == z3::ite(closes, u64(c, 0), next_prev) &&
                                            unchanged_except(end, next_links_region_, {8}))}};
  if (!pops) {
    std::vector<Obligation> bump = {
        {"a slab whose free list is empty serves the block at bump", o.free_head == u64(c, 0)},
        {"the block is the one at bump", end.state.regs[RAX] == o.bump},
        {"bump advances by the block size", final_quad(end, r, L::PAGE_BUMP) == o.bump + o.size},
        {"no other header field changes", unchanged_except(end, r, {L::PAGE_BUMP, L::PAGE_LIVE})},
        {"memory: no heap byte changes", heap_untouched(end, c)}};
    out.insert(out.end(), bump.begin(), bump.end());
    return out;
  }
  z3::expr at = o.bitmap_quad_address();
  z3::expr word = entry_heap_quad(end, at);
  std::vector<Obligation> pop = {
      {"a slab whose free list is not empty pops it", o.free_head != u64(c, 0)},
      {"the head popped is a free block of the slab (inside its block area, below bump, on a block boundary, its "
       "bit set): any other head exits 111",
       o.head_is_free_block(word)},
      {"the block is the free list's head", end.state.regs[RAX] == o.free_head},
      {"the free head becomes the popped block's link", final_quad(end, r, L::PAGE_FREE_HEAD) == link},
      {"no other header field changes (bump stays)", unchanged_except(end, r, {L::PAGE_FREE_HEAD, L::PAGE_LIVE})},
      {"memory: the block's bit is cleared, no other heap byte changes",
       heap_is(end, c, [&](const z3::expr& q, const z3::expr& base) {
         return z3::ite(within(q, at, u64(c, 8)), byte_of_quad(word & ~o.bit_mask(), at, q), base);
       })}};
  out.insert(out.end(), pop.begin(), pop.end());
  return out;
}

// No open slab: new_slab (its contract) for the class; 0 when it fails,
// else the slab becomes the only slab of the class's open list and its
// first block is handed out.
std::vector<Obligation> MemAllocSpec::new_slab_path(const PathEnd& end, ProofSetup& s, const CallEvent& call) {
  z3::context& c = s.ctx();
  z3::expr rax = end.state.regs[RAX];
  z3::expr slab = call.result;
  z3::expr made = slab != u64(c, 0);
  z3::expr size = spec::class_block_size(*class_);
  z3::expr kept = s.initial_global("kept_slabs");
  const int r = call.region;
  std::vector<Obligation> out = {
      {"only a small request with no open slab calls new_slab, once, for its class",
       *small_ && open_->slab == u64(c, 0) && call.args[0] == *class_ &&
           c.bool_val(end.state.calls.size() == 1)},
      {"new_slab's 0 is returned as 0, with nothing else changed",
       z3::implies(!made, rax == u64(c, 0) && globals_unchanged_except(end, s, kPageMapGlobals) &&
                              heap_untouched(end, c))},
      {"the slab made is the kept slab when one is kept", z3::implies(made && kept != u64(c, 0), slab == kept)}};
  if (r < 0) return out;
  std::vector<Obligation> made_slab = {
      {"the block is the slab's first", rax == slab + u64(c, L::SLAB_BLOCKS_OFFSET)},
      {"the slab: bump after the first block, live 1, free head 0, the class and its block size",
       final_quad(end, r, L::PAGE_BUMP) == slab + u64(c, L::SLAB_BLOCKS_OFFSET) + size &&
           final_quad(end, r, L::PAGE_LIVE) == u64(c, 1) && final_quad(end, r, L::PAGE_FREE_HEAD) == u64(c, 0) &&
           final_quad(end, r, L::PAGE_CLASS) == *class_ && final_quad(end, r, L::PAGE_BLOCK_SIZE) == size},
      {"the slab becomes the first open slab of the class", end.state.memory.read(table_, table_entry(), 8) == slab},
      {"a kept slab is taken back: kept_slabs becomes its link, kept_bytes drops by SLAB_SIZE; else neither changes",
       kept_slab_popped(end, s)},
      {"only the page list's globals, the kept slabs', the page map and the class's first open slab change among "
       "the globals",
       globals_unchanged_except(end, s,
                                {"page_head", "page_count", "live_bytes", "page_map", "page_map_slots", "kept_slabs",
                                 "kept_bytes"},
                                {table_entry()})},
      {"no memory changes after new_slab", heap_untouched(end, c)}};
  for (Obligation& o : made_slab) out.push_back({o.name, z3::implies(made, o.holds)});
  return out;
}

// The large path, and the page map's refusal on it (unchanged from the
// proof of the size arithmetic).
std::vector<Obligation> MemAllocSpec::large_path(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  z3::expr rax = end.state.regs[RAX];
  z3::expr large = !*refused_ && !*small_;
  auto maps = calls_to(end, "__mf_os_mmap");
  auto reserves = calls_to(end, "page_map_reserve");
  std::vector<Obligation> out;
  // Whatever the path: a request whose page may not be kept (above
  // MEM_KEEP_MAX_BYTES) never reads the kept-page bins.
  for (const AccessEvent& a : end.state.accesses)
    if (a.region == bins_)
      out.push_back({"only a large request of at most MEM_KEEP_MAX_BYTES looks at the kept-page bins",
                     z3::implies(within(a.offset, u64(c, bins_offset_), u64(c, 8 * kKeptLargeBins)), *keepable_)});
  if (maps.empty() && !calls_to(end, "page_map_insert").empty()) {
    for (Obligation& o : kept_page_path(end, s)) out.push_back(o);
    return out;
  }
  if (maps.empty()) {
    out.push_back({"only a large request asks the page map for room", large && c.bool_val(reserves.size() == 1)});
    out.push_back({"when the page map cannot grow, mem_alloc returns 0 and changes nothing else",
                   reserves.size() == 1 ? reserves.front()->result == u64(c, 0) && rax == u64(c, 0) &&
                                              globals_unchanged_except(end, s, kPageMapGlobals)
                                        : c.bool_val(false)});
    return out;
  }
  z3::expr n = s.arg(0);
  const CallEvent& map = *maps.front();
  z3::expr page = map.result;
  z3::expr refused_by_os = z3::uge(page, u64(c, static_cast<std::uint64_t>(-4095)));
  out.push_back({"only a large request maps memory itself (exactly once)", large && c.bool_val(maps.size() == 1)});
  out.push_back({"a page is mapped only when none of its size is kept", !(*keepable_ && *kept_page_ != u64(c, 0))});
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

// No mapping: the kept page at the top of its bin is taken back (popped:
// the bin its link, kept_bytes less its size; its timestamp kept), filled
// and linked as a new mapping would be.
std::vector<Obligation> MemAllocSpec::kept_page_path(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  z3::expr n = s.arg(0), rax = end.state.regs[RAX];
  z3::expr page = *kept_page_, size = *page_size_;
  auto reserves = calls_to(end, "page_map_reserve");
  std::uint64_t bytes_offset = 0;
  const int g = s.global_region("kept_bytes", bytes_offset);
  const int r = kept_page_region_;
  std::vector<Obligation> out = {
      {"a kept page is taken back only by a large request of at most MEM_KEEP_MAX_BYTES whose bin holds one, with "
       "room in the page map",
       *keepable_ && page != u64(c, 0) && c.bool_val(reserves.size() == 1) &&
           (reserves.size() == 1 ? reserves.front()->result == u64(c, 1) : c.bool_val(false))},
      {"the kept page is popped: its bin becomes its link",
       end.state.memory.read(bins_, bin_entry(), 8) == s.initial_quad(r, L::PAGE_NEXT)},
      {"kept_bytes drops by the page's size", final_quad(end, g, bytes_offset) == s.initial_quad(g, bytes_offset) - size},
      {"the result is page + 0x60", rax == page + u64(c, L::LARGE_USER_OFFSET)},
      {"block size = Round16(n), live 1, free head 0, bump 0, class 0xFFFF, recip 0",
       final_quad(end, r, L::PAGE_BLOCK_SIZE) == spec::round_up(n, L::MEM_ALIGN) &&
           final_quad(end, r, L::PAGE_LIVE) == u64(c, 1) && final_quad(end, r, L::PAGE_FREE_HEAD) == u64(c, 0) &&
           final_quad(end, r, L::PAGE_BUMP) == u64(c, 0) &&
           final_quad(end, r, L::PAGE_CLASS) == u64(c, L::PAGE_CLASS_LARGE) &&
           final_quad(end, r, L::PAGE_RECIP) == u64(c, 0)}};
  linked_page_obligations(end, s, r,
                          MappedPage{page, size, *head_, s.initial_quad(r, L::PAGE_TIMESTAMP), {"kept_bytes"}, {bin_entry()}},
                          out);
  return out;
}

TraceOps MemAllocSpec::trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) {
  std::uint64_t n = value_in(m, s.arg(0));
  const bool refused = !model::mem_request_in_range(n);
  if (refused) return {ops::make_op(OpCode::mem_alloc, {number(n)}, returns_null())};
  if (holds_in(m, *keepable_) && value_in(m, *kept_page_) != 0) {
    // A kept page of n's size, which the contract takes back whatever the
    // OS would answer: n's page, freed and kept (within the floor), the
    // clock moved on (its timestamp stays), then n again.
    const ops::PtrExpr block = ops::PtrExpr::handle(kBlock, 0);
    return {ops::make_op(OpCode::mem_alloc, {number(n)}, creates_first(kBlock)),
            ops::make_op(OpCode::mem_free, {ops::ptr(block), number(n)}, returns_normally()), clock_moves_on(),
            ops::make_op(OpCode::mem_alloc, {number(n)}, returns(ops::PtrExpr::handle(kBlock, 1)))};
  }
  // A refusal by the OS (a large page's mapping, or new_slab's 0): the
  // process's first page needs the page map's first table, so a refused
  // mmap then refuses either.
  for (const CallEvent& call : cex.state.calls) {
    const bool os_refused = call.callee == "__mf_os_mmap" && value_in(m, call.result) >= static_cast<std::uint64_t>(-4095);
    const bool no_slab = call.callee == "new_slab" && value_in(m, call.result) == 0;
    if (os_refused || no_slab) return {fail_next_mmap(), ops::make_op(OpCode::mem_alloc, {number(n)}, returns_null())};
  }
  if (n <= L::SMALL_MAX && value_in(m, open_->slab) == 0 && value_in(m, s.initial_global("kept_slabs")) != 0) {
    // new_slab takes a kept slab back: one left kept by public calls, the
    // clock moved on (its timestamp stays), then the request.
    std::uint32_t next = 0;
    TraceOps trace = leave_a_kept_slab(value_in(m, *class_), next);
    trace.push_back(clock_moves_on());
    trace.push_back(ops::make_op(OpCode::mem_alloc, {number(n)}, returns(ops::PtrExpr::handle(kBlock, next))));
    return trace;
  }
  if (n > L::SMALL_MAX || value_in(m, open_->slab) == 0)
    return {ops::make_op(OpCode::mem_alloc, {number(n)}, creates_first(kBlock))};
  return slab_trace(m, n);
}

// The state of a counterexample on the open slab's path, built with public
// calls: the blocks below bump handed out, then the mem_alloc.  (The
// precondition also admits a next open slab behind a first one with room at
// bump, which no sequence of calls makes: a slab becomes first behind
// others only by reopening, and a reopened slab was full.  The trace leaves
// it out.)
TraceOps MemAllocSpec::slab_trace(const z3::model& m, std::uint64_t n) {
  const OpenSlab& o = *open_;
  if (value_in(m, o.free_head) != 0) return pop_trace(m, n);
  const std::uint64_t size = value_in(m, o.size), slab = value_in(m, o.slab);
  if (size == 0) return {};
  const std::uint64_t per_slab = (L::SLAB_SIZE - L::SLAB_BLOCKS_OFFSET) / size;
  if (per_slab > 256) return {};  // too long to be useful
  const std::uint64_t first_block = slab + L::SLAB_BLOCKS_OFFSET;
  const std::uint64_t bumped = std::min((value_in(m, o.bump) - first_block + size - 1) / size, per_slab - 1);
  TraceOps trace;
  for (std::uint32_t i = 0; i <= bumped; ++i)
    trace.push_back(ops::make_op(OpCode::mem_alloc, {number(n)}, returns(ops::PtrExpr::handle(kBlock, i))));
  return trace;
}

// A counterexample on the pop's path, as public calls: the pop of a block
// freed after two blocks of n were handed out (the second freed, so that
// the slab stays live), then the mem_alloc, which creates the next handle
// (the contract's model knows it is the freed block).  The counterexample's
// own slab is not rebuilt block for block: its block size is free in the
// precondition, while the replay's is n's class's; a pop of a valid head
// takes the same path whichever it is.  A head that is not a free block
// (the checks' exits) no sequence of these calls makes.
TraceOps MemAllocSpec::pop_trace(const z3::model& m, std::uint64_t n) {
  const OpenSlab& o = *open_;
  const std::uint64_t size = value_in(m, o.size), slab = value_in(m, o.slab), head = value_in(m, o.free_head);
  const std::uint64_t first_block = slab + L::SLAB_BLOCKS_OFFSET;
  const bool free_block = size != 0 && head >= first_block && (head - first_block) % size == 0 &&
                          head < value_in(m, o.bump);
  if (!free_block) return {};
  return {ops::make_op(OpCode::mem_alloc, {number(n)}, returns(ops::PtrExpr::handle(kBlock, 0))),
          ops::make_op(OpCode::mem_alloc, {number(n)}, returns(ops::PtrExpr::handle(kBlock, 1))),
          ops::make_op(OpCode::mem_free, {ops::ptr(ops::PtrExpr::handle(kBlock, 1)), number(n)}, returns_normally()),
          ops::make_op(OpCode::mem_alloc, {number(n)}, returns(ops::PtrExpr::handle(kBlock, 2)))};
}

// new_slab(class): asks the page map for room, then takes the kept slab at
// the top of kept_slabs back if there is one (kept_slabs its link,
// kept_bytes - SLAB_SIZE, no mapping, no time call, its timestamp kept),
// else maps SLAB_SIZE bytes and stamps them; either way fills a slab header
// for the class, clears the bitmap and the open links, and links the slab at
// the head of the page list; for every class 0..NUM_CLASSES-1 at once.
// The kept slab's header and bitmap hold anything at entry (a region whose
// every quad is a free unknown), so the proof shows each written.  The
// recip is checked to be (2^32 + bs - 1) / bs; layout/slab_layout_proofs.cpp
// proves, class by class, that this is ceil(2^32 / bs).
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
    page_map_may_change(s);
    // The kept slab: its header and bitmap a region, its whole mapping an
    // extent; apart from every other region and extent (the stack, the data
    // sections, the live page at the head: assume_layout, prover.cpp).
    kept_.emplace(s.initial_global("kept_slabs"));
    z3::expr kept = *kept_, is_kept = kept != u64(c, 0);
    kept_region_ = s.add_header("kept_slab", kept, L::SLAB_BLOCKS_OFFSET, kPageFields, is_kept);
    s.add_extent(kept, u64(c, L::SLAB_SIZE), is_kept);
    s.assume(kept_slab_in_user_space(kept));
  }
  std::vector<NamedValue> inputs(ProofSetup& s) override {
    return {{"class (rdi)", s.arg(0)},
            {"page_head", *head_},
            {"kept_slabs", *kept_},
            {"kept slab's next", s.initial_quad(kept_region_, L::PAGE_NEXT)},
            {"kept_bytes", s.initial_global("kept_bytes")}};
  }
  std::vector<NamedValue> witnesses(ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr index = s.arg(0), head = *head_, kept = *kept_;
    const z3::expr live_page = u64(c, 0x7f0000000000), kept_slab = u64(c, 0x7d0000000000);
    z3::expr kept_next = s.initial_quad(kept_region_, L::PAGE_NEXT);
    return {{"the first class, no page yet", index == u64(c, 0) && head == u64(c, 0) && kept == u64(c, 0)},
            {"the last class, with a live page at the head",
             index == u64(c, L::NUM_CLASSES - 1) && head == live_page && kept == u64(c, 0)},
            {"a kept slab taken back, the only one, with a live page at the head",
             index == u64(c, 3) && head == live_page && kept == kept_slab && kept_next == u64(c, 0)},
            {"a kept slab taken back from a stack of two, no page live",
             index == u64(c, L::NUM_CLASSES - 1) && head == u64(c, 0) && kept == kept_slab &&
                 kept_next == kept_slab + u64(c, 4 * L::SLAB_SIZE)}};
  }

  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    if (end.kind != PathEnd::Kind::Return) return {{"new_slab returns", c.bool_val(false)}};
    z3::expr rax = end.state.regs[RAX];
    z3::expr kept = *kept_;
    auto maps = calls_to(end, "__mf_os_mmap");
    auto reserves = calls_to(end, "page_map_reserve");
    if (reserves.size() != 1) return {{"new_slab asks the page map for room once", c.bool_val(false)}};
    z3::expr reserved = reserves.front()->result != u64(c, 0);
    if (maps.empty() && calls_to(end, "page_map_insert").empty()) {
      return {{"when the page map cannot grow, new_slab returns 0 and changes nothing else",
               !reserved && rax == u64(c, 0) && globals_unchanged_except(end, s, kPageMapGlobals)}};
    }
    if (maps.empty()) return kept_slab_path(end, s, reserved);
    if (maps.size() != 1 || maps.front()->region < 0) return {{"new_slab maps exactly one slab", c.bool_val(false)}};
    const CallEvent& map = *maps.front();
    z3::expr page = map.result;
    z3::expr refused = z3::uge(page, u64(c, static_cast<std::uint64_t>(-4095)));
    std::vector<Obligation> out = {
        {"a slab is mapped only when none is kept", kept == u64(c, 0) && reserved},
        {"the mapping is SLAB_SIZE bytes", map.args[0] == u64(c, L::SLAB_SIZE)},
        {"an OS refusal returns 0 and changes nothing",
         z3::implies(refused, rax == u64(c, 0) && globals_unchanged_except(end, s, kPageMapGlobals) &&
                                   heap_untouched(end, c))}};
    std::vector<Obligation> slab;
    slab_obligations(end, s, map.region, MappedPage{page, u64(c, L::SLAB_SIZE), *head_}, slab);
    for (Obligation& o : slab) out.push_back({o.name, z3::implies(!refused, o.holds)});
    return out;
  }

  TraceOps trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) override {
    // The first small allocation of the class makes a slab.
    const std::uint64_t index = value_in(m, s.arg(0));
    std::uint64_t n = value_in(m, spec::class_block_size(s.arg(0)));
    // A refused page map: the process's first page needs the map's first
    // table, so a refused mmap then makes page_map_reserve return 0.
    for (const CallEvent& call : cex.state.calls) {
      if (call.callee == "page_map_reserve" && value_in(m, call.result) == 0)
        return {fail_next_mmap(), ops::make_op(OpCode::mem_alloc, {number(n)}, returns_null())};
    }
    if (value_in(m, *kept_) == 0)
      return {ops::make_op(OpCode::mem_alloc, {number(n)}, creates_first(kBlock)),
              ops::make_op(OpCode::mem_free, {first(kBlock), number(n)}, returns_normally())};
    // A kept slab taken back: one left kept by public calls, the clock moved
    // on, then the class's first allocation, which takes it back.
    std::uint32_t next = 0;
    TraceOps trace = leave_a_kept_slab(index, next);
    const ops::PtrExpr block = ops::PtrExpr::handle(kBlock, next);
    trace.push_back(clock_moves_on());
    trace.push_back(ops::make_op(OpCode::mem_alloc, {number(n)}, returns(block)));
    trace.push_back(ops::make_op(OpCode::mem_free, {ops::ptr(block), number(n)}, returns_normally()));
    return trace;
  }

 private:
  // A slab's header for the class, its bitmap and open links, its link at
  // the head of the list (the timestamp: a new mapping's or the kept one's).
  void slab_obligations(const PathEnd& end, ProofSetup& s, int r, const MappedPage& m, std::vector<Obligation>& out) {
    z3::context& c = s.ctx();
    z3::expr rax = end.state.regs[RAX];
    z3::expr index = s.arg(0);
    z3::expr size = spec::class_block_size(index);
    linked_page_obligations(end, s, r, m, out);
    out.push_back({"the result is the slab", rax == m.page});
    out.push_back({"block size and class are the class's", final_quad(end, r, L::PAGE_BLOCK_SIZE) == size &&
                                                              final_quad(end, r, L::PAGE_CLASS) == index});
    out.push_back({"recip = (2^32 + block size - 1) / block size",
                   final_quad(end, r, L::PAGE_RECIP) ==
                       z3::udiv(u64(c, 1ULL << spec::kRecipShift) + size - u64(c, 1), size)});
    out.push_back({"live 0, free head 0, bump at the first block",
                   final_quad(end, r, L::PAGE_LIVE) == u64(c, 0) && final_quad(end, r, L::PAGE_FREE_HEAD) == u64(c, 0) &&
                       final_quad(end, r, L::PAGE_BUMP) == m.page + u64(c, L::SLAB_BLOCKS_OFFSET)});
    z3::expr bitmap_zero = c.bool_val(true);
    for (std::uint64_t o = L::PAGE_BITMAP; o < L::PAGE_BITMAP + L::PAGE_BITMAP_BYTES; o += 8)
      bitmap_zero = bitmap_zero && final_quad(end, r, o) == u64(c, 0);
    out.push_back({"the bitmap is all zero (no block free)", bitmap_zero});
    out.push_back({"on no open list yet: open next and open prev 0",
                   final_quad(end, r, L::SLAB_OPEN_NEXT) == u64(c, 0) && final_quad(end, r, L::SLAB_OPEN_PREV) == u64(c, 0)});
  }

  // No mapping: the kept slab at the top of kept_slabs is taken back.
  std::vector<Obligation> kept_slab_path(const PathEnd& end, ProofSetup& s, const z3::expr& reserved) {
    z3::context& c = s.ctx();
    z3::expr kept = *kept_;
    std::uint64_t top_offset = 0, bytes_offset = 0;
    const int globals = s.global_region("kept_slabs", top_offset);
    s.global_region("kept_bytes", bytes_offset);
    std::vector<Obligation> out = {
        {"a slab is taken back only when one is kept and the page map has room", kept != u64(c, 0) && reserved},
        {"the kept slab is popped: kept_slabs becomes its link",
         final_quad(end, globals, top_offset) == s.initial_quad(kept_region_, L::PAGE_NEXT)},
        {"kept_bytes drops by SLAB_SIZE",
         final_quad(end, globals, bytes_offset) == s.initial_quad(globals, bytes_offset) - u64(c, L::SLAB_SIZE)}};
    MappedPage m{kept, u64(c, L::SLAB_SIZE), *head_, s.initial_quad(kept_region_, L::PAGE_TIMESTAMP),
                 {"kept_slabs", "kept_bytes"}};
    slab_obligations(end, s, kept_region_, m, out);
    return out;
  }

  std::optional<z3::expr> head_, kept_;
  int kept_region_ = -1;
};

}  // namespace

std::unique_ptr<FunctionSpec> make_alloc_spec(const std::string& name) {
  if (name == "mem_alloc") return std::make_unique<MemAllocSpec>();
  if (name == "new_slab") return std::make_unique<NewSlabSpec>();
  return nullptr;
}

}  // namespace mf::proof
