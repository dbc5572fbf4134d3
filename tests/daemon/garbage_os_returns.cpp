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
//
// Two more checks abort the same way, for what the kernel takes without a
// sign the caller can see:
//   - a call the kernel answers with EFAULT: a pointer argument that is no
//     address of the caller's (rt_sigaction installs the new action and
//     only then fails to write out the old one, so a garbage old-action
//     pointer changes nothing the daemon looks at);
//   - a nanosleep that is not of whole seconds, at least one: the daemon's
//     only sleep is daemon_interval seconds, or 1 below one (docs/spec.md,
//     "The daemon"), and a stray nanosecond count (a few tens of ms) shows
//     in no test's timing.

#include <errno.h>
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
[[noreturn]] void refuse(const char* call, const char* why) {
  const char* parts[] = {"__mf_os_", call, why, "\n"};
  for (const char* part : parts) {
    if (write(2, part, std::strlen(part)) < 0) break;
  }
  std::abort();
}

void check_alignment(const void* frame, const char* call) {
  if (reinterpret_cast<std::uintptr_t>(frame) % 16 != 0) refuse(call, " was called with rsp not 16-byte aligned");
}

// One tag type per OS call, so that a call with a check of its own
// arguments specialises ArgumentCheck and every other takes the empty one.
#define MF_OS_TAG(name, result, params, args, route, ends) \
  struct os_call_##name {};
MF_OS_SHIM_LIST(MF_OS_TAG)
#undef MF_OS_TAG

template <typename Call>
struct ArgumentCheck {
  template <typename... Args>
  void operator()(Args...) const {}
};

template <>
struct ArgumentCheck<os_call_nanosleep> {
  void operator()(const void* request, void*) const {
    std::int64_t seconds_and_nanoseconds[2];
    std::memcpy(seconds_and_nanoseconds, request, sizeof seconds_and_nanoseconds);
    if (seconds_and_nanoseconds[0] < 1 || seconds_and_nanoseconds[1] != 0)
      refuse("nanosleep", " was asked for a sleep that is not of whole seconds, at least one");
  }
};

long check_result(long result, const char* call) {
  if (result == -EFAULT) refuse(call, " got a pointer argument that is no address of the caller's (EFAULT)");
  return result;
}

}  // namespace

// __wrap___mf_os_<name>: the checks, __real___mf_os_<name> (os.s's), the
// check of its result, then the garbage.
extern "C" {
#define MF_CHECKED_BODY_returns(name, call) return check_result(call, #name);
#define MF_CHECKED_BODY_exits(name, call) MF_OS_BODY_exits(call)
#define MF_OS_CHECKED(name, result, params, args, route, ends)      \
  result mf_checked_os_##name params {                              \
    check_alignment(__builtin_frame_address(0), #name);             \
    ArgumentCheck<os_call_##name>{} args;                            \
    MF_CHECKED_BODY_##ends(name, __real___mf_os_##name args)        \
  }                                                                 \
  MF_SHIM_RETURN_THUNK(__wrap___mf_os_##name, mf_checked_os_##name);
MF_OS_SHIM_LIST(MF_OS_CHECKED)
#undef MF_OS_CHECKED
}
