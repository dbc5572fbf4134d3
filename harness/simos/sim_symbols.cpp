// The simulated-only binding (os_binding.h): the __mf_os_* symbols
// themselves, for a program linked with morph_core (the SUT without os.s).

#include <cstdlib>

#include "morph_os_abi.h"
#include "os_binding.h"
#include "shim_return.h"
#include "sim_calls.h"

namespace sim = mf::simos::sim_calls;

extern "C" {
// Every shim function, straight to the simulated OS (sim_calls.h), behind
// a thunk that returns with garbage in the caller-saved registers
// (shim_return.h).
#define MF_OS_SIMULATED(name, result, params, args, route, ends)                                   \
  result mf_sim_os_##name params {                                                               \
    mf::simos::check_call_alignment(mf::simos::SimOs::instance(), __builtin_frame_address(0), #name); \
    MF_OS_BODY_##ends(sim::name args)                                                            \
  }                                                                                              \
  MF_SHIM_RETURN_THUNK(__mf_os_##name, mf_sim_os_##name);
MF_OS_SHIM_LIST(MF_OS_SIMULATED)
#undef MF_OS_SIMULATED
// Handlers are never installed in a simulation, so nothing returns here.
void __mf_os_sigreturn(void) { std::abort(); }
}

namespace mf::simos {

OsEnvironment* os_environment(OsMode mode) {
  return mode == OsMode::simulated ? &SimOs::instance() : nullptr;
}

bool select_os_mode(OsMode mode) { return mode == OsMode::simulated; }

}  // namespace mf::simos
