// spec_support.h - small helpers shared by the spec files.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "function_spec.h"

namespace mf::proof {

inline std::uint64_t value_in(const z3::model& model, const z3::expr& e) {
  std::uint64_t v = 0;
  model.eval(e, true).is_numeral_u64(v);
  return v;
}

inline bool holds_in(const z3::model& model, const z3::expr& e) { return model.eval(e, true).is_true(); }

inline z3::expr exit_code(z3::context& c, std::uint64_t code) { return c.bv_val(static_cast<std::uint64_t>(code), 32); }

// The heap is exactly as the last callee (or the caller) left it.
inline z3::expr heap_untouched(const PathEnd& end, z3::context& c) {
  return heap_is(end, c, [](const z3::expr&, const z3::expr& baseline) { return baseline; });
}

// The quads of data sections this path wrote (numeral offsets only).
struct WrittenGlobal {
  int region;
  std::uint64_t offset;
};
std::vector<WrittenGlobal> written_globals(const PathEnd& end);

// x is a multiple of `unit`, a power of two.
z3::expr aligned(const z3::expr& x, std::uint64_t unit);
// A live page of `bytes` bytes at x, `alignment`-aligned (4096 for a page,
// SLAB_SIZE for a slab), lies in user space: not 0, and ends by
// USER_SPACE_END.
z3::expr page_in_user_space(const z3::expr& x, std::uint64_t bytes, std::uint64_t alignment);

// A quad of the heap as it was at entry (before any write or call).
z3::expr entry_heap_quad(const PathEnd& end, const z3::expr& address);
// The same, read from the entry state's memory (for a precondition or a
// witness, before any path exists).
z3::expr entry_heap_quad(const Memory& memory, const z3::expr& address);
// dst * src as a two-operand imul forms it (semantics.cpp): the low 64
// bits of the signed product, written so that a spec names the very
// product term of the code (nonlinear_abstraction.h abstracts it by term).
inline z3::expr imul_low(const z3::expr& dst, const z3::expr& src) {
  return (z3::sext(dst, 64) * z3::sext(src, 64)).simplify().extract(63, 0).simplify();
}
// A byte of the heap at the end of the path.
z3::expr final_heap_byte(const PathEnd& end, const z3::expr& address);
// The heap's quad at `address` holds `value` at the end of the path, stated
// byte by byte: each side's byte then simplifies to the same term when the
// code stored the same value, which the integer stage can match, where a
// quad comparison would need the bit-blaster.
z3::expr bytes_are(const PathEnd& end, const z3::expr& address, const z3::expr& value);

// Header regions (and extents) that a spec adds to a path only where the
// path first reaches them, instead of at entry: memory that some paths
// never touch (mem_alloc's first open slab, which its large and refused
// requests never read) then costs those paths nothing, where a region of
// the entry state puts its layout facts into every query of every path.
// Declared in FunctionSpec::setup, joined by a hook (before the first
// instruction that dereferences them); the layout facts the prover states
// of the entry state's regions (prover.cpp, assume_layout) are stated for
// them by layout_facts, for the spec to add as deferred precondition
// (ProofSetup::assume_where_due or assume_where_late_due) that joins the
// path with them, or, where no query needs them (no heap access after the
// join), to state without assuming (ProofSetup::state_unassumed): they are
// part of the precondition either way, true of each of its states.
//
// A late region reads named quads: its content at entry.  That is its
// content where it joins only if nothing the path did before wrote it.
// Writes to other regions never do (layout_facts puts every late region
// apart from every region of the entry state).  A heap write may, unless
// it is shown apart; so join accepts heap accesses before it only where
// the executor proved each inside an extent E of the entry state
// (AccessEvent::extent: E valid and the access within it, on that path),
// and layout_facts states each late region R apart from E (or R lies inside
// a late extent stated apart from E): in every state of the precondition
// where R exists, then, no byte of R was written, and its named quads are
// its bytes.  Any other heap access before the join (outside every extent,
// in an extent a callee added, a callee's havoc of the heap, a write no
// access accounts for) makes join throw: the argument would not hold.
class LateRegions {
 public:
  // The index the region will have once joined (they are numbered after the
  // entry state's regions, in the order declared).
  int add_header(ProofSetup& s, const std::string& name, const z3::expr& base, std::uint64_t size,
                 const std::map<std::uint64_t, std::string>& fields, const z3::expr& valid);
  void add_extent(const z3::expr& base, const z3::expr& length, const z3::expr& valid);
  // A region's quad at entry: the same named variable it reads once joined.
  z3::expr initial_quad(int region, std::uint64_t offset) const;
  // Apart from every region and extent of the entry state, and from each
  // other, as assume_layout states it of the entry state's own.  Records
  // the entry state's extents, which join's argument names.
  z3::expr layout_facts(const MachineState& entry);
  bool joined(const MachineState& state) const;
  // Why they cannot join this path (it added regions of its own before, or
  // made a heap access that is not shown apart from them: above), or
  // nothing when they can.  For a spec that ends such a path itself, with
  // an obligation that fails there.
  std::optional<std::string> why_not_joinable(const MachineState& state) const;
  // Adds them to the path; a ProofError where why_not_joinable says why
  // not: their indices or contents would lie.
  void join(MachineState& state) const;

 private:
  // Whether layout_facts states late region `region` apart from the entry
  // state's extent `extent`.
  bool apart_from_entry_extent(std::size_t region, std::size_t extent) const;
  // A region at an extent's base (a numeral offset from it) is that
  // extent's header, inside it: layout_facts states nothing between them.
  static bool header_of(const Extent& e, const Extent& r);
  // A late region that lies wholly inside a late extent, and exists exactly
  // when it does: its facts are the extent's.
  bool inside_new_extent(const Extent& r) const;
  static Extent extent_of(const Region& r);

  int first_ = -1;
  std::vector<Region> regions_;
  std::vector<Extent> extents_;
  std::optional<std::vector<Extent>> entry_extents_;  // set by layout_facts
};

// A quad of the heap a path may write, and when.
struct AllowedQuad {
  z3::expr address;
  z3::expr when;
};
// Every heap write of the path is a store of one quad at one of `allowed`
// (where its condition holds).  Together with bytes_are for each of them,
// the whole heap at the end: every other byte is the baseline's.  Stated
// on the writes themselves, so that no query carries the written values'
// byte selection for an arbitrary address (what heap_is asks), which the
// bit-blaster pays for with a shifter per write.
z3::expr heap_writes_only_at(const PathEnd& end, const std::vector<AllowedQuad>& allowed);

// The heap's quad at `address` holds `value` at the end of the path, stated
// on the writes: the newest write at exactly `address` (the same term) is
// a store of eight bytes of `value`, and every write after it lies apart
// from those eight bytes, so that it decides them.  What bytes_are states,
// without its byte selection from the newer writes, which costs the
// bit-blaster a shifter per write and per byte.  Without such a store (or
// with a havoc after it) it is bytes_are.
z3::expr quad_stored(const PathEnd& end, const z3::expr& address, const z3::expr& value);

}  // namespace mf::proof
