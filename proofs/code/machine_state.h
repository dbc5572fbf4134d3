// machine_state.h - one path's symbolic machine: registers, flags, memory,
// and what happened on the path so far (for specs and counterexamples).
#pragma once

#include <z3++.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "memory_model.h"
#include "x86_operand.h"

namespace mf::proof {

struct Flags {
  z3::expr cf, zf, sf, of;
};

// A call to a function replaced by its spec.
struct CallEvent {
  std::string callee;
  std::uint64_t site = 0;
  std::vector<z3::expr> args;  // rdi, rsi, rdx, rcx at the call
  z3::expr result;             // rax after it
  int region = -1;             // the fresh region it handed out, if any
};

// A memory access, as the executor resolved it.
struct AccessEvent {
  int region = 0;
  z3::expr offset;  // in the region (the address for the heap)
  unsigned bytes = 0;
  bool write = false;
  std::uint64_t site = 0;
  // A heap access: the index in MachineState::extents of the extent the
  // executor proved holds it, or -1 (none was shown to; a write may then
  // lie anywhere clear of the regions).  What LateRegions::join rests on.
  int extent = -1;
};

// Memory a function may reach through the heap (a pool's slots and bitmap,
// a block a callee handed out): fresh blocks are assumed disjoint from it.
struct Extent {
  z3::expr base;
  z3::expr length;
  z3::expr valid;
};

struct MachineState {
  explicit MachineState(z3::context& ctx);

  std::vector<z3::expr> regs;  // kGprCount entries
  std::vector<z3::expr> xmm;   // 16 SSE registers, 128 bits (zero-fill stores only)
  Flags flags;
  Memory memory;
  std::string section;
  std::uint64_t pc = 0;
  std::vector<z3::expr> conditions;  // the path condition, one branch at a time
  // The facts callee specs assumed along the path (also in `conditions`),
  // and which calls assumed them: checked for consistency at the path's end.
  std::vector<z3::expr> callee_facts;
  std::vector<std::string> assumed_by;
  std::vector<std::string> steps;    // "0x1a taken", for counterexamples
  std::vector<CallEvent> calls;
  std::vector<AccessEvent> accesses;
  std::vector<Extent> extents;
  std::map<std::uint64_t, unsigned> visits;
  // Values a spec's hooks noted along the path (name, value), for its
  // obligations at the path's end.
  std::vector<std::pair<std::string, z3::expr>> noted;
  // The deferred part of the precondition (ProofSetup::assume_where_due) is
  // on this path already.
  bool deferred_precondition_assumed = false;
  // And the late group (ProofSetup::assume_where_late_due).
  bool late_precondition_assumed = false;
  unsigned fresh_counter = 0;
};

struct PathEnd {
  enum class Kind { Return, Exit, Cut } kind = Kind::Return;
  z3::expr exit_code;  // Exit: the 32-bit code passed to __mf_panic
  std::uint64_t site = 0;
  MachineState state;
};

}  // namespace mf::proof
