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
inline long fstat(int fd, void* stat_buf) { return os().fstat(fd, stat_buf); }
inline long getpid() { return os().pid(); }
inline long getuid() { return os().uid(); }
inline long fork() { return os().unsupported(); }  // never fork a simulation
inline long setsid() { return os().unsupported(); }
inline long kill(long pid, int sig) { return os().kill(pid, sig); }
inline long nanosleep(const void* req, void*) { return os().nanosleep(req); }
inline long sigaltstack(const void* stack, void* old) { return os().sigaltstack(stack, old); }
inline long getdents64(int fd, void* buf, std::uint64_t len) { return os().getdents64(fd, buf, len); }
inline long unlinkat(int dirfd, const char* path, int flags) { return os().unlinkat(dirfd, path, flags); }
inline long openat(int dirfd, const char* path, int flags, int) { return os().openat(dirfd, path, flags); }
inline long fstatat(int dirfd, const char* path, void* stat_buf, int flags) {
  return os().fstatat(dirfd, path, stat_buf, flags);
}
inline long rt_sigaction(int, const void*, void*, std::uint64_t) { return os().ignored(); }
inline long rt_sigprocmask(int, const void*, void*, std::uint64_t) { return os().unsupported(); }
inline long flock(int, int) { return os().unsupported(); }
inline long mmap(std::uint64_t len) { return os().mmap(len); }
inline long munmap(void* addr, std::uint64_t len) { return os().munmap(reinterpret_cast<std::uint64_t>(addr), len); }
inline long time() { return os().time(); }
[[noreturn]] inline void exit(int code) { os().exit(code); }

}  // namespace mf::simos::sim_calls
