// op_gen.h - whole ops for the state machines: which op comes next, and its
// operands, drawn kind by kind from the op table (harness/ops/op_table.h).
//
// Both functions draw with RapidCheck's `*gen` and must run inside a
// generator (a command's constructor, rc::gen::exec).
#pragma once

#include "op.h"
#include "trace_state.h"

namespace mf::property {

// The next op's code, among the target's ops, weighted so that traces create
// a few objects and then mostly use them.
ops::OpCode draw_op_code(const TraceState& state);

// An op of `code` with every operand drawn for its ArgKind, in table order;
// later operands see the earlier ones (a block's size follows its block, a
// pool object its pool, memcpy's length the room after both pointers).
ops::Op draw_op(ops::OpCode code, const TraceState& state);

}  // namespace mf::property
