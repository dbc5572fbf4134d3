// morph_os_abi.h - the OS shim of the Morph builtins: the only functions
// through which the assembly reaches the kernel.  asm/os.s implements them
// with real system calls; the harness's simulated OS implements the same
// symbols in C++.  Each returns the kernel's raw result: a negative errno
// (-4095..-1) on failure.
#pragma once

#include <cstdint>

extern "C" {
long __mf_os_read(int fd, void* buf, std::uint64_t len);
long __mf_os_write(int fd, const void* buf, std::uint64_t len);
long __mf_os_close(int fd);
long __mf_os_fstat(int fd, void* stat_buf);
long __mf_os_getpid(void);
long __mf_os_getuid(void);
long __mf_os_fork(void);
long __mf_os_setsid(void);
long __mf_os_kill(long pid, int sig);
long __mf_os_nanosleep(const void* req, void* rem);
long __mf_os_sigaltstack(const void* ss, void* old);
long __mf_os_getdents64(int fd, void* buf, std::uint64_t len);
long __mf_os_unlinkat(int dirfd, const char* path, int flags);
long __mf_os_openat(int dirfd, const char* path, int flags, int mode);
long __mf_os_fstatat(int dirfd, const char* path, void* stat_buf, int flags);
long __mf_os_rt_sigaction(int sig, const void* act, void* old, std::uint64_t sigsetsize);
// Anonymous private read-write zeroed mapping of len bytes: address or -errno.
long __mf_os_mmap(std::uint64_t len);
long __mf_os_munmap(void* addr, std::uint64_t len);
long __mf_os_time(void);
[[noreturn]] void __mf_os_exit(int code);
// The signal trampoline (sa_restorer) of __mf_init's handlers: never called,
// the kernel returns into it.  A simulated OS must still define the symbol.
void __mf_os_sigreturn(void);
}
