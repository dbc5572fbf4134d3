// The simulated-only binding (os_binding.h): the __mf_os_* symbols
// themselves, for a program linked with morph_core (the SUT without os.s).

#include <cstdlib>

#include "morph_os_abi.h"
#include "os_binding.h"
#include "sim_calls.h"

namespace sim = mf::simos::sim_calls;

extern "C" {
long __mf_os_read(int fd, void* buf, std::uint64_t len) { return sim::read(fd, buf, len); }
long __mf_os_write(int fd, const void* buf, std::uint64_t len) { return sim::write(fd, buf, len); }
long __mf_os_close(int fd) { return sim::close(fd); }
long __mf_os_fstat(int fd, void* st) { return sim::fstat(fd, st); }
long __mf_os_getpid(void) { return sim::getpid(); }
long __mf_os_getuid(void) { return sim::getuid(); }
long __mf_os_fork(void) { return sim::fork(); }
long __mf_os_setsid(void) { return sim::setsid(); }
long __mf_os_kill(long pid, int sig) { return sim::kill(pid, sig); }
long __mf_os_nanosleep(const void* req, void* rem) { return sim::nanosleep(req, rem); }
long __mf_os_sigaltstack(const void* ss, void* old) { return sim::sigaltstack(ss, old); }
long __mf_os_getdents64(int fd, void* buf, std::uint64_t len) { return sim::getdents64(fd, buf, len); }
long __mf_os_unlinkat(int dirfd, const char* path, int flags) { return sim::unlinkat(dirfd, path, flags); }
long __mf_os_openat(int dirfd, const char* path, int flags, int mode) { return sim::openat(dirfd, path, flags, mode); }
long __mf_os_fstatat(int dirfd, const char* path, void* st, int flags) {
  return sim::fstatat(dirfd, path, st, flags);
}
long __mf_os_rt_sigaction(int sig, const void* act, void* old, std::uint64_t size) {
  return sim::rt_sigaction(sig, act, old, size);
}
long __mf_os_mmap(std::uint64_t len) { return sim::mmap(len); }
long __mf_os_munmap(void* addr, std::uint64_t len) { return sim::munmap(addr, len); }
long __mf_os_time(void) { return sim::time(); }
void __mf_os_exit(int code) { sim::exit(code); }
// Handlers are never installed in a simulation, so nothing returns here.
void __mf_os_sigreturn(void) { std::abort(); }
}

namespace mf::simos {

OsEnvironment* os_environment(OsMode mode) {
  return mode == OsMode::simulated ? &SimOs::instance() : nullptr;
}

bool select_os_mode(OsMode mode) { return mode == OsMode::simulated; }

}  // namespace mf::simos
