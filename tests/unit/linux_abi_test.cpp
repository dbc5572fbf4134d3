// asm/layout.inc writes the Linux x86-64 numbers the assembly passes to the
// kernel (flags, struct offsets, signal and system call numbers) by hand,
// since the assembler has no system headers.  Each must be the value the
// system's own headers give; the simulated OS (harness/simos) takes them
// from those headers, so a wrong one would also make the two disagree.

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <csignal>
#include <cstddef>
#include <cstdint>

#include "layout.h"

namespace {

namespace layout = mf::layout;

TEST(LinuxAbi, OpenFlagsAndTheCurrentDirectoryAreTheKernels) {
  EXPECT_EQ(static_cast<int>(layout::LINUX_AT_FDCWD_INT), AT_FDCWD);
  EXPECT_EQ(layout::LINUX_O_NOCTTY, static_cast<std::uint64_t>(O_NOCTTY));
  EXPECT_EQ(layout::LINUX_O_NONBLOCK, static_cast<std::uint64_t>(O_NONBLOCK));
  EXPECT_EQ(layout::LINUX_O_DIRECTORY, static_cast<std::uint64_t>(O_DIRECTORY));
  EXPECT_EQ(layout::LINUX_O_NOFOLLOW, static_cast<std::uint64_t>(O_NOFOLLOW));
  EXPECT_EQ(layout::LINUX_O_CLOEXEC, static_cast<std::uint64_t>(O_CLOEXEC));
  EXPECT_EQ(layout::LINUX_LOCK_EX_NB, static_cast<std::uint64_t>(LOCK_EX | LOCK_NB));
}

TEST(LinuxAbi, StatAndDirentLayoutsAreTheKernels) {
  EXPECT_EQ(layout::LINUX_STAT_SIZE, sizeof(struct stat));
  EXPECT_EQ(layout::LINUX_STAT_MODE, offsetof(struct stat, st_mode));
  EXPECT_EQ(layout::LINUX_STAT_UID, offsetof(struct stat, st_uid));
  EXPECT_EQ(layout::LINUX_S_IFMT, static_cast<std::uint64_t>(S_IFMT));
  EXPECT_EQ(layout::LINUX_S_IFDIR, static_cast<std::uint64_t>(S_IFDIR));
  EXPECT_EQ(layout::LINUX_S_IFREG, static_cast<std::uint64_t>(S_IFREG));
  EXPECT_EQ(layout::LINUX_S_IWGRP_IWOTH, static_cast<std::uint64_t>(S_IWGRP | S_IWOTH));
  // struct dirent64 is the kernel's linux_dirent64 on x86-64.
  EXPECT_EQ(layout::LINUX_DIRENT_RECLEN, offsetof(struct dirent64, d_reclen));
  EXPECT_EQ(layout::LINUX_DIRENT_TYPE, offsetof(struct dirent64, d_type));
  EXPECT_EQ(layout::LINUX_DIRENT_NAME, offsetof(struct dirent64, d_name));
  EXPECT_EQ(layout::LINUX_DT_UNKNOWN, static_cast<std::uint64_t>(DT_UNKNOWN));
  EXPECT_EQ(layout::LINUX_DT_REG, static_cast<std::uint64_t>(DT_REG));
}

TEST(LinuxAbi, SignalAndSystemCallNumbersAreTheKernels) {
  EXPECT_EQ(layout::LINUX_SIGUSR2, static_cast<std::uint64_t>(SIGUSR2));
  EXPECT_EQ(layout::LINUX_SIGTERM, static_cast<std::uint64_t>(SIGTERM));
  EXPECT_EQ(layout::LINUX_SIG_UNBLOCK, static_cast<std::uint64_t>(SIG_UNBLOCK));
  EXPECT_EQ(layout::SYSNO_read, static_cast<std::uint64_t>(SYS_read));
  EXPECT_EQ(layout::SYSNO_write, static_cast<std::uint64_t>(SYS_write));
  EXPECT_EQ(layout::SYSNO_close, static_cast<std::uint64_t>(SYS_close));
  EXPECT_EQ(layout::SYSNO_fstat, static_cast<std::uint64_t>(SYS_fstat));
  EXPECT_EQ(layout::SYSNO_mmap, static_cast<std::uint64_t>(SYS_mmap));
  EXPECT_EQ(layout::SYSNO_munmap, static_cast<std::uint64_t>(SYS_munmap));
  EXPECT_EQ(layout::SYSNO_rt_sigaction, static_cast<std::uint64_t>(SYS_rt_sigaction));
  EXPECT_EQ(layout::SYSNO_rt_sigprocmask, static_cast<std::uint64_t>(SYS_rt_sigprocmask));
  EXPECT_EQ(layout::SYSNO_rt_sigreturn, static_cast<std::uint64_t>(SYS_rt_sigreturn));
  EXPECT_EQ(layout::SYSNO_nanosleep, static_cast<std::uint64_t>(SYS_nanosleep));
  EXPECT_EQ(layout::SYSNO_getpid, static_cast<std::uint64_t>(SYS_getpid));
  EXPECT_EQ(layout::SYSNO_fork, static_cast<std::uint64_t>(SYS_fork));
  EXPECT_EQ(layout::SYSNO_exit, static_cast<std::uint64_t>(SYS_exit));
  EXPECT_EQ(layout::SYSNO_kill, static_cast<std::uint64_t>(SYS_kill));
  EXPECT_EQ(layout::SYSNO_flock, static_cast<std::uint64_t>(SYS_flock));
  EXPECT_EQ(layout::SYSNO_getuid, static_cast<std::uint64_t>(SYS_getuid));
  EXPECT_EQ(layout::SYSNO_setsid, static_cast<std::uint64_t>(SYS_setsid));
  EXPECT_EQ(layout::SYSNO_sigaltstack, static_cast<std::uint64_t>(SYS_sigaltstack));
  EXPECT_EQ(layout::SYSNO_time, static_cast<std::uint64_t>(SYS_time));
  EXPECT_EQ(layout::SYSNO_getdents64, static_cast<std::uint64_t>(SYS_getdents64));
  EXPECT_EQ(layout::SYSNO_exit_group, static_cast<std::uint64_t>(SYS_exit_group));
  EXPECT_EQ(layout::SYSNO_openat, static_cast<std::uint64_t>(SYS_openat));
  EXPECT_EQ(layout::SYSNO_unlinkat, static_cast<std::uint64_t>(SYS_unlinkat));
  EXPECT_EQ(layout::SYSNO_fstatat, static_cast<std::uint64_t>(SYS_newfstatat));
}

}  // namespace
