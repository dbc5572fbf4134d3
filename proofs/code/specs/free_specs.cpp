// free_specs.cpp - docs/spec.md, "The page allocator", mem_free(p, n), as a
// code-proof spec: mem_free's checks and exits, the large path whole, a
// small block's free whole (up to the tail jump to release_page).
//
//   - p = 0 exits 110; n = 0 or n > MEM_MAX_REQUEST exits 111;
//   - small n (class c): p's slab S = p & ~0xFFFF.  mem_free exits 111,
//     nothing changed, unless S != 0 is a live slab of class c (the first
//     open slab of c, or a page the page map holds whose class field is c),
//     p lies in its block area on a block boundary, below bump, S's magic
//     is VZOELFOX, and p's bit in S's bitmap is clear (set: a double free);
//   - such a block is pushed: its bit set, its first quad the old free
//     head, the free head p, live one less, nothing else of S's header
//     changed, the heap written nowhere else; a slab that was full (no
//     free list, no room at bump) reopens: the class's first open slab, its
//     open prev 0, and its open next 0 when no slab was open; an emptied
//     slab that is the first open slab stays; mem_free then returns;
//   - a reopened S with an old first open slab F != 0: S.open_next = F and
//     F.open_prev = S if F.live != 0, and mem_free returns; else (F empty)
//     F leaves the list: S.open_next = F.open_next, whose open_prev becomes
//     S when it is not 0, and F goes to release_page;
//   - an emptied S that is not the first open slab leaves the list: its
//     open prev's open_next becomes S.open_next, its open next's (when not
//     0) open_prev becomes S.open_prev, and S goes to release_page;
//   - nothing else is written: no other field of F, of its next or of S's
//     neighbours, no other heap quad;
//   - at the tail jump to release_page (where the proof ends the path, as
//     on the large path) the page handed over (rdi) is a live slab the page
//     map holds, with live 0, that no open list names any more (the table,
//     and every link the path wrote, name other slabs); rsp and the
//     callee-saved registers are as at entry.  That is what release_page
//     may assume of it; its unlink, keep or unmap are the differential
//     harness's;
//   - large n: page = p - 0x60 must be 4096-aligned, held by the page map,
//     with magic VZOELFOX, class 0xFFFF and block size Round16(n), else 111;
//     the page is handed to release_page (the tail jump, where the proof
//     ends the path), nothing changed before.  release_page itself (unlink,
//     keep or unmap) is checked by the differential harness, as the page
//     map's hashing is (callee_specs.h).
//
// Precondition (what the other functions leave; any other value is free):
//   - the page map holds exactly the live pages (page_map_find's contract,
//     callee_specs.h); a live page is 4096-aligned, a slab 64 KiB-aligned,
//     and live pages are the allocator's own memory, apart from the stack
//     and the data sections;
//   - the first open slab F of class c, if any, is a live slab of class c,
//     and open (a free block or room at bump): so a full S is not F;
//   - the open list of class c is a doubly linked list of distinct live
//     slabs (docs/spec.md, "Slabs"; mem_alloc and mem_free keep it so): where
//     S is full and F != 0, F.open_next is 0 or a live slab other than F
//     and S (a full slab is on no open list); where S is a live slab of
//     class c, open and not F (so on the list, not first), S.open_prev is a
//     live slab other than S, and S.open_next is 0 or a live slab other
//     than S and S.open_prev.  Those slabs' headers and links are late
//     regions (spec_support.h, LateRegions) that join only the two paths
//     that reach them, with their distinctness, after the push's heap
//     writes, which lie in S's extent, apart from all of them.  Their
//     layout (apart from every other region, extent and each other), which
//     the join and the regions' separation rest on, is stated and checked
//     with the witnesses, and assumed on no path: no query needs it;
//   - a live slab S whose class field is below NUM_CLASSES: block size the
//     class's, bump in [S + 0x270, S + 64 KiB], recip = ceil(2^32 / block
//     size) (used through the index trick proved in
//     layout/slab_layout_proofs.cpp).
// The header fields the checks read (magic, class, block size of a large
// page) are free, so a corrupt page exits 111 as the contract says.
#include <map>
#include <optional>
#include <set>

#include "spec_arith.h"
#include "spec_registry.h"
#include "spec_support.h"
#include "trace_ops.h"

namespace mf::proof {
namespace {

namespace L = mf::layout;
using spec::u64;
constexpr ops::HandleKind kBlock = ops::HandleKind::block;

const std::map<std::uint64_t, std::string> kHeaderFields = {
    {L::PAGE_MAGIC, "magic"}, {L::PAGE_BLOCK_SIZE, "block_size"}, {L::PAGE_LIVE, "live"},
    {L::PAGE_FREE_HEAD, "free_head"}, {L::PAGE_BUMP, "bump"}, {L::PAGE_CLASS, "class"}, {L::PAGE_RECIP, "recip"}};
const std::map<std::uint64_t, std::string> kOpenLinks = {{0, "open_next"}, {8, "open_prev"}};

// The quad at `address` of the heap at entry.
z3::expr entry_quad(const Memory& memory, const z3::expr& address) {
  z3::context& c = address.ctx();
  z3::expr_vector bytes(c);
  for (unsigned i = 8; i-- > 0;) bytes.push_back(memory.initial_byte(memory.heap(), address + c.bv_val(i, 64)));
  return z3::concat(bytes).simplify();
}

// dst * src as a two-operand imul forms it (semantics.cpp), so that the
// lemmas below name the very product terms of the code.
z3::expr imul64(const z3::expr& dst, const z3::expr& src) {
  return (z3::sext(dst, 64) * z3::sext(src, 64)).simplify().extract(63, 0).simplify();
}

// A slab's header fields at entry (its region) and its open links (another
// region: the bitmap between them is heap, inside the slab's extent).
struct SlabAtEntry {
  z3::expr base, magic, block_size, live, free_head, bump, cls, recip, open_next, open_prev;
};

// The block-index facts mem_free's check rests on, for a p in the block
// area of a live slab: off = p - S - 0x270 < 2^16 (S = p & ~0xFFFF), the
// block size bs is its class's, in [16, SMALL_MAX] (layout/
// slab_layout_proofs.cpp, "every class's block size ..."), recip =
// ceil(2^32 / bs); slab_layout_proofs.cpp proves over the integers that
// then (off * recip) >> 32 = off / bs with no wrap, and off / bs < 4096
// since bs >= 16 (the bitmap's 4096 bits).  Stated as their conclusion
// (the hypotheses hold wherever it is assumed), so that no query has to
// derive them again.
z3::expr block_index_facts(const z3::expr& off, const z3::expr& index, const SlabAtEntry& slab) {
  z3::context& c = off.ctx();
  z3::expr q = z3::udiv(off, slab.block_size);
  return index == q && z3::ult(index, u64(c, L::PAGE_BITMAP_BYTES * 8));
}

class MemFreeSpec : public FunctionSpec {
 public:
  std::string function() const override { return "mem_free"; }
  ops::Target trace_target() const override { return ops::Target::alloc; }

  void setup(ProofSetup& s) override {
    z3::context& c = s.ctx();
    p_.emplace(s.arg(0));
    n_.emplace(s.arg(1));
    const z3::expr& n = *n_;
    small_.emplace(n != u64(c, 0) && z3::ule(n, u64(c, L::SMALL_MAX)));
    large_.emplace(z3::ugt(n, u64(c, L::SMALL_MAX)) && z3::ule(n, u64(c, L::MEM_MAX_REQUEST)));
    class_.emplace(spec::size_class(n));
    // A small n's class is one of the table's (layout/'s size_classes
    // group proves it): implied by the definition, stated so that the
    // integer stage, which loses the definition's quotient, has it too.
    s.assume(z3::implies(*small_, z3::ult(*class_, u64(c, L::NUM_CLASSES))));
    table_region_ = s.global_region("open_slabs", table_offset_);
    first_.emplace(first_open_slab(s));
    add_slab(s);
    add_large_page(s);
    assume_block_facts(s);
    add_open_neighbours(s);
  }

  // Every instruction: a register that is ite(b, x, y) with b (or !b) on
  // the path is x (or y): page_map_find's rdx after the branch on its ZF.
  // Then the hand-overs this proof rewrites or ends the path at, and the
  // late regions' join.
  bool before(const Instruction& insn, MachineState& state, ProofSetup& s) override {
    resolve_by_path(state);
    for (z3::expr& reg : state.regs) {
      if (z3::eq(reg, *slab_masked_)) reg = slab_->base;
      if (z3::eq(reg, *quad_index_code_)) reg = *quad_index_;
    }
    if (loads_open_slabs(insn, s)) {
      // rax holds the class the code computed: it must be the spec's class
      // of n (checked at the end of the path), and from here on the
      // spec's term indexes the table, so that the first open slab read is
      // the very term the precondition speaks of.
      state.noted.emplace_back("class", state.regs[RAX]);
      state.regs[RAX] = *class_;
      state.memory.store(table_region_, *table_at_class_, 8, *first_);
    }
    if (table_pending_) table_address_.emplace(state.regs[RCX]);
    table_pending_ = loads_open_slabs(insn, s);
    if (!late_.joined(state) && reaches_another_slab(insn, state)) {
      // Broken code only (a heap access outside S's extent before, say
      // at a p past bump): the path ends here, its push checked, with an
      // obligation that fails, since the late regions' contents would lie.
      if (std::optional<std::string> why = late_.why_not_joinable(state)) {
        unjoinable_sites_[insn.address] = *why;
        return false;
      }
      late_.join(state);
    }
    if (!jumps_to_release_page(insn, s)) return true;
    // A small path hands over a slab only after it reached another one (F,
    // or S's neighbours); the large path never does.
    (late_.joined(state) ? slab_release_sites_ : large_hand_over_sites_).insert(insn.address);
    return false;
  }

  // An access the executor resolved into a page's header region has just
  // had that region's validity proved on this path (Executor::resolve
  // requires it): it is noted among the path's conditions, so that the
  // next access to the same header finds it there instead of asking the
  // solver again.  A fact proved, never assumed: the path's facts in the
  // solver already imply it.
  bool on_access(const AccessEvent& access, MachineState& state, ProofSetup&) override {
    if (access.region == slab_region_ || access.region == large_region_ || is_late(access.region))
      note_proved(state, state.memory.region(access.region).valid);
    return true;
  }
  // The late regions' facts join a path at its first access to one of them.
  bool late_precondition_due(const AccessEvent& access, ProofSetup&) override { return is_late(access.region); }

  bool precondition_due(const AccessEvent& access, ProofSetup&) override {
    std::uint64_t offset = 0;
    return access.region == slab_region_ && access.offset.is_numeral_u64(offset) && offset == L::PAGE_BUMP;
  }

  std::vector<NamedValue> inputs(ProofSetup&) override {
    std::vector<NamedValue> v = {{"p (rdi)", *p_},         {"n (rsi)", *n_},
                                 {"class of n", *class_}, {"first open slab of the class", *first_}};
    for (const auto& [name, value] : slab_inputs()) v.push_back({name, value});
    return v;
  }

  std::vector<z3::expr> nice_constraints(ProofSetup& s) override {
    z3::context& c = s.ctx();
    const SlabAtEntry& slab = *slab_;
    // A counterexample on a path that leaves S is replayed with whole slabs
    // filled (trace()): 7 blocks of 8192 bytes each, where 16 bytes would
    // take 4057 allocations per slab.  (Tried first: it holds vacuously
    // wherever S is the first open slab, as the others then ask.)
    return {z3::implies(slab.base != *first_, *n_ == u64(c, L::SMALL_MAX)),
            z3::ule(*n_, u64(c, 64)),
            slab.base == *first_,
            z3::ule(slab.bump - slab.base, u64(c, L::SLAB_BLOCKS_OFFSET + 4 * 64)),
            z3::ugt(slab.bump - slab.base, u64(c, L::SLAB_BLOCKS_OFFSET)),
            z3::ule(*p_ - slab.base, u64(c, L::SLAB_BLOCKS_OFFSET + 8 * 64)),
            slab.free_head == u64(c, 0)};
  }

  std::vector<NamedValue> witnesses(ProofSetup& s) override;
  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override;
  TraceOps trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) override;

 private:
  TraceOps other_slab_trace(const z3::model& m, std::uint64_t n);
  // ---- the state at entry ----
  // The table's entry for the spec's class is named F; the proof stores F
  // there when the code first takes the table's address (before()), so
  // that the code reads F itself.  (The entry read at a symbolic offset
  // would be a choice among every byte of the data section, which every
  // query would then carry.)
  z3::expr first_open_slab(ProofSetup& s) {
    const Memory& memory = s.initial().memory;
    table_at_class_.emplace(table_offset_term(s, memory.region(table_region_).base));
    return s.ctx().bv_const("open_slabs[class]", 64);
  }
  z3::expr table_offset_term(ProofSetup& s, const z3::expr& section) {
    z3::context& c = s.ctx();
    z3::expr table = (section + u64(c, table_offset_)).simplify();
    z3::expr address = (u64(c, 0) + table + *class_ * u64(c, 8)).simplify();
    return (address - section).simplify();
  }
  // A slab's fields at entry: the header from its region, the open links
  // (heap, inside the slab's extent) as the heap held them.
  SlabAtEntry slab_at(ProofSetup& s, int header, int links, const z3::expr& base) {
    auto q = [&](std::uint64_t o) { return s.initial_quad(header, o); };
    return {base,       q(L::PAGE_MAGIC), q(L::PAGE_BLOCK_SIZE), q(L::PAGE_LIVE),
            q(L::PAGE_FREE_HEAD), q(L::PAGE_BUMP), q(L::PAGE_CLASS), q(L::PAGE_RECIP),
            s.initial_quad(links, 0), s.initial_quad(links, 8)};
  }
  void add_slab(ProofSetup& s);
  void add_large_page(ProofSetup& s);
  void assume_block_facts(ProofSetup& s);
  void add_open_neighbours(ProofSetup& s);
  bool is_late(int region) const { return region >= first_region_ && region <= next_links_region_; }

  // ---- the contract ----
  z3::expr offset() const { return (*p_ - slab_->base - u64(p_->ctx(), L::SLAB_BLOCKS_OFFSET)).simplify(); }
  // The block's index as the code computes it; = off / bs (block_index_facts).
  z3::expr index() const {
    return z3::lshr(imul64(slab_->recip, offset()), u64(p_->ctx(), spec::kRecipShift)).simplify();
  }
  // off is a multiple of the block size: bs * (off / bs) = off, with
  // off / bs written as the index trick computes it (equal to it by
  // block_index_facts), so that the spec and the code name one product.
  z3::expr on_block_boundary() const { return imul64(slab_->block_size, index()) == offset(); }
  z3::expr bitmap_quad_address() const {
    z3::context& c = p_->ctx();
    return (u64(c, L::PAGE_BITMAP) + slab_->base + *quad_index_ * u64(c, 8)).simplify();
  }
  z3::expr bit_is_set(const z3::expr& word) const {
    z3::context& c = p_->ctx();
    z3::expr bit = index() & u64(c, 63);
    return ((z3::lshr(word, bit) & u64(c, 1)) == u64(c, 1)).simplify();
  }
  z3::expr bit_mask() const {
    z3::context& c = p_->ctx();
    return z3::shl(u64(c, 1), index() & u64(c, 63)).simplify();
  }
  // p is a live block of n's class in its slab (the bitmap word given).
  z3::expr small_block_is_live(const z3::expr& word) const;
  // Every check but the bit (the double-free check, last).
  z3::expr small_block_passes_but_its_bit() const;
  z3::expr large_block_is_live() const;
  z3::expr exit_expected(const PathEnd& end) const;

  std::vector<Obligation> exit_obligations(const PathEnd& end, ProofSetup& s, const z3::expr& expected);
  std::vector<Obligation> hand_over_obligations(const PathEnd& end, ProofSetup& s);
  std::vector<Obligation> push_obligations(const PathEnd& end, ProofSetup& s);
  // The slab was full (no free list, no room at bump): the free reopens it.
  z3::expr reopens_full_slab() const {
    z3::context& c = p_->ctx();
    const SlabAtEntry& slab = *slab_;
    return slab.free_head == u64(c, 0) &&
           z3::ugt(slab.bump + slab.block_size, slab.base + u64(c, L::SLAB_SIZE));
  }
  // The old first open slab's fields and S's open neighbours at entry (the
  // late regions' named quads).
  z3::expr first_live() const { return late_.initial_quad(first_region_, L::PAGE_LIVE); }
  z3::expr first_next() const { return late_.initial_quad(first_links_region_, 0); }
  // The cases of a small path's end (docs/spec.md, mem_free 4).
  z3::expr emptied_not_first() const {
    const SlabAtEntry& slab = *slab_;
    return slab.live == u64(p_->ctx(), 1) && !reopens_full_slab() && slab.base != *first_;
  }
  z3::expr reopens_before_first() const { return reopens_full_slab() && *first_ != u64(p_->ctx(), 0); }
  // Whether the path accessed that (late) region.
  static bool reached(const PathEnd& end, int region) {
    for (const AccessEvent& a : end.state.accesses)
      if (a.region == region) return true;
    return false;
  }
  std::vector<Obligation> stays_in_own_slab(const PathEnd& end);
  std::vector<Obligation> reopened_before_first(const PathEnd& end, ProofSetup& s);
  std::vector<Obligation> unlinked_not_first(const PathEnd& end, ProofSetup& s);
  std::vector<Obligation> hand_over(const PathEnd& end, ProofSetup& s, const z3::expr& page, const std::string& what,
                                    const z3::expr& assumable);

  bool reaches_another_slab(const Instruction& insn, const MachineState& state) const;
  z3::expr regions_unchanged(const PathEnd& end) const;
  z3::expr globals_with_entry(const PathEnd& end, const z3::expr& entry) const;
  std::vector<std::pair<std::string, z3::expr>> slab_inputs() const;

  static void resolve_by_path(MachineState& state);
  static void note_proved(MachineState& state, const z3::expr& fact);
  bool loads_open_slabs(const Instruction& insn, ProofSetup& s) const;
  bool jumps_to_release_page(const Instruction& insn, ProofSetup& s) const;

  std::optional<z3::expr> p_, n_, small_, large_, class_, first_, table_at_class_;
  std::optional<z3::expr> quad_index_, quad_index_code_;
  std::optional<z3::expr> slab_masked_, slab_valid_, slab_mine_, large_page_, large_valid_;
  std::optional<SlabAtEntry> slab_;
  int table_region_ = -1;
  std::uint64_t table_offset_ = 0;
  int slab_region_ = -1, links_region_ = -1, large_region_ = -1;
  // The late regions (add_open_neighbours), numbered in this order.
  LateRegions late_;
  int first_region_ = -1, first_links_region_ = -1, first_next_links_region_ = -1;
  int prev_links_region_ = -1, next_links_region_ = -1;
  // The class table's address once the code took it (rcx), and the sites
  // where paths end: the large path's tail jump, a small path's.
  bool table_pending_ = false;
  std::optional<z3::expr> table_address_;
  std::set<std::uint64_t> large_hand_over_sites_, slab_release_sites_;
  // Where a path reached another slab whose late regions could not join it,
  // and why (LateRegions::why_not_joinable).
  std::map<std::uint64_t, std::string> unjoinable_sites_;
  std::optional<z3::expr> large_magic_, large_class_, large_block_size_;
};

// p's slab S: its header (a region, valid when the page map holds S: the
// first open slab is held, below) and the rest of it (bitmap, open links,
// blocks: one extent) when it is a slab (class below NUM_CLASSES).
void MemFreeSpec::add_slab(ProofSetup& s) {
  z3::context& c = s.ctx();
  // S is named: the simplifier writes p & ~0xFFFF, and S + k after it, as
  // concatenations whose difference it cannot reduce to k, so the code's
  // masked register is replaced by the name (before()).
  slab_masked_.emplace((*p_ & u64(c, ~(L::SLAB_SIZE - 1))).simplify());
  z3::expr base = c.bv_const("slab", 64);
  s.assume(base == *slab_masked_);
  z3::expr held = base != u64(c, 0) && page_map_holds(c)(base);
  slab_valid_.emplace(*small_ && held);
  slab_region_ = s.add_header("slab", base, L::PAGE_EXT_END, kHeaderFields, *slab_valid_);
  const z3::expr cls = s.initial_quad(slab_region_, L::PAGE_CLASS);
  z3::expr is_slab = *slab_valid_ && z3::ult(cls, u64(c, L::NUM_CLASSES));
  // The open links are a region of their own (inside the slab's extent, at
  // a numeral offset from it), not heap: their writes then never meet the
  // heap's writes at p and at the bitmap quad, so that no end-of-path
  // query has to keep the link bytes apart from those writes byte by byte.
  // Valid where the header is (a page the page map holds is a live
  // mapping of at least a page, apart from the stack and the data
  // sections, so 16 bytes at 0x260 in it are too): the header's validity,
  // once an access proved it (on_access), then covers them as well.
  links_region_ = s.add_header("slab.links", (base + u64(c, L::SLAB_OPEN_NEXT)).simplify(), 16, kOpenLinks,
                               *slab_valid_);
  slab_.emplace(slab_at(s, slab_region_, links_region_, base));
  const SlabAtEntry& slab = *slab_;
  slab_mine_.emplace(is_slab && slab.cls == *class_);
  s.add_extent((base + u64(c, L::PAGE_EXT_END)).simplify(), u64(c, L::SLAB_SIZE - L::PAGE_EXT_END), is_slab);
  const z3::expr& first = *first_;
  // The first open slab of the class: a live slab of the class, open.
  s.assume(z3::implies(*small_ && first != u64(c, 0),
                       page_map_holds(c)(first) && page_in_user_space(first, L::SLAB_SIZE, L::SLAB_SIZE)));
  // Held, restated of S itself: the integer stage keeps page_map_holds(F)
  // and page_map_holds(S) as two unknowns, so that it could not tell a
  // path on which F = S that S is live, and every containment of an access
  // to S's blocks or bitmap went on to a satisfiable integer query (seconds
  // of its simplex each) before bit-blasting settled it.
  s.assume(z3::implies(*small_ && first != u64(c, 0) && base == first,
                       slab.cls == *class_ && page_map_holds(c)(base)));
  // A live page at S lies in user space; a slab with a consistent header.
  s.assume(z3::implies(*slab_valid_, page_in_user_space(base, L::PAGE_EXT_END, L::SLAB_SIZE)));
  s.assume(z3::implies(is_slab, page_in_user_space(base, L::SLAB_SIZE, L::SLAB_SIZE) &&
                                    slab.block_size == spec::class_block_size(slab.cls) &&
                                    z3::uge(slab.bump, base + u64(c, L::SLAB_BLOCKS_OFFSET)) &&
                                    z3::ule(slab.bump, base + u64(c, L::SLAB_SIZE))));
}

// The large path's page p - 0x60, valid when it is 4096-aligned and held.
void MemFreeSpec::add_large_page(ProofSetup& s) {
  z3::context& c = s.ctx();
  large_page_.emplace((*p_ - u64(c, L::LARGE_USER_OFFSET)).simplify());
  const z3::expr& page = *large_page_;
  large_valid_.emplace(*large_ && page != u64(c, 0) && aligned(page, L::OS_PAGE_SIZE) && page_map_holds(c)(page));
  large_region_ = s.add_header("large_page", page, L::PAGE_EXT_END, kHeaderFields, *large_valid_);
  large_magic_.emplace(s.initial_quad(large_region_, L::PAGE_MAGIC));
  large_class_.emplace(s.initial_quad(large_region_, L::PAGE_CLASS));
  large_block_size_.emplace(s.initial_quad(large_region_, L::PAGE_BLOCK_SIZE));
  s.assume(z3::implies(*large_valid_, page_in_user_space(page, L::PAGE_EXT_END, L::OS_PAGE_SIZE)));
}

void MemFreeSpec::assume_block_facts(ProofSetup& s) {
  z3::context& c = s.ctx();
  const SlabAtEntry& slab = *slab_;
  z3::expr is_slab = *slab_valid_ && z3::ult(slab.cls, u64(c, L::NUM_CLASSES));
  z3::expr in_blocks = z3::uge(*p_ - slab.base, u64(c, L::SLAB_BLOCKS_OFFSET));
  // The facts below only matter from the bump check on (the bitmap read,
  // the push): they join a path at its read of the slab's bump
  // (precondition_due), so that the exits before it never carry the
  // products and the quotient they name.
  s.assume_where_due(z3::implies(is_slab && in_blocks, block_index_facts(offset(), index(), slab)));
  // p's bitmap quad (index / 64) is named, like the slab, and is one of
  // the bitmap's 64 (index < 4096, above): the code's register is replaced
  // by the name (before()), so that the address it reads is linear in
  // named values, which the integer stage (where an extent's containment is
  // asked first) decides at once.
  quad_index_.emplace(c.bv_const("bitmap_quad_index", 64));
  quad_index_code_.emplace(z3::lshr(index(), u64(c, 6)).simplify());
  s.assume(*quad_index_ == *quad_index_code_);
  s.assume_where_due(z3::implies(is_slab && in_blocks, z3::ule(*quad_index_, u64(c, L::PAGE_BITMAP_BYTES / 8 - 1))));
  // A block below bump ends inside the slab: a block boundary is a
  // multiple of 16 (every class's block size is, layout/
  // slab_layout_proofs.cpp) below SLAB_SIZE - SLAB_BLOCKS_OFFSET, itself
  // one.  Stated as the conclusion, as above (the product is abstracted in
  // every query); it keeps the link written at p inside the slab.
  s.assume_where_due(z3::implies(is_slab && in_blocks && on_block_boundary() && z3::ult(*p_, slab.bump),
                       z3::ule(offset(), u64(c, L::SLAB_SIZE - L::SLAB_BLOCKS_OFFSET - L::MEM_ALIGN))));
}

// The slabs the two paths that leave p's slab reach: where S reopens before
// an old first open slab F, F's header and links and F's open next's links;
// where an emptied S is not first, its open neighbours' links.  Late
// regions (spec_support.h): they join only those paths, at the first
// access to one of them, with the open list's facts and their layout; every
// other path of mem_free carries none of it.  They join after the push's
// writes at p and at p's bitmap quad, which the executor proves inside S's
// extent, and the layout facts put each of them apart from that extent.
//
// Each one exists exactly where the precondition names a slab there, so that
// its layout facts are true of every state of the precondition: F and its
// next where S is full (F != S: F is open, S not), S's neighbours where S
// is on the list and not first (a live slab of n's class, open, not F).
// The two groups never exist together (S full, S open).
void MemFreeSpec::add_open_neighbours(ProofSetup& s) {
  z3::context& c = s.ctx();
  const SlabAtEntry& slab = *slab_;
  const z3::expr& first = *first_;
  const z3::expr zero = u64(c, 0);
  auto links_of = [&](const z3::expr& base) { return (base + u64(c, L::SLAB_OPEN_NEXT)).simplify(); };
  const z3::expr f_exists = (*small_ && first != zero && reopens_full_slab()).simplify();
  first_region_ = late_.add_header(s, "first_open_slab", first, L::PAGE_EXT_END, kHeaderFields, f_exists);
  first_links_region_ = late_.add_header(s, "first_open_slab.links", links_of(first), 16, kOpenLinks, f_exists);
  const z3::expr f_next = first_next();
  first_next_links_region_ = late_.add_header(s, "first_open_slab.next.links", links_of(f_next), 16, kOpenLinks,
                                              (f_exists && f_next != zero).simplify());
  const z3::expr open = !reopens_full_slab();
  const z3::expr listed = (*small_ && *slab_mine_ && slab.base != first && open).simplify();
  prev_links_region_ = late_.add_header(s, "slab.prev.links", links_of(slab.open_prev), 16, kOpenLinks, listed);
  next_links_region_ = late_.add_header(s, "slab.next.links", links_of(slab.open_next), 16, kOpenLinks,
                                        (listed && slab.open_next != zero).simplify());
  // What the open list's facts (the head comment) give here: those slabs
  // are live slabs, so apart from every region and extent of the entry
  // state and from each other (the layout facts), and distinct.  The
  // layout facts are what join's argument and the regions' separation rest
  // on, true of every state of the precondition; no query uses them (no
  // heap access follows the join on these paths, and the regions are
  // reached at numeral offsets), so they are stated, checked with the
  // witnesses, and assumed on no path: on the path they were most of every
  // query's bit-blasting (mem_free's solver effort 85 M units with them,
  // 49 M without).  Distinctness, which the obligations use, is assumed.
  // Being held by the page map and aligned is neither: nothing needs it.
  s.state_unassumed(late_.layout_facts(s.initial()));
  s.assume_where_late_due(z3::implies(f_exists, f_next != first && f_next != slab.base));
  s.assume_where_late_due(z3::implies(
      listed, slab.open_prev != zero && slab.open_prev != slab.base && slab.open_next != slab.base &&
                  (slab.open_next == zero || slab.open_next != slab.open_prev)));
  // The first open slab is open: where it is S, S is not full.  Joins at the
  // read of bump with the block facts, before the branch on S's fullness,
  // so that no path of a full S = F is followed at all.
  s.assume_where_due(z3::implies(*small_ && first == slab.base, open));
}

z3::expr MemFreeSpec::small_block_is_live(const z3::expr& word) const {
  return small_block_passes_but_its_bit() && !bit_is_set(word);
}

z3::expr MemFreeSpec::small_block_passes_but_its_bit() const {
  z3::context& c = p_->ctx();
  const SlabAtEntry& slab = *slab_;
  return *small_ && *slab_mine_ && slab.base != u64(c, 0) &&
         z3::uge(*p_ - slab.base, u64(c, L::SLAB_BLOCKS_OFFSET)) && slab.magic == u64(c, L::PAGE_MAGIC_VALUE) &&
         on_block_boundary() && z3::ult(*p_, slab.bump);
}

z3::expr MemFreeSpec::large_block_is_live() const {
  z3::context& c = p_->ctx();
  return *large_valid_ && *large_magic_ == u64(c, L::PAGE_MAGIC_VALUE) &&
         *large_class_ == u64(c, L::PAGE_CLASS_LARGE) && *large_block_size_ == spec::round_up(*n_, L::MEM_ALIGN);
}

z3::expr MemFreeSpec::exit_expected(const PathEnd& end) const {
  z3::context& c = p_->ctx();
  z3::expr word = entry_heap_quad(end, bitmap_quad_address());
  z3::expr live = z3::ite(*small_, small_block_is_live(word), large_block_is_live());
  return z3::ite(*p_ == u64(c, 0), exit_code(c, L::MF_EXIT_NULL),
                 z3::ite(live, exit_code(c, 0), exit_code(c, L::MF_EXIT_BOUNDS)));
}

// The allocator's globals: the class table's entry for n's class holds
// `entry` (every write of that section went there: the proof's own store
// of F included), every other data section is unchanged.
z3::expr MemFreeSpec::globals_with_entry(const PathEnd& end, const z3::expr& entry) const {
  z3::context& c = entry.ctx();
  const Memory& memory = end.state.memory;
  z3::expr all = c.bool_val(true);
  for (std::size_t i = 1; i < memory.region_count(); ++i) {
    const Region& r = memory.region(static_cast<int>(i));
    if (r.kind != RegionKind::Global) continue;
    if (static_cast<int>(i) != table_region_ || r.writes.empty()) {
      all = all && unchanged_except(end, static_cast<int>(i), {});
      continue;
    }
    all = all && memory.read(table_region_, *table_at_class_, 8) == entry;
    for (const MemoryWrite& w : r.writes)
      all = all && c.bool_val(w.kind == MemoryWrite::Kind::Store) && w.offset == *table_at_class_ &&
            w.length == u64(c, 8);
  }
  return all;
}

z3::expr MemFreeSpec::regions_unchanged(const PathEnd& end) const {
  z3::expr all = end.state.regs[0].ctx().bool_val(true);
  for (int r : {slab_region_, links_region_, large_region_})
    all = all && unchanged_except(end, r, {});
  if (late_.joined(end.state))
    for (int r = first_region_; r <= next_links_region_; ++r) all = all && unchanged_except(end, r, {});
  return all;
}

std::vector<Obligation> MemFreeSpec::exit_obligations(const PathEnd& end, ProofSetup& s, const z3::expr& expected) {
  z3::context& c = s.ctx();
  return {{"the function exits only where the contract says so", expected != exit_code(c, 0)},
          {"the exit code is the contract's", end.exit_code == expected},
          {"nothing changes before the exit",
           globals_with_entry(end, *first_) && regions_unchanged(end) && heap_untouched(end, c)}};
}

// The large path's end, at its tail jump to release_page: nothing changed,
// the page handed over with the stack and the callee-saved registers as at
// entry (release_page returns to mem_free's caller).
std::vector<Obligation> MemFreeSpec::hand_over_obligations(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  z3::expr saved = c.bool_val(true);
  for (Gpr r : {RBX, RBP, R12, R13, R14, R15}) saved = saved && end.state.regs[r] == s.initial_reg(r);
  return {{"only a live large block of n's size reaches release_page",
           *p_ != u64(c, 0) && *large_ && large_block_is_live()},
          {"nothing changes before mem_free's hand-over to release_page",
           globals_with_entry(end, *first_) && regions_unchanged(end) && heap_untouched(end, c)},
          {"a large block's page is handed to release_page, rsp and the callee-saved registers as at entry",
           end.state.regs[RDI] == *large_page_ && end.state.regs[RSP] == s.entry_rsp() && saved}};
}

// The free of a live small block: the push (p becomes the free list's head,
// its first quad the old head, its bit set), live - 1; then, by the slabs
// the path reached, what the contract does to the open list.  Stated at
// every small path's end: a return, or the tail jump to release_page.
std::vector<Obligation> MemFreeSpec::push_obligations(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  const SlabAtEntry& slab = *slab_;
  const z3::expr word = entry_heap_quad(end, bitmap_quad_address());
  // The heap as the quads the path may write, then each one's value.
  const z3::expr q = bitmap_quad_address();
  const std::vector<AllowedQuad> writable = {{*p_, c.bool_val(true)}, {q, c.bool_val(true)}};
  const z3::expr zero = u64(c, 0);
  std::vector<Obligation> out = {
      {"only a live block of n's class (its bit clear) is pushed", *p_ != zero && small_block_is_live(word)},
      {"the slab's free head becomes p, live one less, no other header field changes",
       unchanged_except(end, slab_region_, {L::PAGE_FREE_HEAD, L::PAGE_LIVE}) &&
           final_quad(end, slab_region_, L::PAGE_FREE_HEAD) == *p_ &&
           final_quad(end, slab_region_, L::PAGE_LIVE) == slab.live - u64(c, 1) &&
           unchanged_except(end, large_region_, {})},
      {"memory: the heap is written only at p's first quad and its bitmap quad", heap_writes_only_at(end, writable)},
      {"memory: p's first quad links the slab's old free head", quad_stored(end, *p_, slab.free_head)},
      {"memory: p's bitmap quad has p's bit set", quad_stored(end, q, word | bit_mask())}};
  std::vector<Obligation> rest;
  const auto unjoinable = unjoinable_sites_.find(end.site);
  if (end.kind == PathEnd::Kind::Cut && unjoinable != unjoinable_sites_.end())
    rest = {{"the heap accesses before another slab is reached lie in p's slab, apart from it: " + unjoinable->second,
             c.bool_val(false)}};
  else if (reached(end, first_region_))
    rest = reopened_before_first(end, s);
  else if (reached(end, prev_links_region_))
    rest = unlinked_not_first(end, s);
  else
    rest = stays_in_own_slab(end);
  for (Obligation& o : rest) out.push_back(o);
  return out;
}

// A path that reached no other slab: the slab stays open, reopens as the
// only open slab (open prev and next 0), or stays as the emptied first
// open slab; mem_free returns.
std::vector<Obligation> MemFreeSpec::stays_in_own_slab(const PathEnd& end) {
  z3::context& c = p_->ctx();
  const SlabAtEntry& slab = *slab_;
  const z3::expr zero = u64(c, 0);
  const z3::expr reopens = reopens_full_slab();
  const z3::expr next = final_quad(end, links_region_, 0), prev = final_quad(end, links_region_, 8);
  return {{"the class's first open slab is p's slab if it reopens, else unchanged",
           globals_with_entry(end, z3::ite(reopens, slab.base, *first_))},
          {"a reopened slab's open prev and next are 0 (it is the only open slab); else its links unchanged",
           z3::ite(reopens, prev == zero && next == zero, unchanged_except(end, links_region_, {}))},
          {"mem_free returns without reaching another slab only where the contract has nothing more to do (not an "
           "emptied slab that is not first, not a reopened slab before an open first)",
           c.bool_val(end.kind == PathEnd::Kind::Return) && !emptied_not_first() &&
               z3::implies(reopens, *first_ == zero)}};
}

// S was full and an old first open slab F exists: S opens first, before F
// (its open prev 0).  F not empty stays: S.open_next = F, F.open_prev = S,
// return.  F empty leaves: S.open_next = F.open_next, whose open prev
// becomes S when it is not 0, and F goes to release_page.
std::vector<Obligation> MemFreeSpec::reopened_before_first(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  const SlabAtEntry& slab = *slab_;
  const z3::expr zero = u64(c, 0);
  const z3::expr next = final_quad(end, links_region_, 0), prev = final_quad(end, links_region_, 8);
  const z3::expr& first = *first_;
  std::vector<Obligation> out = {
      {"mem_free reaches the old first open slab only where S was full and that slab exists", reopens_before_first()},
      {"the class's first open slab becomes S", globals_with_entry(end, slab.base)},
      {"the old first open slab's header is unchanged", unchanged_except(end, first_region_, {})}};
  if (end.kind == PathEnd::Kind::Return) {
    std::vector<Obligation> stays = {
        {"mem_free returns after linking S before the old first open slab only where that slab is not empty",
         first_live() != zero},
        {"S's open prev is 0, its open next the old first open slab", prev == zero && next == first &&
                                                                           unchanged_except(end, links_region_, {0, 8})},
        {"the old first open slab's open prev becomes S, its open next unchanged",
         final_quad(end, first_links_region_, 8) == slab.base && unchanged_except(end, first_links_region_, {8})},
        {"the old first open slab's next's links are unchanged", unchanged_except(end, first_next_links_region_, {})}};
    out.insert(out.end(), stays.begin(), stays.end());
    return out;
  }
  const z3::expr f_next = first_next();
  std::vector<Obligation> leaves = {
      {"the old first open slab leaves only where it is empty", first_live() == zero},
      {"S's open prev is 0, its open next the old first open slab's next",
       prev == zero && next == f_next && unchanged_except(end, links_region_, {0, 8})},
      {"the old first open slab's links are unchanged", unchanged_except(end, first_links_region_, {})},
      {"the old first open slab's next, if any, has S as its open prev, nothing else of it changed",
       z3::implies(f_next != zero, final_quad(end, first_next_links_region_, 8) == slab.base) &&
           unchanged_except(end, first_next_links_region_, {8})}};
  out.insert(out.end(), leaves.begin(), leaves.end());
  // What release_page may assume of F: live, empty (above), named by no
  // open list: the table holds S, S.open_next is F's next (not F), and
  // F's next's open prev is S.
  for (Obligation& o : hand_over(end, s, first, "the empty old first open slab",
                                 page_map_holds(c)(first) && slab.base != first && f_next != first))
    out.push_back(o);
  return out;
}

// An emptied S that is not the first open slab leaves the open list: its
// open prev's open next becomes S.open_next, whose open prev (when it is
// not 0) becomes S.open_prev; S goes to release_page.
std::vector<Obligation> MemFreeSpec::unlinked_not_first(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  const SlabAtEntry& slab = *slab_;
  const z3::expr zero = u64(c, 0);
  std::vector<Obligation> out = {
      {"mem_free reaches S's open neighbours only where S was emptied and is not the first open slab",
       emptied_not_first()},
      {"the class's first open slab is unchanged", globals_with_entry(end, *first_)},
      {"S's own links are unchanged", unchanged_except(end, links_region_, {})},
      {"S's open prev's open next becomes S's open next, nothing else of it changed",
       final_quad(end, prev_links_region_, 0) == slab.open_next && unchanged_except(end, prev_links_region_, {0})},
      {"S's open next, if any, has S's open prev as its open prev, nothing else of it changed",
       z3::implies(slab.open_next != zero, final_quad(end, next_links_region_, 8) == slab.open_prev) &&
           unchanged_except(end, next_links_region_, {8})}};
  if (end.kind == PathEnd::Kind::Return) {
    out.push_back({"an emptied slab that is not first is released, never kept by a return", c.bool_val(false)});
    return out;
  }
  // What release_page may assume of S: live, empty (live - 1 = 0, above),
  // named by no open list: the table holds F (not S), its neighbours'
  // links name each other.
  for (Obligation& o : hand_over(end, s, slab.base, "the emptied slab",
                                 page_map_holds(c)(slab.base) && *first_ != slab.base &&
                                     slab.open_prev != slab.base && slab.open_next != slab.base))
    out.push_back(o);
  return out;
}

// The tail jump to release_page with `page`: release_page returns to
// mem_free's caller, so rsp and the callee-saved registers are as at entry;
// `assumable` is what release_page may assume of the page (live, the page
// map holds it, no open list names it).
std::vector<Obligation> MemFreeSpec::hand_over(const PathEnd& end, ProofSetup& s, const z3::expr& page,
                                               const std::string& what, const z3::expr& assumable) {
  z3::context& c = s.ctx();
  z3::expr saved = c.bool_val(true);
  for (Gpr r : {RBX, RBP, R12, R13, R14, R15}) saved = saved && end.state.regs[r] == s.initial_reg(r);
  return {{"mem_free ends at its tail jump to release_page only after linking or unlinking another slab",
           c.bool_val(slab_release_sites_.count(end.site) > 0)},
          {"release_page receives " + what, end.state.regs[RDI] == page},
          {"release_page may assume of " + what + ": the page map holds it, and no open list names it any more",
           assumable},
          {"release_page is entered with rsp and the callee-saved registers as at entry",
           end.state.regs[RSP] == s.entry_rsp() && saved}};
}

std::vector<Obligation> MemFreeSpec::obligations(const PathEnd& end, ProofSetup& s) {
  z3::context& c = s.ctx();
  std::vector<Obligation> out;
  for (const auto& [name, value] : end.state.noted)
    out.push_back({"the table of open slabs is indexed by the spec's class of n", value == *class_});
  std::vector<Obligation> rest;
  if (end.kind == PathEnd::Kind::Exit)
    rest = exit_obligations(end, s, exit_expected(end));
  else if (end.kind == PathEnd::Kind::Cut && large_hand_over_sites_.count(end.site))
    rest = hand_over_obligations(end, s);
  else if (end.kind == PathEnd::Kind::Return || slab_release_sites_.count(end.site) ||
           unjoinable_sites_.count(end.site))
    rest = push_obligations(end, s);
  else
    rest = {{"a path of mem_free ends only at an exit, a return or release_page", c.bool_val(false)}};
  for (Obligation& o : rest) out.push_back(o);
  return out;
}

std::vector<std::pair<std::string, z3::expr>> MemFreeSpec::slab_inputs() const {
  const SlabAtEntry& slab = *slab_;
  return {{"slab = p & ~0xFFFF", slab.base}, {"slab.magic", slab.magic},   {"slab.class", slab.cls},
          {"slab.block_size", slab.block_size}, {"slab.live", slab.live}, {"slab.free_head", slab.free_head},
          {"slab.bump", slab.bump},            {"slab.recip", slab.recip}, {"slab.open_next", slab.open_next},
          {"slab.open_prev", slab.open_prev},
          {"large page = p - 0x60", *large_page_}, {"large page.block_size", *large_block_size_}};
}

// ---- hooks ----

// A boolean constant the path fixes (page_map_find's answer, once branched
// on) is replaced by its value in every register.
void MemFreeSpec::resolve_by_path(MachineState& state) {
  z3::context& c = state.regs[0].ctx();
  z3::expr_vector from(c), to(c);
  for (const z3::expr& fact : state.conditions) {
    const bool negated = fact.is_app() && fact.decl().decl_kind() == Z3_OP_NOT;
    const z3::expr atom = negated ? fact.arg(0) : fact;
    if (!atom.is_const() || atom.is_true() || atom.is_false()) continue;
    from.push_back(atom);
    to.push_back(c.bool_val(!negated));
  }
  if (from.empty()) return;
  for (z3::expr& reg : state.regs) reg = reg.substitute(from, to).simplify();
}

// Conjunct by conjunct, so that a validity that shares some of them with
// another (a late region's and its neighbour's) finds them on the path.
void MemFreeSpec::note_proved(MachineState& state, const z3::expr& fact) {
  const z3::expr proved = fact.simplify();
  if (proved.is_app() && proved.decl().decl_kind() == Z3_OP_AND) {
    for (unsigned i = 0; i < proved.num_args(); ++i) note_proved(state, proved.arg(i));
    return;
  }
  for (const z3::expr& known : state.conditions)
    if (z3::eq(known, proved)) return;
  state.conditions.push_back(proved);
}

bool MemFreeSpec::loads_open_slabs(const Instruction& insn, ProofSetup& s) const {
  if (insn.mnemonic.rfind("lea", 0) != 0 || insn.relocations.size() != 1) return false;
  const Relocation& r = insn.relocations.front();
  const std::int64_t addend = r.addend + static_cast<std::int64_t>(insn.next_address - r.offset);
  if (r.symbol == "open_slabs") return addend == 0;
  const Symbol* table = s.code().defined_symbol("open_slabs");
  return table && r.symbol == table->section && addend == static_cast<std::int64_t>(table->value);
}

// An access through a register that holds none of the memory of the entry
// state (p's slab, p itself, the large page, the class table, the stack):
// the old first open slab, or an emptied slab's open neighbours, whose late
// regions join the path there.  (An access through any other register then
// finds no region and goes to the heap, where it must lie in an extent.)
bool MemFreeSpec::reaches_another_slab(const Instruction& insn, const MachineState& state) const {
  if (insn.mnemonic.rfind("lea", 0) == 0 || insn.mnemonic.rfind("nop", 0) == 0) return false;  // no access
  for (const std::string& text : insn.operands) {
    if (text.find('(') == std::string::npos) continue;
    Operand o = parse_operand(text, false);
    if (o.kind != Operand::Kind::Memory || !o.memory.base || o.memory.base->gpr == RSP) continue;
    const z3::expr& base = state.regs[o.memory.base->gpr];
    if (z3::eq(base, slab_->base) || z3::eq(base, *p_) || z3::eq(base, *large_page_)) continue;
    if (table_address_ && z3::eq(base, *table_address_)) continue;
    return true;
  }
  return false;
}

bool MemFreeSpec::jumps_to_release_page(const Instruction& insn, ProofSetup& s) const {
  if (insn.mnemonic != "jmp" || insn.operands.size() != 1) return false;
  if (!insn.relocations.empty()) return insn.relocations.front().symbol == "release_page";
  const Symbol* release = s.code().defined_symbol("release_page");
  Operand target = parse_operand(insn.operands[0], true);
  return release && release->section == insn.section && target.kind == Operand::Kind::Target &&
         target.immediate == release->value;
}

// ---- witnesses ----

// Concrete states of class 0 (16-byte blocks, recip 2^28) around the slab
// at 0x7f0000000000, so that no multiplier has to be searched: the checks'
// exits, the large path, and each way a push ends (the slab stays open,
// reopens alone, reopens before an open first slab that stays or, empty,
// is released with or without a next, is emptied as the first open slab
// or as another one, last on the list or not).
std::vector<NamedValue> MemFreeSpec::witnesses(ProofSetup& s) {
  z3::context& c = s.ctx();
  const SlabAtEntry& slab = *slab_;
  const std::uint64_t base = 0x7f0000000000, other = 0x7f0000010000;
  const std::uint64_t block = base + L::SLAB_BLOCKS_OFFSET;
  z3::func_decl held = page_map_holds(c);
  z3::expr word = entry_quad(s.initial().memory, bitmap_quad_address());
  const std::uint64_t bs = 16;
  auto slab_with = [&](std::uint64_t bump_blocks, std::uint64_t p) {
    return *n_ == u64(c, bs) && *p_ == u64(c, p) && slab.magic == u64(c, L::PAGE_MAGIC_VALUE) &&
           slab.cls == u64(c, 0) && slab.block_size == u64(c, bs) && slab.recip == u64(c, 1ULL << 28) &&
           slab.bump == u64(c, block + bump_blocks * bs) && held(u64(c, base));
  };
  z3::expr large_page = u64(c, 0x7f0000100000);
  std::vector<NamedValue> out = {
      {"p = 0", *p_ == u64(c, 0)},
      {"n = 0", *n_ == u64(c, 0) && *p_ == u64(c, block)},
      {"a block freed twice", slab_with(2, block) && *first_ == u64(c, base) && word == u64(c, 1)},
      {"a pointer into the middle of a block", slab_with(2, block + 8) && *first_ == u64(c, base)},
      {"a block at bump (never handed out)", slab_with(2, block + 2 * bs) && *first_ == u64(c, base)},
      {"a pointer whose slab the page map does not hold", *n_ == u64(c, bs) && *p_ == u64(c, block) &&
                                                              *first_ == u64(c, other) && !held(u64(c, base))},
      {"a large block", *n_ == u64(c, 10000) && *p_ == large_page + u64(c, L::LARGE_USER_OFFSET) &&
                            held(large_page) && *large_magic_ == u64(c, L::PAGE_MAGIC_VALUE) &&
                            *large_class_ == u64(c, L::PAGE_CLASS_LARGE) && *large_block_size_ == u64(c, 10000)}};
  const std::uint64_t full = (L::SLAB_SIZE - L::SLAB_BLOCKS_OFFSET) / bs;  // every block handed out
  auto live_block = [&](std::uint64_t bump_blocks, std::uint64_t first, std::uint64_t head, std::uint64_t live) {
    return slab_with(bump_blocks, block) && *first_ == u64(c, first) && word == u64(c, 0) &&
           slab.free_head == u64(c, head) && slab.live == u64(c, live);
  };
  out.push_back({"a block of the first open slab pushed on a non-empty free list", live_block(3, base, block + 2 * bs, 2)});
  out.push_back({"a block of another slab of the class, found by the page map, pushed on a non-empty free list",
                 live_block(3, other, block + 2 * bs, 2)});
  out.push_back({"the last live block of the first open slab, which stays", live_block(2, base, 0, 1)});
  out.push_back({"a block of a full slab, which reopens as the only open slab of its class", live_block(full, 0, 0, full)});
  // The slabs the paths that leave S reach: F (= other) and its next, S's
  // open neighbours (other before S, a third slab after it).
  const std::uint64_t third = 0x7f0000020000;
  auto first_is = [&](std::uint64_t live, std::uint64_t next) {
    return held(u64(c, other)) && first_live() == u64(c, live) && first_next() == u64(c, next) &&
           (next == 0 || held(u64(c, next)));
  };
  auto neighbours = [&](std::uint64_t next) {
    return held(u64(c, other)) && slab.open_prev == u64(c, other) && slab.open_next == u64(c, next) &&
           (next == 0 || held(u64(c, next)));
  };
  // Each for a class of each route of the class computation (whose paths
  // differ): class 0 (16-byte blocks, recip 2^28), and class 66 (n >
  // STEP_MAX: 8192-byte blocks, recip 2^19, 7 blocks a slab).
  struct Class {
    std::uint64_t index, size;
    std::string name;
  };
  for (const Class& k : {Class{0, bs, ""}, Class{L::NUM_CLASSES - 1, L::SMALL_MAX, ", 8192-byte blocks"}}) {
    const std::uint64_t all = (L::SLAB_SIZE - L::SLAB_BLOCKS_OFFSET) / k.size;
    auto slab_of = [&](std::uint64_t bump_blocks, std::uint64_t head, std::uint64_t live) {
      return *n_ == u64(c, k.size) && *p_ == u64(c, block) && slab.magic == u64(c, L::PAGE_MAGIC_VALUE) &&
             slab.cls == u64(c, k.index) && slab.block_size == u64(c, k.size) &&
             slab.recip == u64(c, (1ULL << 32) / k.size) && slab.bump == u64(c, block + bump_blocks * k.size) &&
             held(u64(c, base)) && *first_ == u64(c, other) && word == u64(c, 0) &&
             slab.free_head == u64(c, head) && slab.live == u64(c, live);
    };
    const z3::expr full_slab = slab_of(all, 0, all), emptied = slab_of(3, block + 2 * k.size, 1);
    out.push_back({"a block of a full slab, which reopens before the class's open first slab, which stays" + k.name,
                   full_slab && first_is(3, 0)});
    out.push_back({"a block of a full slab, which reopens before an empty first slab, released, that has no next" +
                       k.name,
                   full_slab && first_is(0, 0)});
    out.push_back({"a block of a full slab, which reopens before an empty first slab, released, that has a next" +
                       k.name,
                   full_slab && first_is(0, third)});
    out.push_back({"the last live block of a slab that is not first and last on the list, which is released" + k.name,
                   emptied && neighbours(0)});
    out.push_back({"the last live block of a slab that is not first and has an open next, which is released" + k.name,
                   emptied && neighbours(third)});
  }
  return out;
}

// ---- the counterexample as a trace ----

// A counterexample on a path that leaves S (S reopens before an old first
// open slab F; an emptied S is not first), as a fresh process that builds
// that list with whole slabs: S is the first slab filled (m0.., block i is
// mi), so p is S's block at its index; the contract's outcome follows.
//   - S reopens before F: S filled, then F (m(k)) the first open slab,
//     emptied where F.live = 0; where F has a next X, S, X and F are filled
//     and one more block taken (Y), X and F freed into (list F, X, Y), F
//     emptied: F first, empty, X after it;
//   - S emptied, not first: S and F filled, Y takes one block; a block of S
//     freed (list S, Y), one of F (F, S, Y); where S has no next, Y emptied
//     (released, not first); then S's other blocks, then p.
TraceOps MemFreeSpec::other_slab_trace(const z3::model& m, std::uint64_t n) {
  const SlabAtEntry& slab = *slab_;
  const std::uint64_t bs = value_in(m, spec::class_block_size(*class_));
  const std::uint64_t off = value_in(m, offset());
  const std::uint64_t k = bs == 0 ? 0 : (L::SLAB_SIZE - L::SLAB_BLOCKS_OFFSET) / bs;  // blocks per slab
  if (bs == 0 || off % bs != 0 || off / bs >= k) return {};
  const std::uint64_t index = off / bs;
  auto block = [](std::uint64_t i) { return ops::PtrExpr::handle(kBlock, static_cast<std::uint32_t>(i), false, 0); };
  TraceOps trace;
  auto alloc_blocks = [&](std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t i = from; i < to; ++i)
      trace.push_back(ops::make_op(OpCode::mem_alloc, {number(n)}, ops::Expectation::pointer_to(block(i))));
  };
  auto free_block = [&](std::uint64_t i) {
    trace.push_back(ops::make_op(OpCode::mem_free, {ops::ptr(block(i)), number(n)}, returns_normally()));
  };
  if (holds_in(m, reopens_before_first())) {
    const bool f_empty = value_in(m, first_live()) == 0, f_has_next = value_in(m, first_next()) != 0;
    if (f_empty && f_has_next) {
      alloc_blocks(0, 3 * k + 1);  // S, X, F full; Y holds m(3k)
      free_block(k);               // X reopens: X, Y
      for (std::uint64_t i = 2 * k; i < 3 * k; ++i) free_block(i);  // F reopens first, then empties: F, X, Y
    } else {
      alloc_blocks(0, k + 1);  // S full; F holds m(k)
      if (f_empty) free_block(k);
    }
  } else if (holds_in(m, emptied_not_first())) {
    const bool has_next = value_in(m, slab.open_next) != 0;
    const std::uint64_t other = index == 0 ? 1 : 0;
    alloc_blocks(0, 2 * k + 1);  // S, F full; Y holds m(2k)
    free_block(other);           // S reopens: S, Y
    free_block(k);               // F reopens: F, S, Y
    if (!has_next) free_block(2 * k);  // Y, not first, emptied: released
    for (std::uint64_t i = 0; i < k; ++i)
      if (i != index && i != other) free_block(i);
  } else {
    return {};
  }
  free_block(index);
  return trace;
}

// A fresh process: k blocks of n allocated (m0..), so that the slab is the
// first open slab of n's class, m0 at its first block; a block whose bit
// the counterexample sets is freed first; then the failing mem_free, with
// the outcome the contract gives that state.  Other states (a second slab,
// a free list, a large page of another size) are not written.
TraceOps MemFreeSpec::trace(const z3::model& m, const CounterexampleFound&, ProofSetup& s) {
  const std::uint64_t p = value_in(m, *p_), n = value_in(m, *n_);
  auto free_op = [&](ops::Arg where, bool live) {
    return ops::make_op(OpCode::mem_free, {where, number(n)}, live ? returns_normally() : exits_with(L::MF_EXIT_BOUNDS));
  };
  auto block = [](std::uint64_t i, std::uint64_t offset = 0) {
    return ops::PtrExpr::handle(kBlock, static_cast<std::uint32_t>(i), false, offset);
  };
  auto alloc = [&](std::uint64_t size, std::uint64_t i) {
    return ops::make_op(OpCode::mem_alloc, {number(size)}, ops::Expectation::pointer_to(block(i)));
  };
  if (p == 0) return {ops::make_op(OpCode::mem_free, {null_operand(), number(n)}, exits_null())};
  if (holds_in(m, *large_)) {
    // The page at p - 0x60 as a large block of its block size.
    if (!holds_in(m, *large_valid_)) return {};
    const std::uint64_t size = value_in(m, *large_block_size_);
    if (size <= L::SMALL_MAX || size > L::MEM_MAX_REQUEST) return {};
    return {alloc(size, 0), free_op(ops::ptr(block(0)), holds_in(m, spec::round_up(*n_, L::MEM_ALIGN) ==
                                                                         u64(n_->ctx(), size)))};
  }
  if (!holds_in(m, *small_)) return {alloc(L::MEM_ALIGN, 0), free_op(ops::ptr(block(0)), false)};
  const SlabAtEntry& slab = *slab_;
  if (!holds_in(m, slab.base == *first_)) return other_slab_trace(m, n);
  if (value_in(m, slab.base) == 0) return {};
  const std::uint64_t bs = value_in(m, spec::class_block_size(*class_));
  std::uint64_t off = p - value_in(m, slab.base) - L::SLAB_BLOCKS_OFFSET;  // may wrap: then m0 - x
  // The blocks that start below bump, as the code counts them: the model's
  // bump need not lie on a block boundary (the precondition leaves it
  // free), and a block that starts below it is handed out.
  const std::uint64_t bumped = (value_in(m, slab.bump - slab.base) - L::SLAB_BLOCKS_OFFSET + bs - 1) / bs;
  // The trace hands out at least one block (a slab exists only then); a
  // block at or past bump keeps its distance from bump.
  const std::uint64_t k = bumped == 0 ? 1 : bumped;
  if (off % bs == 0 && off / bs < (1ULL << 16) && off / bs >= bumped) off = (k + off / bs - bumped) * bs;
  if (k > 64) return {};
  TraceOps trace;
  for (std::uint64_t i = 0; i < k; ++i) trace.push_back(alloc(n, i));
  const bool boundary = off % bs == 0 && off / bs < k;
  const bool freed = boundary && holds_in(m, bit_is_set(entry_quad(s.initial().memory, bitmap_quad_address())));
  if (freed) trace.push_back(free_op(ops::ptr(block(off / bs)), true));
  trace.push_back(free_op(ops::ptr(block(0, off)), boundary && !freed));
  return trace;
}

}  // namespace

std::unique_ptr<FunctionSpec> make_free_spec(const std::string& name) {
  if (name == "mem_free") return std::make_unique<MemFreeSpec>();
  return nullptr;
}

}  // namespace mf::proof
