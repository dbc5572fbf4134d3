// daemon_clean_sandboxes with real processes behind the pids: who is sent
// SIGUSR2, who never is, and what happens to the files (docs/spec.md, "The
// entry points").  The pass runs behind the kill guard, which lets through
// only the signals each test expects: any other attempt fails the test
// (ran_cleanly) without reaching its target.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <string>
#include <vector>

#include "cleaner_fixture.h"
#include "morph_abi.h"
#include "time_scale.h"

namespace daemon_test {
namespace {

using std::chrono::milliseconds;

class SandboxPass : public CleanerTest {
 protected:
  static std::string sandbox(pid_t pid) { return "sandbox_" + std::to_string(pid); }

  static void expect_died_of_sigusr2(pid_t child) {
    const std::optional<int> status = wait_for_exit(child, scaled(milliseconds(5000)));
    ASSERT_TRUE(status.has_value()) << "child " << child << " still runs: it was not signalled";
    EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGUSR2) << "child " << child << " status " << *status;
  }
  static void expect_still_running(pid_t child) {
    EXPECT_FALSE(wait_for_exit(child, scaled(milliseconds(100))).has_value()) << "child " << child << " ended";
  }
  // The two lines of an expired sandbox, in their order: the signal
  // decision, then the unlink ("unlinked <name>" for either kind of file).
  static std::vector<std::string> decision_and_unlink(pid_t pid, const std::string& reason = "") {
    const std::string p = std::to_string(pid);
    const std::string decision = reason.empty() ? "signalled " + p + " for sandbox_" + p
                                                : "not signalled " + p + " for sandbox_" + p + ": " + reason;
    return {log_line(decision), log_line("unlinked sandbox_" + p)};
  }
};

TEST_F(SandboxPass, AnExpiredSandboxIsSignalledAndItsFileRemoved) {
  daemon_sandbox_ttl = 60;
  const pid_t child = pausing_child();
  ASSERT_GT(child, 0);
  put(sandbox(child), expired(60));

  const GuardedCall pass = clean_sandboxes({child});
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  expect_died_of_sigusr2(child);
  EXPECT_FALSE(in_monitor_exists(sandbox(child)));
  EXPECT_EQ(log_lines(), decision_and_unlink(child));
}

TEST_F(SandboxPass, EveryExpiredSandboxOfOnePassIsSignalled) {
  std::vector<pid_t> children;
  std::vector<std::string> expected_lines;
  for (int i = 0; i < 3; ++i) {
    children.push_back(pausing_child());
    ASSERT_GT(children.back(), 0);
    put(sandbox(children.back()), expired(60) + "\n");
    for (const std::string& line : decision_and_unlink(children.back())) expected_lines.push_back(line);
  }
  const GuardedCall pass = clean_sandboxes(children);
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 3);
  for (pid_t child : children) expect_died_of_sigusr2(child);
  EXPECT_EQ(monitor_entries(), std::vector<std::string>{});
  EXPECT_EQ(sorted(log_lines()), sorted(expected_lines));
}

TEST_F(SandboxPass, ASandboxNotExpiredIsLeftAlone) {
  daemon_sandbox_ttl = 60;
  const pid_t young = pausing_child();
  const pid_t future = pausing_child();
  ASSERT_GT(young, 0);
  ASSERT_GT(future, 0);
  put(sandbox(young), not_expired(60));
  put(sandbox(future), in_the_future());

  const GuardedCall pass = clean_sandboxes();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  expect_still_running(young);
  expect_still_running(future);
  EXPECT_EQ(monitor_entries(), sorted({sandbox(young), sandbox(future)}));
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("skipped " + sandbox(future) + ": timestamp in the future")});
}

TEST_F(SandboxPass, UsesTheSandboxTtlNotTheSnapshotTtl) {
  daemon_sandbox_ttl = 1000;
  daemon_snapshot_ttl = 10;
  const pid_t child = pausing_child();
  ASSERT_GT(child, 0);
  put(sandbox(child), std::to_string(now() - 100));
  GuardedCall pass = clean_sandboxes();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  expect_still_running(child);

  daemon_sandbox_ttl = 10;
  daemon_snapshot_ttl = 1000;
  pass = clean_sandboxes({child});
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  expect_died_of_sigusr2(child);
}

TEST_F(SandboxPass, ANegativeTtlExpiresASandboxWrittenNow) {
  daemon_sandbox_ttl = -1;
  const pid_t child = pausing_child();
  ASSERT_GT(child, 0);
  put(sandbox(child), std::to_string(now()));
  const GuardedCall pass = clean_sandboxes({child});
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  expect_died_of_sigusr2(child);
}

TEST_F(SandboxPass, AnInvalidContentKeepsTheProcessAndTheFile) {
  const pid_t child = pausing_child();
  ASSERT_GT(child, 0);
  put(sandbox(child), "12abc");
  const GuardedCall pass = clean_sandboxes();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  expect_still_running(child);
  EXPECT_TRUE(in_monitor_exists(sandbox(child)));
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("skipped " + sandbox(child) + ": no valid timestamp")});
}

TEST_F(SandboxPass, AVanishedProcessOnlyLosesItsFile) {
  const pid_t gone = pid_of_no_process();
  ASSERT_GT(gone, 0);
  put(sandbox(gone), expired(60));
  const GuardedCall pass = clean_sandboxes();
  ASSERT_TRUE(ran_cleanly(pass));  // no kill tried
  EXPECT_EQ(pass.result, 1);
  EXPECT_FALSE(in_monitor_exists(sandbox(gone)));
  EXPECT_EQ(log_lines(), decision_and_unlink(gone, "no such process"));
}

TEST_F(SandboxPass, TheCleanerNeverSignalsItself) {
  // The cleaner is the guarded child: it writes its own sandbox file.
  const std::string monitor = monitor_;
  const GuardedCall pass = call_guarded([&](std::string& note) -> std::int64_t {
    const std::string own = monitor + "/sandbox_" + std::to_string(getpid());
    FILE* file = std::fopen(own.c_str(), "w");
    if (file == nullptr) {
      note = "cannot write " + own;
      return -100;
    }
    std::fputs("0", file);
    std::fclose(file);
    note = std::to_string(getpid());
    return daemon_clean_sandboxes();
  });
  // Signalling itself would have been blocked and recorded by the guard;
  // without the guard, SIGUSR2 would have killed it.
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  const std::string pid = pass.note;
  EXPECT_FALSE(in_monitor_exists("sandbox_" + pid));
  EXPECT_EQ(log_lines(), decision_and_unlink(std::stoi(pid), "the cleaner itself"));
}

TEST_F(SandboxPass, AProcessOfAnotherUserIsNeverSignalled) {
  if (!running_as_root()) GTEST_SKIP() << "needs root to run a process as another user";
  const pid_t other = pausing_child_of_another_user();
  ASSERT_GT(other, 0);
  ASSERT_EQ(proc_owner(other), static_cast<long>(kOtherUid)) << "precondition: /proc/<pid> shows the other user";
  put(sandbox(other), expired(60));

  const GuardedCall pass = clean_sandboxes();  // a kill would be recorded, and fail this
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  expect_still_running(other);
  EXPECT_FALSE(in_monitor_exists(sandbox(other)));
  EXPECT_EQ(log_lines(), decision_and_unlink(other, "owned by another user"));
}

TEST_F(SandboxPass, AFailedKillIsLoggedAndTheFileRemovedAllTheSame) {
  // The guard refuses this one kill with EPERM, as the kernel would.
  const pid_t child = pausing_child();
  ASSERT_GT(child, 0);
  put(sandbox(child), expired(60));
  const GuardedCall pass = clean_sandboxes(/*may_signal=*/{});
  ASSERT_TRUE(pass.completed) << pass.describe();
  ASSERT_EQ(pass.blocked_kills.size(), 1u) << pass.describe();
  EXPECT_EQ(pass.blocked_kills[0].target, child);
  EXPECT_EQ(pass.blocked_kills[0].signal, SIGUSR2);
  EXPECT_EQ(pass.result, 1);
  expect_still_running(child);
  EXPECT_FALSE(in_monitor_exists(sandbox(child)));
  EXPECT_EQ(log_lines(), decision_and_unlink(child, "kill failed"));
}

TEST_F(SandboxPass, APidUpToPidMaxIsValidAndAbovePidMaxIsNot) {
  const pid_t at_max = pausing_child();
  ASSERT_GT(at_max, 0);
  daemon_pid_max = at_max;
  put(sandbox(at_max), expired(60));
  GuardedCall pass = clean_sandboxes({at_max});
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  expect_died_of_sigusr2(at_max);

  clear_log();
  const pid_t above_max = pausing_child();
  ASSERT_GT(above_max, 0);
  daemon_pid_max = above_max - 1;
  put(sandbox(above_max), expired(60));
  pass = clean_sandboxes();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  expect_still_running(above_max);
  EXPECT_TRUE(in_monitor_exists(sandbox(above_max)));
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("skipped " + sandbox(above_max) + ": invalid pid")});
}

TEST_F(SandboxPass, AFailedUnlinkIsLoggedAndNotCounted) {
  // As for snapshots: a read-only directory and no capability to override.
  const pid_t gone = pid_of_no_process();
  ASSERT_GT(gone, 0);
  put(sandbox(gone), "0");
  ASSERT_EQ(chmod(monitor_.c_str(), 0500), 0);
  const GuardedCall pass = call_guarded([](std::string& note) -> std::int64_t {
    if (!drop_all_capabilities()) {
      note = "cannot drop the capabilities";
      return -100;
    }
    return daemon_clean_sandboxes();
  });
  chmod(monitor_.c_str(), 0700);
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists(sandbox(gone)));
  const std::string pid = std::to_string(gone);
  EXPECT_EQ(log_lines(), (std::vector<std::string>{log_line("not signalled " + pid + " for sandbox_" + pid +
                                                             ": no such process"),
                                                    log_line("cannot unlink sandbox_" + pid)}));
}

TEST_F(SandboxPass, LeavesExpiredSnapshotsToTheSnapshotPass) {
  put("snapshot_old", "0");
  const GuardedCall pass = clean_sandboxes();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists("snapshot_old"));
}

}  // namespace
}  // namespace daemon_test
