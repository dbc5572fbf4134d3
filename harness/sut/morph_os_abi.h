// morph_os_abi.h - the OS shim of the Morph builtins: the only functions
// through which the assembly reaches the kernel.  asm/os.s implements them
// with real system calls; the harness's simulated OS implements the same
// symbols in C++.  Each returns the kernel's raw result: a negative errno
// (-4095..-1) on failure.
//
// MF_OS_SHIM_LIST is the one list of them.  From it come these
// declarations, os.s's functions under their --wrap names
// (harness/simos/real_os_calls.h), the simulated-only symbols
// (sim_symbols.cpp), the two-mode wrappers (switch_symbols.cpp) and the
// linker's --wrap options (harness/simos/CMakeLists.txt reads the X( lines).
#pragma once

#include <cstdint>

// X(name, return type, (parameters), (arguments), native route, ends)
//   native route: real    the two-mode binding calls os.s's own function
//                 native  it goes through NativeOs, which records or adjusts
//                         the call (the clock, mappings, the stderr copy)
//   ends:         returns, or exits (the function never returns)
// mmap makes an anonymous private read-write zeroed mapping of len bytes and
// returns its address or -errno.
// clang-format off
#define MF_OS_SHIM_LIST(X)                                                                                                            \
  X(read, long, (int fd, void* buf, std::uint64_t len), (fd, buf, len), real, returns)                                                \
  X(write, long, (int fd, const void* buf, std::uint64_t len), (fd, buf, len), native, returns)                                       \
  X(close, long, (int fd), (fd), real, returns)                                                                                       \
  X(fstat, long, (int fd, void* stat_buf), (fd, stat_buf), real, returns)                                                             \
  X(getpid, long, (void), (), real, returns)                                                                                          \
  X(getuid, long, (void), (), real, returns)                                                                                          \
  X(fork, long, (void), (), real, returns)                                                                                            \
  X(setsid, long, (void), (), real, returns)                                                                                          \
  X(kill, long, (long pid, int sig), (pid, sig), real, returns)                                                                       \
  X(nanosleep, long, (const void* req, void* rem), (req, rem), real, returns)                                                         \
  X(sigaltstack, long, (const void* ss, void* old), (ss, old), real, returns)                                                         \
  X(getdents64, long, (int fd, void* buf, std::uint64_t len), (fd, buf, len), real, returns)                                          \
  X(unlinkat, long, (int dirfd, const char* path, int flags), (dirfd, path, flags), real, returns)                                    \
  X(openat, long, (int dirfd, const char* path, int flags, int mode), (dirfd, path, flags, mode), real, returns)                      \
  X(fstatat, long, (int dirfd, const char* path, void* stat_buf, int flags), (dirfd, path, stat_buf, flags), real, returns)           \
  X(rt_sigaction, long, (int sig, const void* act, void* old, std::uint64_t sigsetsize), (sig, act, old, sigsetsize), real, returns)  \
  X(rt_sigprocmask, long, (int how, const void* set, void* old, std::uint64_t sigsetsize), (how, set, old, sigsetsize), real, returns) \
  X(flock, long, (int fd, int operation), (fd, operation), real, returns)                                                             \
  X(mmap, long, (std::uint64_t len), (len), native, returns)                                                                          \
  X(munmap, long, (void* addr, std::uint64_t len), (addr, len), native, returns)                                                      \
  X(time, long, (void), (), native, returns)                                                                                          \
  X(exit, [[noreturn]] void, (int code), (code), real, exits)
// clang-format on

// A definition's body: `return CALL;`, or for a function that never
// returns, CALL followed by the promise that it did not.
#define MF_OS_BODY_returns(call) return call;
#define MF_OS_BODY_exits(call) \
  call;                         \
  __builtin_unreachable();

extern "C" {
#define MF_OS_DECLARE(name, result, params, args, route, ends) result __mf_os_##name params;
MF_OS_SHIM_LIST(MF_OS_DECLARE)
#undef MF_OS_DECLARE
// The signal trampoline (sa_restorer) of __mf_init's handlers: never called,
// the kernel returns into it, so it is no shim call and is not wrapped.  A
// simulated OS must still define the symbol.
void __mf_os_sigreturn(void);
}
