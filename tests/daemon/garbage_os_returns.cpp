// The real OS, behind the simulated OS's checks of the calling convention:
// every __mf_os_* call of the program (linked with -Wl,--wrap=__mf_os_<name>
// for each) checks that the caller kept rsp 16-byte aligned, goes to os.s's
// own function, and returns with garbage in every caller-saved register but
// rax and with SF and ZF the opposite of rax's test
// (harness/simos/shim_return.h).  Linux's syscall keeps those registers and
// does not care about rsp, so on the plain real OS code that reads one after
// an OS call (a reload deleted) or calls with a misaligned stack works by
// luck; the simulated stages, which would catch both, never run
// daemon_start, daemon_loop and on_sigterm, so this is where such code of
// theirs shows.  A misaligned call aborts the program with a message.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "morph_os_abi.h"
#include "real_os_calls.h"
#include "shim_return.h"

namespace {

// As os_environment.h's check_call_alignment: the frame address (rbp after
// the prologue, the entry rsp less 8) is 16-aligned exactly when the caller
// kept the rule.
void check_alignment(const void* frame, const char* call) {
  if (reinterpret_cast<std::uintptr_t>(frame) % 16 == 0) return;
  const char* parts[] = {"__mf_os_", call, " was called with rsp not 16-byte aligned\n"};
  for (const char* part : parts) {
    if (write(2, part, std::strlen(part)) < 0) break;
  }
  std::abort();
}

}  // namespace

// __wrap___mf_os_<name>: the check, __real___mf_os_<name> (os.s's), then the
// garbage.
extern "C" {
#define MF_OS_CHECKED(name, result, params, args, route, ends)      \
  result mf_checked_os_##name params {                              \
    check_alignment(__builtin_frame_address(0), #name);             \
    MF_OS_BODY_##ends(__real___mf_os_##name args)                   \
  }                                                                 \
  MF_SHIM_RETURN_THUNK(__wrap___mf_os_##name, mf_checked_os_##name);
MF_OS_SHIM_LIST(MF_OS_CHECKED)
#undef MF_OS_CHECKED
}
