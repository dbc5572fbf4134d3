// Native-mode checks of the shared failure path (asm/panic.s) and of the OS
// shim (asm/os.s): the exact message and exit status for every code, and
// that each __mf_os_* wrapper reaches its system call with its arguments in
// place and returns the kernel's raw result (a negative errno on failure).

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "morph_abi.h"
#include "morph_os_abi.h"

// asm/panic.s's report of a real fault; not part of the ABI, so weak: an
// implementation without it still links and those tests skip.
extern "C" [[noreturn]] void __mf_panic_at(int code, std::uint64_t address) __attribute__((weak));

namespace {

using ::testing::Eq;
using ::testing::ExitedWithCode;

// ---- __mf_panic ----

TEST(Panic, NamesTheReasonAndFunctionForEachCode) {
  EXPECT_EXIT(__mf_panic(110, "arena_alloc"), ExitedWithCode(110),
              Eq("morph: NULL pointer dereference in arena_alloc (exit 110)\n"));
  EXPECT_EXIT(__mf_panic(111, "pool_free"), ExitedWithCode(111),
              Eq("morph: out-of-bounds access in pool_free (exit 111)\n"));
  EXPECT_EXIT(__mf_panic(112, "__mf_memcpy"), ExitedWithCode(112),
              Eq("morph: stack overflow in __mf_memcpy (exit 112)\n"));
}

TEST(Panic, AnyOtherCodeIsAFatalErrorPrintedWithoutLeadingZeros) {
  EXPECT_EXIT(__mf_panic(7, "f"), ExitedWithCode(7), Eq("morph: fatal error in f (exit 7)\n"));
  EXPECT_EXIT(__mf_panic(0, "f"), ExitedWithCode(0), Eq("morph: fatal error in f (exit 0)\n"));
  EXPECT_EXIT(__mf_panic(42, "f"), ExitedWithCode(42), Eq("morph: fatal error in f (exit 42)\n"));
  EXPECT_EXIT(__mf_panic(100, "f"), ExitedWithCode(100), Eq("morph: fatal error in f (exit 100)\n"));
  EXPECT_EXIT(__mf_panic(205, "f"), ExitedWithCode(205), Eq("morph: fatal error in f (exit 205)\n"));
}

TEST(Panic, WithoutAFunctionNameLeavesOutTheInPart) {
  EXPECT_EXIT(__mf_panic(111, nullptr), ExitedWithCode(111),
              Eq("morph: out-of-bounds access (exit 111)\n"));
}

TEST(Panic, CutsALongFunctionNameAt64Bytes) {
  const std::string long_name(300, 'n');
  EXPECT_EXIT(__mf_panic(110, long_name.c_str()), ExitedWithCode(110),
              Eq("morph: NULL pointer dereference in " + std::string(64, 'n') + " (exit 110)\n"));
}

// ---- __mf_panic_at ----

class PanicAt : public ::testing::Test {
 protected:
  void SetUp() override {
    if (__mf_panic_at == nullptr) GTEST_SKIP() << "no __mf_panic_at in this SUT";
  }
};

TEST_F(PanicAt, PrintsTheAddressInLowercaseHexWithoutLeadingZeros) {
  EXPECT_EXIT(__mf_panic_at(110, 0), ExitedWithCode(110),
              Eq("morph: NULL pointer dereference at 0x0 (exit 110)\n"));
  EXPECT_EXIT(__mf_panic_at(110, 8), ExitedWithCode(110),
              Eq("morph: NULL pointer dereference at 0x8 (exit 110)\n"));
  EXPECT_EXIT(__mf_panic_at(111, 0x7ffffffffff8), ExitedWithCode(111),
              Eq("morph: out-of-bounds access at 0x7ffffffffff8 (exit 111)\n"));
  EXPECT_EXIT(__mf_panic_at(112, 0x7ffc0badf00d), ExitedWithCode(112),
              Eq("morph: stack overflow at 0x7ffc0badf00d (exit 112)\n"));
  EXPECT_EXIT(__mf_panic_at(111, ~std::uint64_t{0}), ExitedWithCode(111),
              Eq("morph: out-of-bounds access at 0xffffffffffffffff (exit 111)\n"));
}

// ---- the OS shim ----

TEST(OsShim, MmapGivesZeroedWritablePagesAndMunmapReleasesThem) {
  const std::uint64_t len = 3 * mf::layout::OS_PAGE_SIZE + 1;  // rounded up to 4 pages
  long result = __mf_os_mmap(len);
  ASSERT_GT(result, 0);
  auto* bytes = reinterpret_cast<unsigned char*>(result);
  EXPECT_EQ(result % static_cast<long>(mf::layout::OS_PAGE_SIZE), 0);
  for (std::uint64_t i = 0; i < len; ++i) ASSERT_EQ(bytes[i], 0) << i;
  std::memset(bytes, 0xEE, 4 * mf::layout::OS_PAGE_SIZE);

  // Private: a forked child's write stays in the child.
  const pid_t child = fork();
  if (child == 0) {
    bytes[0] = 1;
    _exit(0);
  }
  ASSERT_GT(child, 0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_EQ(bytes[0], 0xEE);

  EXPECT_EQ(__mf_os_munmap(bytes, len), 0);
  unsigned char residency;
  EXPECT_EQ(mincore(bytes, mf::layout::OS_PAGE_SIZE, &residency), -1);
  EXPECT_EQ(errno, ENOMEM);  // no longer mapped
}

TEST(OsShim, FailuresReturnTheNegativeErrno) {
  long mapped = __mf_os_mmap(mf::layout::OS_PAGE_SIZE);
  ASSERT_GT(mapped, 0);
  EXPECT_EQ(__mf_os_munmap(reinterpret_cast<void*>(mapped + 1), 16), -EINVAL);
  EXPECT_EQ(__mf_os_munmap(reinterpret_cast<void*>(mapped), mf::layout::OS_PAGE_SIZE), 0);
  EXPECT_EQ(__mf_os_mmap(0), -EINVAL);
  EXPECT_EQ(__mf_os_close(-1), -EBADF);
  EXPECT_EQ(__mf_os_write(-1, "x", 1), -EBADF);
}

TEST(OsShim, TimeIsTheSystemClockInSeconds) {
  const std::time_t before = std::time(nullptr);
  const long now = __mf_os_time();
  const std::time_t after = std::time(nullptr);
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
}

TEST(OsShim, WriteAndReadGoThroughAPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  EXPECT_EQ(__mf_os_write(fds[1], "morph\n", 6), 6);
  char buffer[16] = {};
  EXPECT_EQ(__mf_os_read(fds[0], buffer, sizeof buffer), 6);
  EXPECT_STREQ(buffer, "morph\n");
  EXPECT_EQ(__mf_os_close(fds[1]), 0);
  EXPECT_EQ(__mf_os_read(fds[0], buffer, sizeof buffer), 0);  // end of file
  EXPECT_EQ(__mf_os_close(fds[0]), 0);
}

TEST(OsShim, ProcessQueriesMatchLibc) {
  EXPECT_EQ(__mf_os_getpid(), static_cast<long>(getpid()));
  EXPECT_EQ(__mf_os_getuid(), static_cast<long>(getuid()));
  EXPECT_EQ(__mf_os_kill(getpid(), 0), 0);  // signal 0: existence check only
  EXPECT_EQ(__mf_os_kill(0x3FFFFFFF, 0), -ESRCH);
  const struct timespec zero = {0, 0};
  EXPECT_EQ(__mf_os_nanosleep(&zero, nullptr), 0);
  stack_t current{};
  EXPECT_EQ(__mf_os_sigaltstack(nullptr, &current), 0);
}

TEST(OsShim, ExitEndsTheProcessWithTheCode) {
  EXPECT_EXIT(__mf_os_exit(42), ExitedWithCode(42), Eq(""));
}

TEST(OsShim, ForkReturnsZeroInTheChildAndItsPidInTheParent) {
  long child = __mf_os_fork();
  if (child == 0) {
    // A new session proves setsid reaches the kernel: the child is not a
    // group leader, so it succeeds and returns the child's own pid.
    __mf_os_exit(__mf_os_setsid() == __mf_os_getpid() ? 33 : 1);
  }
  ASSERT_GT(child, 0);
  int status = 0;
  ASSERT_EQ(waitpid(static_cast<pid_t>(child), &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 33);
}

TEST(OsShim, DirectoryCallsSeeCreateAndRemoveAFile) {
  std::string dir_path = ::testing::TempDir() + "mf_os_shim_XXXXXX";
  ASSERT_NE(mkdtemp(dir_path.data()), nullptr);
  long dir = __mf_os_openat(AT_FDCWD, dir_path.c_str(), O_RDONLY | O_DIRECTORY, 0);
  ASSERT_GE(dir, 0);

  long file = __mf_os_openat(static_cast<int>(dir), "snapshot_x", O_CREAT | O_WRONLY | O_NOFOLLOW, 0600);
  ASSERT_GE(file, 0);
  EXPECT_EQ(__mf_os_write(static_cast<int>(file), "1700000000\n", 11), 11);
  struct stat by_fd{};
  EXPECT_EQ(__mf_os_fstat(static_cast<int>(file), &by_fd), 0);
  EXPECT_EQ(by_fd.st_size, 11);
  EXPECT_EQ(__mf_os_close(static_cast<int>(file)), 0);

  struct stat by_name{};
  EXPECT_EQ(__mf_os_fstatat(static_cast<int>(dir), "snapshot_x", &by_name, AT_SYMLINK_NOFOLLOW), 0);
  EXPECT_EQ(by_name.st_ino, by_fd.st_ino);

  alignas(8) char entries[4096];
  long got = __mf_os_getdents64(static_cast<int>(dir), entries, sizeof entries);
  ASSERT_GT(got, 0);
  bool seen = false;
  for (long offset = 0; offset < got;) {
    auto* entry = reinterpret_cast<struct dirent64*>(entries + offset);
    seen = seen || std::strcmp(entry->d_name, "snapshot_x") == 0;
    offset += entry->d_reclen;
  }
  EXPECT_TRUE(seen);

  EXPECT_EQ(__mf_os_unlinkat(static_cast<int>(dir), "snapshot_x", 0), 0);
  EXPECT_EQ(__mf_os_fstatat(static_cast<int>(dir), "snapshot_x", &by_name, 0), -ENOENT);
  EXPECT_EQ(__mf_os_close(static_cast<int>(dir)), 0);
  EXPECT_EQ(rmdir(dir_path.c_str()), 0);
}

}  // namespace
