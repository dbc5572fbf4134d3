#include "op_gen.h"

#include <algorithm>
#include <vector>

#include "op_calls.h"
#include "pointer_gen.h"
#include "value_gen.h"

namespace mf::property {

namespace {

using ops::ArgKind;
using ops::HandleKind;
using ops::OpCode;

// Whether the trace has something worth the op: a usable object of the
// kind it works on, and for pool_free a pool with an object to free.
bool has_subject(OpCode code, const TraceState& state) {
  switch (ops::info(code).args[0]) {
    case ArgKind::arena:
      return !state.usable(HandleKind::arena).empty();
    case ArgKind::block:
      return !state.usable(HandleKind::block).empty();
    case ArgKind::freed_block:  // a write into a freed block needs one
      for (std::uint32_t i = 0; i < state.created(HandleKind::block); ++i) {
        if (!state.handles().handle(HandleKind::block, i).live) return true;
      }
      return false;
    case ArgKind::pool: {
      const std::vector<std::uint32_t> pools = state.usable(HandleKind::pool);
      if (ops::info(code).args[1] == ArgKind::freed_obj) {  // a write into a freed object needs one
        return std::any_of(pools.begin(), pools.end(),
                           [&](std::uint32_t p) { return !state.guess(HandleKind::pool, p).pool_free.empty(); });
      }
      if (ops::info(code).effect != ops::Effect::pool_return) return !pools.empty();
      return std::any_of(pools.begin(), pools.end(),
                         [&](std::uint32_t p) { return !state.likely_live_slots(p).empty(); });
    }
    default:
      return true;
  }
}

unsigned weight(OpCode code, const TraceState& state) {
  const unsigned w = 4 * ops::info(code).weight;  // the op table's weight
  // With nothing to use yet, creating something is what makes a trace go on,
  // and an op with nothing to work on would mostly just exit (which stays
  // possible, rarely).
  if (const std::optional<HandleKind> kind = ops::created_kind(code)) {
    if (state.usable(*kind).empty()) return w * 5;
  }
  if (!has_subject(code, state)) return 1;
  // One class of 7 blocks per slab (TraceState::focus_size): the trace
  // grows, then drains.  Frees are rare until three slabs' worth of blocks
  // were made, so that three slabs fill; then allocations are, so that the
  // slabs open again one after another and empty between others instead of
  // being refilled by the next request.
  if (state.focus_size() != 0) {
    constexpr std::size_t kThreeSlabs = 3 * 7 + 1;
    const bool growing = state.created(HandleKind::block) < kThreeSlabs;
    const bool frees = ops::info(code).effect == ops::Effect::ends_handle;
    const bool allocates = ops::created_kind(code) == HandleKind::block;
    if ((growing && frees) || (!growing && allocates)) return std::max(1u, w / 4);
  }
  return w;
}

std::uint64_t draw_alloc_request(const TraceState& state);

// A meminfo filler's bytes: often just short of the 8192 bytes the monitor
// reads, so that the line after it straddles the limit and is cut (a cut
// line must be ignored: docs/spec.md, "The daemon cleaner").  Sizes from the
// usual distribution reach that edge a few times in 10,000 traces.
std::uint64_t draw_meminfo_filler() {
  if (draw_choice({1, 1}) == 0) return draw_size(SizeUse::request);
  return 8192 - draw_uniform(1, 48);
}

// A meminfo line's number: often 0, which as MemTotal makes the monitor
// refuse the file rather than divide by it (upstream Morph's did divide).
// draw_value gives 0 a few times in 10,000 traces.
std::uint64_t draw_meminfo_value() { return draw_choice({1, 9}) == 0 ? 0 : draw_value(); }

// The bytes a memory operand should have room for.
std::uint64_t width_of(OpCode code) { return std::max<std::uint64_t>(ops::info(code).width, 1); }

std::uint64_t draw_size_operand(const ops::Op& op, std::size_t i, const TraceState& state) {
  switch (op.info().size_role) {
    case ops::SizeRole::arena_capacity:
      return draw_size(SizeUse::arena_capacity);
    case ops::SizeRole::arena_request: {
      const ops::PtrExpr& arena = op.args[0].ptr;
      if (!arena.is_handle() || state.guess(HandleKind::arena, arena.index).likely_null) {
        return draw_size(SizeUse::request);
      }
      return draw_arena_request(state.handles().handle(HandleKind::arena, arena.index).size,
                                state.guess(HandleKind::arena, arena.index).arena_used);
    }
    case ops::SizeRole::pool_shape:
      return draw_size(i == 0 ? SizeUse::pool_object : SizeUse::pool_capacity);
    case ops::SizeRole::copy_length: {
      std::uint64_t room = std::min(room_after(state, op.args[0].ptr), room_after(state, op.args[1].ptr));
      if (!op.args[0].ptr.is_handle() || !op.args[1].ptr.is_handle()) room = 64;  // it exits or is skipped anyway
      return draw_copy_length(room);
    }
    case ops::SizeRole::request:
      if (op.code == OpCode::mem_alloc) return draw_alloc_request(state);
      if (op.code == OpCode::meminfo_filler) return draw_meminfo_filler();
      return draw_size(SizeUse::request);
  }
  return draw_size(SizeUse::request);
}

// A mem_alloc size: often one of the class of a live block, so that classes
// gather blocks (the more a class has, the more it gets): a slab then fills
// and a second opens, which is where a free into a full slab, a slab that
// opens again and an empty slab released behind another happen.  Without
// this, no class kept more than five live blocks in a run.  The classes
// above 2 KiB are preferred, since their slabs hold 7 to 31 blocks: within
// a 100-op trace a second slab of the class opens, the first fills, opens
// again in front of it, and one of them empties behind the other (released,
// kept, then taken back by the next slab or given back by mem_trim).
// ci/property_reach.sh measures what this reaches.
std::uint64_t draw_alloc_request(const TraceState& state) {
  if (state.focus_size() != 0 && draw_choice({9, 1}) == 0) return draw_same_class(state.focus_size());
  const std::vector<std::uint32_t> blocks = state.usable(HandleKind::block);
  if (blocks.empty() || draw_choice({55, 45}) == 0) return draw_size(SizeUse::request);
  auto size_of = [&](std::uint32_t block) { return state.handles().handle(HandleKind::block, block).size; };
  std::vector<std::uint32_t> few_per_slab;
  for (std::uint32_t b : blocks) {
    if (size_of(b) > 2048 && size_of(b) <= 8192) few_per_slab.push_back(b);
  }
  const std::vector<std::uint32_t>& from = few_per_slab.empty() || draw_choice({1, 2}) == 0 ? blocks : few_per_slab;
  return draw_same_class(size_of(from[draw_uniform(0, from.size() - 1)]));
}

}  // namespace

OpCode draw_op_code(const TraceState& state) {
  std::vector<OpCode> codes;
  std::vector<unsigned> weights;
  for (const ops::OpInfo& info : ops::kOpTable) {
    // An op the SUT does not implement is never drawn: the rest is checked.
    if (!info.allowed_in(state.target()) || !runner::sut_implements(info.code, state.target())) continue;
    codes.push_back(info.code);
    weights.push_back(weight(info.code, state));
  }
  return codes[draw_choice(weights)];
}

ops::Op draw_op(OpCode code, const TraceState& state) {
  ops::Op op;
  op.code = code;
  const ops::OpInfo& info = op.info();
  for (std::size_t i = 0; i < info.arity; ++i) {
    ops::Arg& arg = op.args[i];
    switch (info.args[i]) {
      case ArgKind::size:
        arg.number = draw_size_operand(op, i, state);
        break;
      case ArgKind::value:
        arg.number = op.code == OpCode::meminfo_line ? draw_meminfo_value() : draw_value();
        break;
      case ArgKind::count:
        arg.number = draw_fail_count();
        break;
      case ArgKind::limit:
        arg.number = draw_memory_limit();
        break;
      case ArgKind::time:
        arg.number = draw_seconds();
        break;
      case ArgKind::os_call:
        arg.number = static_cast<std::uint64_t>(draw_choice({7, 3}) == 0 ? ops::OsCall::mmap : ops::OsCall::munmap);
        break;
      case ArgKind::arena:
        arg.ptr = draw_owner(state, HandleKind::arena);
        break;
      case ArgKind::pool:
        arg.ptr = draw_owner(state, HandleKind::pool);
        break;
      case ArgKind::ptr:
        // A copy's source is drawn near its destination, where overlaps are.
        arg.ptr = info.effect == ops::Effect::copy && i == 1 ? draw_memory_ptr_near(state, op.args[0].ptr)
                                                   : draw_memory_ptr(state, width_of(code));
        break;
      case ArgKind::obj:
        arg.ptr = draw_pool_object(state, op.args[0].ptr);
        break;
      case ArgKind::freed_obj:
        arg.ptr = draw_freed_pool_object(state, op.args[0].ptr);
        break;
      case ArgKind::link_value:
        arg.ptr = draw_link_value(state, op.args[0].ptr);
        break;
      case ArgKind::block:
        arg.ptr = draw_block_ptr(state);
        break;
      case ArgKind::freed_block:
        arg.ptr = draw_freed_block(state);
        break;
      case ArgKind::block_link:
        arg.ptr = draw_block_link_value(state, op.args[0].ptr);
        break;
      case ArgKind::block_size:
        arg.number = draw_block_size(state, op.args[0].ptr);
        break;
    }
  }
  return op;
}

}  // namespace mf::property
