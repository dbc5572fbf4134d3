// real_os_calls.h - the real os.s functions under --wrap: the linker resolves
// __real___mf_os_X to os.s's __mf_os_X, while the SUT's calls of __mf_os_X go
// to __wrap___mf_os_X (switch_symbols.cpp).  Declared from MF_OS_SHIM_LIST.
#pragma once

#include "morph_os_abi.h"

extern "C" {
#define MF_OS_DECLARE_REAL(name, result, params, args, route, ends) result __real___mf_os_##name params;
MF_OS_SHIM_LIST(MF_OS_DECLARE_REAL)
#undef MF_OS_DECLARE_REAL
}
