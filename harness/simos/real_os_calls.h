// real_os_calls.h - the real os.s functions under --wrap: the linker resolves
// __real___mf_os_X to os.s's __mf_os_X, while the SUT's calls of __mf_os_X go
// to __wrap___mf_os_X (switch_symbols.cpp).
#pragma once

#include <cstdint>

extern "C" {
long __real___mf_os_read(int fd, void* buf, std::uint64_t len);
long __real___mf_os_write(int fd, const void* buf, std::uint64_t len);
long __real___mf_os_close(int fd);
long __real___mf_os_fstat(int fd, void* stat_buf);
long __real___mf_os_getpid(void);
long __real___mf_os_getuid(void);
long __real___mf_os_fork(void);
long __real___mf_os_setsid(void);
long __real___mf_os_kill(long pid, int sig);
long __real___mf_os_nanosleep(const void* req, void* rem);
long __real___mf_os_sigaltstack(const void* ss, void* old);
long __real___mf_os_getdents64(int fd, void* buf, std::uint64_t len);
long __real___mf_os_unlinkat(int dirfd, const char* path, int flags);
long __real___mf_os_openat(int dirfd, const char* path, int flags, int mode);
long __real___mf_os_fstatat(int dirfd, const char* path, void* stat_buf, int flags);
long __real___mf_os_rt_sigaction(int sig, const void* act, void* old, std::uint64_t sigsetsize);
long __real___mf_os_mmap(std::uint64_t len);
long __real___mf_os_munmap(void* addr, std::uint64_t len);
long __real___mf_os_time(void);
[[noreturn]] void __real___mf_os_exit(int code);
}
