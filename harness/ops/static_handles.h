// static_handles.h - which handles a trace has created and not yet
// destroyed, judged from the ops alone (without running them).  The binary
// decoder and encoder share it, so that both number operands the same way.
//
// A handle is alive from its creating op until an op that frees it exactly
// (arena_destroy a<i>, pool_destroy p<i>, mem_free <handle> ...).  A creation
// the contract rejects whatever happens (a size of 0, a request above 2^40:
// the contract's own arithmetic decides, models/contract/request_sizes.h)
// makes no live handle; one that fails only at run time (the OS refuses)
// does, and its null handle is still a valid operand.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "op.h"

namespace mf::ops {

struct StaticHandle {
  std::uint64_t size = 0;      // m: the request; a: the capacity; p: Round8(obj_size)
  std::uint64_t capacity = 0;  // p: the slot count
  bool live = true;
};

// The mem_alloc request behind a creating op (mem_alloc, arena_create,
// pool_create), as the contract computes it; nullopt for any other op and
// for a creation that returns 0 before asking (a size of 0, an overflow).
std::optional<std::uint64_t> creation_request(const Op& op);

class StaticHandles {
 public:
  // Records what `op` creates or frees; call after decoding or encoding it.
  void apply(const Op& op);

  std::size_t live_count(HandleKind kind) const { return live_[index(kind)].size(); }
  // The i-th live handle of a kind (i < live_count), oldest first.
  std::uint32_t live_at(HandleKind kind, std::size_t i) const { return live_[index(kind)][i]; }
  std::optional<std::size_t> live_position(HandleKind kind, std::uint32_t handle) const;
  const StaticHandle& handle(HandleKind kind, std::uint32_t i) const { return all_[index(kind)][i]; }
  bool exists(HandleKind kind, std::uint32_t i) const { return i < all_[index(kind)].size(); }
  std::size_t created_count(HandleKind kind) const { return all_[index(kind)].size(); }

  // Pointer operands pick among all live handles: blocks, then arenas, then pools.
  std::size_t pointer_candidates() const;
  std::pair<HandleKind, std::uint32_t> pointer_candidate(std::size_t i) const;
  std::optional<std::size_t> pointer_position(HandleKind kind, std::uint32_t handle) const;

  // Bytes of the handle's data: m: its size; a: capacity; p: slots * size
  // (saturating at 2^64 - 1).
  std::uint64_t data_extent(HandleKind kind, std::uint32_t i) const;

 private:
  static std::size_t index(HandleKind kind) { return static_cast<std::size_t>(kind); }
  void kill(HandleKind kind, std::uint32_t i);

  std::array<std::vector<StaticHandle>, kHandleKinds> all_;
  std::array<std::vector<std::uint32_t>, kHandleKinds> live_;
};

}  // namespace mf::ops
