// os_binding.h - which OS the SUT's __mf_os_* calls reach.  Two bindings
// implement this header; a program links exactly one of them:
//
//   mf_os_sim     defines the __mf_os_* symbols themselves and forwards them
//                 to the simulated OS.  Link with morph_core (the SUT without
//                 os.s).  Simulated mode only.
//   mf_os_switch  defines __wrap___mf_os_* for a program linked with `morph`
//                 (os.s included) and -Wl,--wrap=__mf_os_*: each call goes to
//                 the simulated OS or to the real os.s (through the native
//                 policy), by the selected mode.  Both modes.
#pragma once

#include "os_environment.h"

namespace mf::simos {

// The environment of a mode, or nullptr when the linked binding lacks it.
OsEnvironment* os_environment(OsMode mode);

// Routes the SUT's system calls from now on (a no-op for the only mode of a
// single-mode binding).  Returns false when the binding lacks the mode.
bool select_os_mode(OsMode mode);

}  // namespace mf::simos
