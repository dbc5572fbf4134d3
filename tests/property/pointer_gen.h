// pointer_gen.h - pointer operands: mostly live handles and offsets inside
// what they own, sometimes interior offsets, dead handles, null, and the
// zones every check rejects.
//
// As in value_gen.h, every function draws with RapidCheck's `*gen` and must
// run inside a generator.  The mix keeps most ops inside the contract, so
// that a trace gets deep before one of the deliberate contract violations
// (each ends the run with an exit) or an op the contract leaves undefined
// (the runner skips it) comes up.
#pragma once

#include <cstdint>

#include "op.h"
#include "trace_state.h"

namespace mf::property {

// An arena or pool operand: a live handle, sometimes a failed one (null at
// run time), a destroyed one (a use after destroy, or a second destroy) or
// null itself.
ops::PtrExpr draw_owner(const TraceState& state, ops::HandleKind kind);

// A pointer for an access of `width` bytes (loads, pokes, memcpy).
ops::PtrExpr draw_memory_ptr(const TraceState& state, std::uint64_t width);
// Often close to `other` in the same object, so that memcpy ranges overlap.
ops::PtrExpr draw_memory_ptr_near(const TraceState& state, const ops::PtrExpr& other);

// pool_free's object for the pool operand `pool`: mostly a slot that is
// probably live; sometimes a double free, a slot never handed out, an
// interior pointer, null, or another pool's slot.
ops::PtrExpr draw_pool_object(const TraceState& state, const ops::PtrExpr& pool);

// pool_uaf_link's object: mostly one of the pool's free objects (the op is
// outside the contract, and skipped, for any other).
ops::PtrExpr draw_freed_pool_object(const TraceState& state, const ops::PtrExpr& pool);
// pool_uaf_link's value: each kind of head pool_alloc must refuse (a live
// slot, a slot never handed out, the inside of a slot, before the first
// slot), and the two it must follow (another free slot, null).
ops::PtrExpr draw_link_value(const TraceState& state, const ops::PtrExpr& pool);

// mem_uaf_link's block: mostly one already freed (the op is outside the
// contract, and skipped, for any other).
ops::PtrExpr draw_freed_block(const TraceState& state);
// mem_uaf_link's value for the freed block `freed`: what mem_alloc then
// finds at the head of the slab's free list.  Each kind of head it must
// refuse (in the slab's header, at or past bump, inside a block, a live
// block, another slab's block) and the two it must follow (another free
// block of the slab, null).
ops::PtrExpr draw_block_link_value(const TraceState& state, const ops::PtrExpr& freed);

// mem_free's pointer: mostly a live block; sometimes a freed one, an interior
// pointer, a whole number of blocks away from a block (its slab's header,
// a neighbour, past bump or past the slab's last block), an arena's or
// pool's header, null or a wild address.
ops::PtrExpr draw_block_ptr(const TraceState& state);
// mem_free's size for that pointer: mostly the size it was allocated with.
std::uint64_t draw_block_size(const TraceState& state, const ops::PtrExpr& block);

// Bytes from p to the end of the object it points into, as far as the
// generator can tell (0 when it cannot).
std::uint64_t room_after(const TraceState& state, const ops::PtrExpr& p);

}  // namespace mf::property
