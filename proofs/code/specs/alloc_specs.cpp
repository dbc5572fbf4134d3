// alloc_specs.cpp - docs/spec.md, "The page allocator": mem_alloc, and
// new_slab's slab header.
//
// mem_alloc is proved on every path:
//   - n = 0 or n > MEM_MAX_REQUEST: returns 0, no call, no write;
//   - small n: the class table `open_slabs` is read at the spec's class of
//     n (the read resolves to the precondition's entry only where it is
//     provably there), then
//       - no open slab: one call of new_slab for that class (its contract,
//         callee_specs.h; its preconditions, class < NUM_CLASSES and no kept
//         slab, are required at the call); its 0 is returned with nothing
//         changed but the page map; else the slab becomes the class's first
//         open slab and its first block is returned (bump after it, live 1);
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
//   - large n, with nothing kept: the whole path: the page map asked for
//     room (0 returned, nothing else changed, when it cannot grow), one
//     mapping of Round4096(0x60 + n) bytes, the page header and its
//     extension filled as the spec's table says, the page linked at the head
//     of the list, page + 0x60 returned; or 0 and nothing changed but the page
//     map when the OS refuses.
// The preconditions: page_head is 0 or a live page (its header memory is
// known to be the allocator's); nothing is kept (no kept slab, no kept large
// page: taking one back is checked by the differential harness, not here);
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
const std::vector<std::string> kPageMapGlobals = {"page_map", "page_map_slots"};

// What mem_alloc's and new_slab's proofs assume of the allocator's state
// beyond the list head: no slab is kept; and which globals page_map_reserve
// may change.
void assume_no_kept_slab(ProofSetup& s) {
  z3::context& c = s.ctx();
  s.assume(s.initial_global("kept_slabs") == u64(c, 0));
  for (const std::string& name : kPageMapGlobals) {
    std::uint64_t offset = 0;
    const int g = s.global_region(name, offset);
    s.callees().page_map_globals.emplace_back(g, offset);
  }
}

// No large page is kept (taking one back is not proved yet).
void assume_no_kept_large_page(ProofSetup& s) {
  std::uint64_t bins = 0;
  const int region = s.global_region("kept_large", bins);
  for (std::uint64_t b = 0; b < kKeptLargeBins; ++b) s.assume(s.initial_quad(region, bins + 8 * b) == u64(s.ctx(), 0));
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
    assume_no_kept_slab(s);
    assume_no_kept_large_page(s);
    configure_new_slab(s);
    z3::expr head = *head_;
    // A live page: 4096-aligned, its header the allocator's own memory (the
    // large path links a page before it; a small request's paths do not
    // read it, and their open slab may be that very page).
    s.assume(head == u64(c, 0) || ((head & u64(c, L::OS_PAGE_SIZE - 1)) == u64(c, 0) &&
                                   z3::uge(head, u64(c, L::NULL_PAGE_END)) &&
                                   z3::ult(head, u64(c, L::USER_SPACE_END - L::OS_PAGE_SIZE))));
    s.add_extent(head, u64(c, L::PAGE_EXT_END), head != u64(c, 0) && !*small_);
    s.callees().mmap_block = FreshBlockLayout{L::PAGE_EXT_END, "new_page", kPageFields};
    setup_open_slab(s);
  }
  std::vector<NamedValue> inputs(ProofSetup& s) override {
    const OpenSlab& o = *open_;
    return {{"n (rdi)", s.arg(0)},          {"page_head", *head_},        {"class", *class_},
            {"open_slabs[class]", o.slab},  {"open_slab.bump", o.bump},
            {"open_slab.block_size", o.size}, {"open_slab.live", o.live},  {"open slab's open next", o.next}};
  }
  std::vector<z3::expr> nice_constraints(ProofSetup& s) override {
    z3::context& c = s.ctx();
    const OpenSlab& o = *open_;
    // The largest class (7 blocks a slab) keeps a trace short; a trace
    // cannot put a second slab behind a first with room at bump (see
    // slab_trace).
    return {z3::ule(s.arg(0), u64(c, 1ULL << 20)), z3::implies(*small_, z3::ugt(s.arg(0), u64(c, L::SMALL_MAX / 2))),
            z3::implies(*small_ && o.slab != u64(c, 0), o.next == u64(c, 0))};
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

  std::optional<z3::expr> refused_, small_, head_, class_;
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
  s.callees().slab_block = FreshBlockLayout{L::PAGE_EXT_END, "new_slab", kPageFields};
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
          {"a large request with a live page at the head", head == live_page && n == u64(c, L::SMALL_MAX + 1)},
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
  const int r = call.region;
  std::vector<Obligation> out = {
      {"only a small request with no open slab calls new_slab, once, for its class",
       *small_ && open_->slab == u64(c, 0) && call.args[0] == *class_ &&
           c.bool_val(end.state.calls.size() == 1)},
      {"new_slab's 0 is returned as 0, with nothing else changed",
       z3::implies(!made, rax == u64(c, 0) && globals_unchanged_except(end, s, kPageMapGlobals) &&
                              heap_untouched(end, c))}};
  if (r < 0) return out;
  std::vector<Obligation> made_slab = {
      {"the block is the slab's first", rax == slab + u64(c, L::SLAB_BLOCKS_OFFSET)},
      {"the slab: bump after the first block, live 1, free head 0, the class and its block size",
       final_quad(end, r, L::PAGE_BUMP) == slab + u64(c, L::SLAB_BLOCKS_OFFSET) + size &&
           final_quad(end, r, L::PAGE_LIVE) == u64(c, 1) && final_quad(end, r, L::PAGE_FREE_HEAD) == u64(c, 0) &&
           final_quad(end, r, L::PAGE_CLASS) == *class_ && final_quad(end, r, L::PAGE_BLOCK_SIZE) == size},
      {"the slab becomes the first open slab of the class", end.state.memory.read(table_, table_entry(), 8) == slab},
      {"only the page list's globals, the page map and the class's first open slab change among the globals",
       globals_unchanged_except(end, s, {"page_head", "page_count", "live_bytes", "page_map", "page_map_slots"},
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

TraceOps MemAllocSpec::trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) {
  std::uint64_t n = value_in(m, s.arg(0));
  const bool refused = !model::mem_request_in_range(n);
  if (refused) return {ops::make_op(OpCode::mem_alloc, {number(n)}, returns_null())};
  // A refusal by the OS (a large page's mapping, or new_slab's 0): the
  // process's first page needs the page map's first table, so a refused
  // mmap then refuses either.
  for (const CallEvent& call : cex.state.calls) {
    const bool os_refused = call.callee == "__mf_os_mmap" && value_in(m, call.result) >= static_cast<std::uint64_t>(-4095);
    const bool no_slab = call.callee == "new_slab" && value_in(m, call.result) == 0;
    if (os_refused || no_slab) return {fail_next_mmap(), ops::make_op(OpCode::mem_alloc, {number(n)}, returns_null())};
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
    assume_no_kept_slab(s);
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
