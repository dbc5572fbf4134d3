// The two-mode binding (os_binding.h): a program linked with `morph` (os.s
// included) and -Wl,--wrap=__mf_os_<name> for every shim function.  Each of
// the SUT's system calls then arrives here and goes to the simulated OS or,
// in native mode, to the real os.s through NativeOs.

#include "morph_os_abi.h"
#include "native_os.h"
#include "os_binding.h"
#include "real_os_calls.h"
#include "sim_calls.h"

namespace {

using mf::simos::NativeOs;
using mf::simos::OsMode;
namespace sim = mf::simos::sim_calls;

OsMode g_mode = OsMode::simulated;

bool simulated() { return g_mode == OsMode::simulated; }

}  // namespace

extern "C" {
long __wrap___mf_os_read(int fd, void* buf, std::uint64_t len) {
  return simulated() ? sim::read(fd, buf, len) : __real___mf_os_read(fd, buf, len);
}
long __wrap___mf_os_write(int fd, const void* buf, std::uint64_t len) {
  return simulated() ? sim::write(fd, buf, len) : NativeOs::instance().write(fd, buf, len);
}
long __wrap___mf_os_close(int fd) { return simulated() ? sim::close(fd) : __real___mf_os_close(fd); }
long __wrap___mf_os_fstat(int fd, void* st) { return simulated() ? sim::fstat(fd, st) : __real___mf_os_fstat(fd, st); }
long __wrap___mf_os_getpid(void) { return simulated() ? sim::getpid() : __real___mf_os_getpid(); }
long __wrap___mf_os_getuid(void) { return simulated() ? sim::getuid() : __real___mf_os_getuid(); }
long __wrap___mf_os_fork(void) { return simulated() ? sim::fork() : __real___mf_os_fork(); }
long __wrap___mf_os_setsid(void) { return simulated() ? sim::setsid() : __real___mf_os_setsid(); }
long __wrap___mf_os_kill(long pid, int sig) { return simulated() ? sim::kill(pid, sig) : __real___mf_os_kill(pid, sig); }
long __wrap___mf_os_nanosleep(const void* req, void* rem) {
  return simulated() ? sim::nanosleep(req, rem) : __real___mf_os_nanosleep(req, rem);
}
long __wrap___mf_os_sigaltstack(const void* ss, void* old) {
  return simulated() ? sim::sigaltstack(ss, old) : __real___mf_os_sigaltstack(ss, old);
}
long __wrap___mf_os_getdents64(int fd, void* buf, std::uint64_t len) {
  return simulated() ? sim::getdents64(fd, buf, len) : __real___mf_os_getdents64(fd, buf, len);
}
long __wrap___mf_os_unlinkat(int dirfd, const char* path, int flags) {
  return simulated() ? sim::unlinkat(dirfd, path, flags) : __real___mf_os_unlinkat(dirfd, path, flags);
}
long __wrap___mf_os_openat(int dirfd, const char* path, int flags, int mode) {
  return simulated() ? sim::openat(dirfd, path, flags, mode) : __real___mf_os_openat(dirfd, path, flags, mode);
}
long __wrap___mf_os_fstatat(int dirfd, const char* path, void* st, int flags) {
  return simulated() ? sim::fstatat(dirfd, path, st, flags) : __real___mf_os_fstatat(dirfd, path, st, flags);
}
long __wrap___mf_os_rt_sigaction(int sig, const void* act, void* old, std::uint64_t size) {
  return simulated() ? sim::rt_sigaction(sig, act, old, size) : __real___mf_os_rt_sigaction(sig, act, old, size);
}
long __wrap___mf_os_mmap(std::uint64_t len) { return simulated() ? sim::mmap(len) : NativeOs::instance().mmap(len); }
long __wrap___mf_os_munmap(void* addr, std::uint64_t len) {
  return simulated() ? sim::munmap(addr, len) : NativeOs::instance().munmap(addr, len);
}
long __wrap___mf_os_time(void) { return simulated() ? sim::time() : NativeOs::instance().time(); }
[[noreturn]] void __wrap___mf_os_exit(int code) {
  if (simulated()) sim::exit(code);
  __real___mf_os_exit(code);
}
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
