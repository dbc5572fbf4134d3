// op_calls.h - the two calls behind every SUT op of the op table: the
// assembly's function and the model's.  They are the table's own adapters,
// written once per row in op_calls.cpp (a table built from MF_OP_LIST, so
// an op without its calls does not compile).  The runner's SUT call, its
// model call and the runner benchmark's bare calls all go through here;
// nothing else lists the ops.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "call_boundary.h"
#include "model.h"
#include "op_table.h"

namespace mf::runner {

// An operand as both sides take it: the raw 64-bit value the SUT gets, and
// the model's view of it (a number's model form is the number itself).
struct Operand {
  std::uint64_t sut = 0;
  model::Addr model;
};
using Operands = std::array<Operand, ops::kMaxArgs>;
using RawArgs = std::array<std::uint64_t, ops::kMaxArgs>;

// The SUT function behind a SUT op: its address, resolved by name at link
// time and null when the SUT lacks it (each is optional, morph_abi.h), and
// whether it returns a value.  checked_alloc_entry picks __mf_mem_alloc /
// __mf_mem_free for mem_alloc / mem_free (the builtins target's entries).
struct SutCall {
  const void* function = nullptr;
  bool returns_value = false;
  std::size_t arity = 0;  // the arguments it takes; the rest get garbage (call_boundary.h)
  std::uint64_t stack_fill = kStackFillOther;  // stack below the call it gets as garbage (call_boundary.h)
  bool below_the_code = false;  // runs on a stack mapped below the program's code (call_boundary.h)
  std::uint64_t stack_pattern = kStackPattern;  // the garbage's eight bytes, or 0 (zeroed_stack)
  // Not 0: the garbage is instead the address this many bytes below the
  // call (stack_addresses), on a stack below the code; on the caller's own
  // stack (none could be mapped) the pattern stays.
  std::uint64_t stack_address_depth = 0;
};
SutCall sut_call(ops::OpCode code, bool checked_alloc_entry);

// Whether the SUT has the function behind an op in a target (a control op:
// always).  An op whose function is missing is "not implemented by this
// SUT": left out of generation and reported when a trace uses it.
bool sut_implements(ops::OpCode code, ops::Target target);
// The target's SUT ops this SUT does not implement, in table order.
std::vector<ops::OpCode> ops_not_implemented(ops::Target target);

// Calls it with the raw operands through the call-boundary trampoline
// (call_boundary.h), which records in `check` whether the function kept the
// calling convention; returns rax (0 for a void function).  A call
// below_the_code runs on the caller's stack when this process cannot map
// that stack (lowest_stack_top() is 0).
std::uint64_t call_through_boundary(const SutCall& call, const RawArgs& args, CallBoundary& check);
// The top of the stack the calls below_the_code run on: 1 MiB mapped at
// 64 KiB (the lowest address Linux lets a program map by default), below
// any program's code; mapped at the first use, 0 if it cannot be.
std::uint64_t lowest_stack_top();

// The model's answer to the same op.  A control op has neither call (it
// changes the environment, ops::OpInfo::control); calling one is a logic error.
model::Outcome call_model_function(model::Model& model, ops::OpCode code, const Operands& args);

// A control op (fault injection, the clock) applied alike to the rules of
// the run's OS (simulated or native) and to the model's (its OsModel).
// Writes the cleaner world's configuration (daemon_config) into the SUT's
// globals, before each of the daemon target's passes.
void configure_cleaner(const model::daemon::CleanerWorld& world);
// And its memory threshold (meminfo_threshold), before each memory check.
void configure_monitor(const model::daemon::CleanerWorld& world);

void apply_control_op(model::OsRules& os_rules, model::OsRules& model_rules, ops::OpCode code, const RawArgs& args);

}  // namespace mf::runner
