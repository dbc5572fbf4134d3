// op_command.h - the RapidCheck commands: one Command class per op kind,
// OpCommand<code>, each holding one ops::Op.
//
//   constructor         draws the op's operands for the current TraceState
//                       (op_gen.h) inside RapidCheck's generator, so they shrink
//   checkPreconditions  the TraceState accepts the op: keeps every shrunk
//                       sequence a well-formed trace
//   apply               records the op in the TraceState
//   run                 steps the op through the runner Session (RunnerSut),
//                       which calls the SUT and the reference model and
//                       compares; no op semantics live here
//   show                the op in trace syntax, so RapidCheck's printout of a
//                       counterexample reads as a trace
// What the four do is the same for every op, so OpCommandBase does it; each
// OpCommand<code> only draws its own kind of op.
#pragma once

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <array>
#include <memory>
#include <ostream>

#include "op.h"
#include "op_gen.h"
#include "runner_sut.h"
#include "text_format.h"
#include "trace_state.h"

namespace mf::property {

using StateCommand = rc::state::Command<TraceState, RunnerSut>;
using CommandPtr = std::shared_ptr<const StateCommand>;

// What every op command does with its op.
class OpCommandBase : public StateCommand {
 public:
  void checkPreconditions(const TraceState& state) const override { RC_PRE(state.accepts(op_)); }
  void apply(TraceState& state) const override { state.apply(op_); }
  void run(const TraceState&, RunnerSut& sut) const override { sut.step(op_); }
  void show(std::ostream& out) const override { out << ops::format_op(op_); }

  const ops::Op& op() const { return op_; }

 protected:
  explicit OpCommandBase(ops::Op op) : op_(op) {}

 private:
  ops::Op op_;
};

// The command of one op kind: draws its op for the state it is generated in.
template <ops::OpCode Code>
class OpCommand final : public OpCommandBase {
 public:
  explicit OpCommand(const TraceState& state) : OpCommandBase(draw_op(Code, state)) {}
};

// The command of `code`, drawn for `state` (inside a generator).
CommandPtr make_command(ops::OpCode code, const TraceState& state);
// The op a command wraps (every command of these state machines is an OpCommand).
inline const ops::Op& op_of(const StateCommand& command) {
  return static_cast<const OpCommandBase&>(command).op();
}

// The state machine's generation function: a state -> the next command.
inline rc::Gen<CommandPtr> next_command(const TraceState& state) {
  return rc::gen::exec([state]() -> CommandPtr { return make_command(draw_op_code(state), state); });
}

// A whole trace from a generated command sequence (native mode runs it in one go).
ops::Trace trace_of(ops::Target target, const rc::state::Commands<StateCommand>& commands);

}  // namespace mf::property
