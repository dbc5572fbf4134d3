// sim_calls.h - each __mf_os_* call as the simulated OS answers it, for the
// two bindings (os_binding.h) to forward to.
#pragma once

#include <cstdint>

#include "sim_os.h"

namespace mf::simos::sim_calls {

inline SimOs& os() { return SimOs::instance(); }

inline long read(int fd, void* buf, std::uint64_t len) { return os().read(fd, buf, len); }
inline long write(int fd, const void* buf, std::uint64_t len) { return os().write(fd, buf, len); }
inline long close(int fd) { return os().close(fd); }
inline long fstat(int, void*) { return os().unsupported(); }
inline long getpid() { return os().pid(); }
inline long getuid() { return os().uid(); }
inline long fork() { return os().unsupported(); }  // never fork a simulation
inline long setsid() { return os().unsupported(); }
inline long kill(long, int) { return os().unsupported(); }
inline long nanosleep(const void* req, void*) { return os().nanosleep(req); }
inline long sigaltstack(const void* stack, void* old) { return os().sigaltstack(stack, old); }
inline long getdents64(int, void*, std::uint64_t) { return os().unsupported(); }
inline long unlinkat(int, const char*, int) { return os().unsupported(); }
inline long openat(int dirfd, const char* path, int flags, int) { return os().openat(dirfd, path, flags); }
inline long fstatat(int, const char*, void*, int) { return os().unsupported(); }
inline long rt_sigaction(int, const void*, void*, std::uint64_t) { return os().ignored(); }
inline long rt_sigprocmask(int, const void*, void*, std::uint64_t) { return os().unsupported(); }
inline long flock(int, int) { return os().unsupported(); }
inline long mmap(std::uint64_t len) { return os().mmap(len); }
inline long munmap(void* addr, std::uint64_t len) { return os().munmap(reinterpret_cast<std::uint64_t>(addr), len); }
inline long time() { return os().time(); }
[[noreturn]] inline void exit(int code) { os().exit(code); }

}  // namespace mf::simos::sim_calls
