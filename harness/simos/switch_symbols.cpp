// The two-mode binding (os_binding.h): a program linked with `morph` (os.s
// included) and -Wl,--wrap=__mf_os_<name> for every shim function.  Each of
// the SUT's system calls then arrives here and goes to the simulated OS or,
// in native mode, to the real os.s through NativeOs.

#include "morph_os_abi.h"
#include "native_os.h"
#include "os_binding.h"
#include "real_os_calls.h"
#include "shim_return.h"
#include "sim_calls.h"

namespace {

using mf::simos::NativeOs;
using mf::simos::OsMode;
namespace sim = mf::simos::sim_calls;

OsMode g_mode = OsMode::simulated;

bool simulated() { return g_mode == OsMode::simulated; }

void check_call_alignment(const void* frame, const char* call) {
  mf::simos::OsEnvironment& env = simulated() ? static_cast<mf::simos::OsEnvironment&>(mf::simos::SimOs::instance())
                                              : mf::simos::NativeOs::instance();
  mf::simos::check_call_alignment(env, frame, call);
}

}  // namespace

// The native route of a shim function (MF_OS_SHIM_LIST's last column).
#define MF_OS_NATIVE_real(name, args) __real___mf_os_##name args
#define MF_OS_NATIVE_native(name, args) NativeOs::instance().name args

extern "C" {
// Every shim function: the simulated OS, or in native mode its native route,
// behind a thunk that returns with garbage in the caller-saved registers
// (shim_return.h), in both modes.
#define MF_OS_SWITCH(name, result, params, args, route, ends)                                      \
  result mf_switch_os_##name params {                                                              \
    check_call_alignment(__builtin_frame_address(0), #name);                                       \
    MF_OS_BODY_##ends(simulated() ? sim::name args : MF_OS_NATIVE_##route(name, args))               \
  }                                                                                                \
  MF_SHIM_RETURN_THUNK(__wrap___mf_os_##name, mf_switch_os_##name);
MF_OS_SHIM_LIST(MF_OS_SWITCH)
#undef MF_OS_SWITCH
}

namespace mf::simos {

OsEnvironment* os_environment(OsMode mode) {
  if (mode == OsMode::simulated) return &SimOs::instance();
  return &NativeOs::instance();
}

bool select_os_mode(OsMode mode) {
  g_mode = mode;
  return true;
}

}  // namespace mf::simos
