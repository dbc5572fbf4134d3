// trace_state.h - the RapidCheck model of the state machines: what the trace
// generated so far has created, judged from the ops alone.
//
// RapidCheck copies its model at every step and while shrinking, so the model
// must be a cheap value.  The reference model (models/) cannot be that: it
// lives inside the runner's Session, which runs every command on the SUT and
// on the reference model together.  This model only decides what a
// well-formed trace is (every handle an op names has been created by an
// earlier op, every op belongs to the target), which is exactly what must
// stay true when RapidCheck removes commands while shrinking.
//
// On top of that it keeps guesses that only steer the generators towards
// interesting operands: which pool slots are probably handed out, how much of
// an arena is probably used, which creations probably returned 0.  A wrong
// guess costs nothing but a less interesting op; no result is predicted here.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "op.h"
#include "os_rules.h"
#include "static_handles.h"

namespace mf::property {

// The generator's belief about one handle, next to ops::StaticHandles.
struct HandleGuess {
  bool likely_null = false;       // its creation asked for what cannot succeed
  std::uint64_t arena_used = 0;   // arena: Round8 bytes handed out since create/reset
  std::uint64_t pool_bump = 0;    // pool: slots handed out at least once
  std::vector<std::uint64_t> pool_free;  // pool: freed slots, LIFO (back = next reused)
};

class TraceState {
 public:
  explicit TraceState(ops::Target target) : target_(target) {}

  ops::Target target() const { return target_; }

  // A size whose class most mem_alloc requests of the trace share (0: none).
  // A trace that keeps to one class of few blocks per slab goes through
  // every change of its slabs (a second slab opens, the first fills, opens
  // again in front, one empties behind the other and is kept, then taken
  // back or trimmed) within 100 ops; the mixed sizes of the usual trace
  // rarely keep eight blocks of one class live at once.
  std::uint64_t focus_size() const { return focus_size_; }
  void set_focus_size(std::uint64_t n) { focus_size_ = n; }
  const ops::StaticHandles& handles() const { return handles_; }

  // Whether `op` may come next: allowed in the target, and every handle it
  // names already created.  The commands' checkPreconditions.
  bool accepts(const ops::Op& op) const;

  // Records `op` as the next op of the trace.  The commands' apply.
  void apply(const ops::Op& op);

  std::size_t created(ops::HandleKind kind) const { return guesses_[index(kind)].size(); }
  const HandleGuess& guess(ops::HandleKind kind, std::uint32_t i) const { return guesses_[index(kind)][i]; }

  // Live handles of a kind whose creation probably succeeded (the ones worth
  // operating on), oldest first.
  std::vector<std::uint32_t> usable(ops::HandleKind kind) const;
  // Pool slots probably live (handed out and not freed since).
  std::vector<std::uint64_t> likely_live_slots(std::uint32_t pool) const;

 private:
  static std::size_t index(ops::HandleKind kind) { return static_cast<std::size_t>(kind); }
  void guess_effects(const ops::Op& op);

  ops::Target target_;
  std::uint64_t focus_size_ = 0;
  std::uint64_t memory_limit_ = model::kDefaultMemoryLimit;  // the last memory_limit's
  ops::StaticHandles handles_;
  std::array<std::vector<HandleGuess>, ops::kHandleKinds> guesses_;
};

}  // namespace mf::property
