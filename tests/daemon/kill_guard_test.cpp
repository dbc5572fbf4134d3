// The guard every sandbox test relies on (kill_guard.h, child_process.h):
// a broadcast or an unlisted target is recorded and not sent, a listed one
// is sent, and a child that blocks or crashes is reported, not waited on.
// The broadcasts tried here use signal 0, which checks and sends nothing:
// should the guard fail, these tests still harm no process.

#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <thread>

#include "child_process.h"
#include "kill_guard.h"
#include "time_scale.h"

namespace daemon_test {
namespace {

using std::chrono::milliseconds;

TEST(KillGuard, RecordsAndRefusesBroadcastsAndGroups) {
  const GuardedCall call = call_guarded([](std::string& note) -> std::int64_t {
    // Each must fail with EPERM without reaching the kernel.
    const long everyone = syscall(SYS_kill, -1, 0);
    const int everyone_errno = errno;
    const long own_group = syscall(SYS_kill, 0, 0);
    const long init = syscall(SYS_tgkill, 1, 1, 0);
    const long group_as_huge_pid = syscall(SYS_kill, 4294967294L, 0);  // -2 as the kernel's int
    note = std::to_string(everyone) + " " + std::to_string(everyone_errno) + " " + std::to_string(own_group) +
           " " + std::to_string(init) + " " + std::to_string(group_as_huge_pid);
    return 0;
  });
  ASSERT_TRUE(call.completed) << call.describe();
  EXPECT_EQ(call.note, "-1 " + std::to_string(EPERM) + " -1 -1 -1");
  ASSERT_EQ(call.blocked_kills.size(), 4u) << call.describe();
  EXPECT_EQ(call.blocked_kills[0].syscall_number, SYS_kill);
  EXPECT_EQ(call.blocked_kills[0].target, -1);
  EXPECT_EQ(call.blocked_kills[0].signal, 0);
  EXPECT_EQ(call.blocked_kills[1].target, 0);
  EXPECT_EQ(call.blocked_kills[2].syscall_number, SYS_tgkill);
  EXPECT_EQ(call.blocked_kills[2].target, 1);
  EXPECT_EQ(call.blocked_kills[3].target, -2);
}

TEST(KillGuard, SendsToAnAllowedPidOnly) {
  const pid_t allowed = spawn_pausing_child();
  const pid_t unlisted = spawn_pausing_child();
  ASSERT_GT(allowed, 0);
  ASSERT_GT(unlisted, 0);
  const GuardedCall call = call_guarded(
      [&](std::string& note) -> std::int64_t {
        const int to_unlisted = kill(unlisted, SIGUSR2);
        note = std::to_string(to_unlisted) + " " + std::to_string(errno);
        return kill(allowed, SIGUSR2);
      },
      {allowed});
  ASSERT_TRUE(call.completed) << call.describe();
  EXPECT_EQ(call.result, 0);
  EXPECT_EQ(call.note, "-1 " + std::to_string(EPERM));
  ASSERT_EQ(call.blocked_kills.size(), 1u) << call.describe();
  EXPECT_EQ(call.blocked_kills[0].target, unlisted);
  EXPECT_EQ(call.blocked_kills[0].signal, SIGUSR2);

  const std::optional<int> allowed_status = wait_for_exit(allowed, scaled(milliseconds(5000)));
  ASSERT_TRUE(allowed_status.has_value());
  EXPECT_TRUE(WIFSIGNALED(*allowed_status) && WTERMSIG(*allowed_status) == SIGUSR2);
  EXPECT_FALSE(wait_for_exit(unlisted, scaled(milliseconds(200))).has_value()) << "the unlisted child was signalled";
  kill_and_reap(unlisted);
}

TEST(KillGuard, TheBroadcastGuardLetsTheProcessSignalItsChildren) {
  const pid_t target = spawn_pausing_child();
  ASSERT_GT(target, 0);
  reset_kill_record();
  const pid_t guarded = fork();
  if (guarded == 0) {
    if (!install_kill_guard_against_broadcasts().empty()) _exit(2);
    const bool broadcast_refused = syscall(SYS_kill, -1, 0) == -1 && errno == EPERM;
    const bool child_signalled = kill(target, SIGUSR2) == 0;
    _exit(broadcast_refused && child_signalled ? 0 : 1);
  }
  ASSERT_GT(guarded, 0);
  const std::optional<int> status = wait_for_exit(guarded, scaled(milliseconds(10000)));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  const std::vector<KillAttempt> attempts = recorded_kill_attempts();
  ASSERT_EQ(attempts.size(), 1u) << describe(attempts);
  EXPECT_EQ(attempts[0].target, -1);
  const std::optional<int> target_status = wait_for_exit(target, scaled(milliseconds(5000)));
  ASSERT_TRUE(target_status.has_value());
  EXPECT_TRUE(WIFSIGNALED(*target_status) && WTERMSIG(*target_status) == SIGUSR2);
}

TEST(KillGuard, ABlockedChildIsKilledAndReportedAsTimedOut) {
  const GuardedCall call = call_guarded(
      [](std::string&) -> std::int64_t {
        pause();
        return 0;
      },
      {}, scaled(milliseconds(300)));
  EXPECT_TRUE(call.timed_out);
  EXPECT_FALSE(call.completed);
}

TEST(KillGuard, ACrashedChildIsReportedNotCompleted) {
  // A real fault (raise() would be a tgkill, which the guard refuses).
  const GuardedCall call = call_guarded([](std::string&) -> std::int64_t {
    *static_cast<volatile int*>(nullptr) = 1;
    return 0;
  });
  EXPECT_FALSE(call.timed_out);
  EXPECT_FALSE(call.completed);
  EXPECT_TRUE(WIFSIGNALED(call.wait_status) && WTERMSIG(call.wait_status) == SIGSEGV) << call.describe();
}

}  // namespace
}  // namespace daemon_test
