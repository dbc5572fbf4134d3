// prover.h - runs one FunctionSpec over one object file: builds the entry
// state, explores every path, checks every obligation, and on failure prints
// the counterexample and writes it as a replayable trace.
#pragma once

#include <ostream>
#include <string>

#include "executor.h"
#include "function_spec.h"
#include "object_code.h"

namespace mf::proof {

struct ProverOptions {
  ExecutorOptions executor;
  std::string trace_path;  // where a counterexample trace goes ("" = nowhere)
};

struct ProofOutcome {
  enum class Status { proved, counterexample, error } status = Status::error;
  unsigned paths = 0;
  unsigned obligations = 0;
  std::string message;
};

// The state at the entry of `function`: registers and flags unknown, the
// stack frame and the object's data sections as regions.  Throws ProofError
// if the object does not define the function.
MachineState entry_state(z3::context& ctx, const ObjectCode& code, const std::string& function,
                         std::uint64_t stack_frame);

// `ctx` must be the context the spec's terms live in, and outlive the spec.
ProofOutcome prove(z3::context& ctx, const ObjectCode& code, FunctionSpec& spec, const ProverOptions& options,
                   std::ostream& out);

}  // namespace mf::proof
