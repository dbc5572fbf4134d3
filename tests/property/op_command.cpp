#include "op_command.h"

namespace mf::property {

namespace {

template <ops::OpCode Code>
CommandPtr make(const TraceState& state) {
  return std::make_shared<const OpCommand<Code>>(state);
}

// One factory per row of the op table, in table (OpCode) order.
constexpr std::array<CommandPtr (*)(const TraceState&), ops::kOpCount> kFactories = {
#define MF_COMMAND_FACTORY(name, ...) &make<ops::OpCode::name>,
    MF_OP_LIST(MF_COMMAND_FACTORY)
#undef MF_COMMAND_FACTORY
};

}  // namespace

CommandPtr make_command(ops::OpCode code, const TraceState& state) {
  return kFactories[static_cast<std::size_t>(code)](state);
}

ops::Trace trace_of(ops::Target target, const rc::state::Commands<StateCommand>& commands) {
  ops::Trace trace;
  trace.target = target;
  trace.ops.reserve(commands.size());
  for (const CommandPtr& command : commands) trace.ops.push_back(op_of(*command));
  return trace;
}

}  // namespace mf::property
