// daemon_start with the real fork, lock and signals (docs/spec.md, "The
// entry points"): the daemon cleans every interval, one daemon per
// directory, SIGTERM ends it with status 0 at once, and it leaves nothing.

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "morph_abi.h"
#include "running_daemon.h"
#include "time_scale.h"

namespace daemon_test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
class DaemonStart : public RunningDaemonTest {
 protected:
  struct Passes {
    long count = -1;      // -1 when the daemon would not start or stop
    double seconds = 0;   // from before the start to the SIGTERM, measured
  };
  // Starts a daemon with the interval and a memory threshold of 50% (one
  // log line per pass: the meminfo file says 75%), stops it after `run`,
  // and returns its passes with the time they had.  A pass begins with a
  // test of the stop flag, and the daemon's sleep never ends early, so a
  // daemon sleeping N s runs at most floor(seconds / N) + 1 passes,
  // however late a loaded machine sends the SIGTERM.
  Passes passes_within(std::int64_t interval, milliseconds run) {
    daemon_mem_threshold = 50;
    daemon_interval = interval;
    const auto before = std::chrono::steady_clock::now();
    const std::int64_t daemon = start();
    if (daemon <= 0) return {};
    std::this_thread::sleep_for(run);
    kill(static_cast<pid_t>(daemon), SIGTERM);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - before).count();
    if (!wait_for_exit(static_cast<pid_t>(daemon), scaled(std::chrono::seconds(5))).has_value()) return {};
    const std::vector<std::string> lines = log_lines();
    return {std::count(lines.begin(), lines.end(), log_line("memory used 75% is above the threshold of 50%")), seconds};
  }
};

// The targets of this process's open descriptors.
std::multiset<std::string> open_descriptors() {
  std::multiset<std::string> out;
  DIR* fds = opendir("/proc/self/fd");
  if (fds == nullptr) return out;
  const int own = dirfd(fds);
  while (const dirent* entry = readdir(fds)) {
    if (entry->d_name[0] == '.' || std::atoi(entry->d_name) == own) continue;
    char target[4096];
    const std::string link = std::string("/proc/self/fd/") + entry->d_name;
    const ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    out.insert(n > 0 ? std::string(target, static_cast<std::size_t>(n)) : "?");
  }
  closedir(fds);
  return out;
}

TEST_F(DaemonStart, CleansTheDirectoryEveryInterval) {
  put("snapshot_first", "0");
  const std::int64_t daemon = start();
  ASSERT_GT(daemon, 0);
  EXPECT_TRUE(becomes_absent("snapshot_first")) << "the first pass did not run";
  put("snapshot_second", "0");  // after the first pass: only a later one removes it
  EXPECT_TRUE(becomes_absent("snapshot_second")) << "no second pass within 3 s (times the time scale)";
  EXPECT_FALSE(wait_for_exit(static_cast<pid_t>(daemon), milliseconds(0)).has_value()) << "the daemon ended";
  EXPECT_TRUE(log_gets(log_line("unlinked snapshot_first")));
  EXPECT_TRUE(log_gets(log_line("unlinked snapshot_second")));
}

TEST_F(DaemonStart, TheDaemonLeadsItsOwnSession) {
  const std::int64_t daemon = start();
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(passes_a_round("snapshot_ready"));  // setsid came before the pass
  EXPECT_EQ(session_of(static_cast<pid_t>(daemon)), static_cast<pid_t>(daemon));
  EXPECT_NE(session_of(getpid()), static_cast<pid_t>(daemon));
}

TEST_F(DaemonStart, EachPassRunsTheThreeJobs) {
  daemon_mem_threshold = 50;  // the meminfo file says 75%
  const pid_t gone = pid_of_no_process();
  ASSERT_GT(gone, 0);
  const std::string sandbox = "sandbox_" + std::to_string(gone);
  put(sandbox, "0");
  put("snapshot_old", "0");
  ASSERT_GT(start(), 0);
  EXPECT_TRUE(becomes_absent("snapshot_old"));
  EXPECT_TRUE(becomes_absent(sandbox));
  EXPECT_TRUE(log_gets(log_line("unlinked snapshot_old")));
  EXPECT_TRUE(log_gets(log_line("not signalled " + std::to_string(gone) + " for " + sandbox + ": no such process")));
  EXPECT_TRUE(log_gets(log_line("memory used 75% is above the threshold of 50%")));
}

TEST_F(DaemonStart, ASecondStartIsRefusedWhileOneRuns) {
  const std::int64_t daemon = start();
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(passes_a_round("snapshot_ready"));

  EXPECT_EQ(start(), -1) << "a second daemon from this process";
  // And from another process: a child that would stop what it started.
  const pid_t other = fork();
  if (other == 0) {
    const std::int64_t second = daemon_start();
    if (second > 0) kill_and_reap(static_cast<pid_t>(second));
    _exit(second == -1 ? 0 : 1);
  }
  ASSERT_GT(other, 0);
  const std::optional<int> other_status = wait_for_exit(other, scaled(seconds(10)));
  ASSERT_TRUE(other_status.has_value());
  EXPECT_TRUE(WIFEXITED(*other_status) && WEXITSTATUS(*other_status) == 0) << "the other process started a daemon";

  EXPECT_FALSE(wait_for_exit(static_cast<pid_t>(daemon), milliseconds(0)).has_value()) << "the first daemon ended";
  const std::vector<std::string> lines = log_lines();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), log_line("a cleaner already holds " + monitor_)), 2)
      << ::testing::PrintToString(lines);
}

TEST_F(DaemonStart, SigtermEndsItAtOnceWithStatusZeroAndLeavesNothing) {
  // Asleep when the signal comes: it must end the sleep.  The interval is
  // ten times the test's deadlines, whatever the time scale.
  daemon_interval = 30 * time_scale();
  // Put before the start: under load the first pass may run before a put
  // after it, and the next pass is 30 s away.
  put("snapshot_ready", "0");
  const std::int64_t daemon = start();
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(becomes_absent("snapshot_ready"));
  std::this_thread::sleep_for(scaled(milliseconds(200)));  // well into its sleep

  const auto sent = std::chrono::steady_clock::now();
  const std::optional<int> status = stop(static_cast<pid_t>(daemon), scaled(seconds(5)));
  ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM";
  EXPECT_LT(std::chrono::steady_clock::now() - sent, scaled(seconds(3))) << "the sleep was not cut short";
  EXPECT_TRUE(WIFEXITED(*status)) << "status " << *status;
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  EXPECT_EQ(session_members(static_cast<pid_t>(daemon)), std::vector<pid_t>{}) << "processes left in its session";

  // The lock went with it: a new daemon starts, and stops the same way.
  daemon_interval = 1;
  const std::int64_t again = start();
  ASSERT_GT(again, 0);
  ASSERT_TRUE(passes_a_round("snapshot_ready_again"));
  const std::optional<int> again_status = stop(static_cast<pid_t>(again));
  ASSERT_TRUE(again_status.has_value());
  EXPECT_TRUE(WIFEXITED(*again_status) && WEXITSTATUS(*again_status) == 0) << "status " << *again_status;
}

TEST_F(DaemonStart, ASigtermDuringTheSleepEndsItWithoutAnotherPass) {
  // The loop checks the flag before each pass: an expired snapshot put
  // while the daemon sleeps stays when SIGTERM ends that sleep.
  daemon_interval = 30 * time_scale();  // ten times the test's deadlines
  put("snapshot_first", "0");  // before the start: the first pass may come at once
  const std::int64_t daemon = start();
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(becomes_absent("snapshot_first"));
  std::this_thread::sleep_for(scaled(milliseconds(200)));  // well into its sleep
  put("snapshot_left", "0");
  const std::optional<int> status = stop(static_cast<pid_t>(daemon), scaled(seconds(5)));
  ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "status " << *status;
  EXPECT_TRUE(in_monitor_exists("snapshot_left")) << "a pass ran after SIGTERM";
}

TEST_F(DaemonStart, ASigtermDuringAPassEndsItAfterThatPass) {
  // The loop checks the flag after each pass too.  A meminfo path that is
  // a FIFO without a writer holds the pass in its open until SIGTERM
  // interrupts it (no SA_RESTART); then the daemon must end, not sleep.
  daemon_interval = 30 * time_scale();  // ten times the test's deadlines
  const std::string fifo = outside("meminfo_fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  use_meminfo(fifo);
  put("snapshot_first", "0");
  const std::int64_t daemon = start();
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(becomes_absent("snapshot_first"));  // the pass goes on to the memory check
  std::this_thread::sleep_for(scaled(milliseconds(200)));  // well into the open
  const auto sent = std::chrono::steady_clock::now();
  const std::optional<int> status = stop(static_cast<pid_t>(daemon), scaled(seconds(5)));
  ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM";
  EXPECT_LT(std::chrono::steady_clock::now() - sent, scaled(seconds(3))) << "it slept after the pass";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "status " << *status;
}

TEST_F(DaemonStart, SigtermIsUnblockedInTheDaemon) {
  // A caller that blocks SIGTERM passes its mask to the forked child; the
  // daemon must unblock it, or SIGTERM would never stop it.
  sigset_t term, previous;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &term, &previous), 0);
  const std::int64_t daemon = start();
  sigprocmask(SIG_SETMASK, &previous, nullptr);
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(passes_a_round("snapshot_ready"));
  const std::optional<int> status = stop(static_cast<pid_t>(daemon), scaled(seconds(5)));
  ASSERT_TRUE(status.has_value()) << "SIGTERM stayed blocked in the daemon";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "status " << *status;
}

TEST_F(DaemonStart, OnlySigtermIsUnblockedInTheDaemon) {
  // The rest of the caller's mask stays: signals 1 to 4 (SIGHUP, SIGINT,
  // SIGQUIT, SIGILL), blocked by the caller, only wait in the daemon, which
  // any of them would otherwise end (their default action, whatever this
  // process inherited: nohup ignores SIGHUP).
  constexpr int kSignals[] = {SIGHUP, SIGINT, SIGQUIT, SIGILL};
  sigset_t blocked, previous;
  sigemptyset(&blocked);
  struct sigaction by_default{}, before[4];
  by_default.sa_handler = SIG_DFL;
  for (int i = 0; i < 4; ++i) {
    sigaddset(&blocked, kSignals[i]);
    ASSERT_EQ(sigaction(kSignals[i], &by_default, &before[i]), 0);
  }
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &blocked, &previous), 0);
  const std::int64_t daemon = start();
  sigprocmask(SIG_SETMASK, &previous, nullptr);
  for (int i = 0; i < 4; ++i) sigaction(kSignals[i], &before[i], nullptr);
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(passes_a_round("snapshot_ready"));
  for (int sig : kSignals) kill(static_cast<pid_t>(daemon), sig);
  EXPECT_TRUE(passes_a_round("snapshot_after")) << "a blocked signal ended the daemon";
  EXPECT_FALSE(wait_for_exit(static_cast<pid_t>(daemon), milliseconds(0)).has_value()) << "the daemon ended";
}

TEST_F(DaemonStart, TheLockEndsWithADaemonKilledOutright) {
  const std::int64_t daemon = start();
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(passes_a_round("snapshot_ready"));
  kill_and_reap(static_cast<pid_t>(daemon));
  const std::int64_t again = start();
  EXPECT_GT(again, 0) << "the kernel drops the lock however the daemon ends";
}

TEST_F(DaemonStart, TheCallerKeepsNoDescriptorOfTheDirectory) {
  const std::multiset<std::string> before = open_descriptors();
  ASSERT_GT(start(), 0);
  EXPECT_EQ(open_descriptors(), before);
}

TEST_F(DaemonStart, ARefusedStartKeepsNoDescriptorOfTheDirectory) {
  ASSERT_GT(start(), 0);
  const std::multiset<std::string> before = open_descriptors();
  EXPECT_EQ(start(), -1);
  EXPECT_EQ(open_descriptors(), before);
}

// A fork that fails: -1, no line about a lock, no descriptor kept, and the
// lock dropped with the descriptor, so the next start succeeds.  Root may
// fork past RLIMIT_NPROC, so a child becomes another user first, owning
// the directory, and is allowed no process of its own (soft limit 0, the
// hard one kept, so that it can lift the soft one again).
TEST_F(DaemonStart, AFailedForkReturnsMinusOneAndDropsTheLock) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to become another user";
  constexpr uid_t kOther = 65534;
  ASSERT_EQ(chmod(root_.c_str(), 0711), 0);  // the other user must reach the directory
  ASSERT_EQ(chown(monitor_.c_str(), kOther, kOther), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The exit status: 0 for every check passed, else the first failed one.
    if (setgid(kOther) != 0 || setuid(kOther) != 0) _exit(1);
    rlimit old{};
    if (getrlimit(RLIMIT_NPROC, &old) != 0) _exit(2);
    const rlimit none{0, old.rlim_max};
    if (setrlimit(RLIMIT_NPROC, &none) != 0) _exit(2);
    const std::multiset<std::string> before = open_descriptors();
    if (daemon_start() != -1) _exit(3);
    if (open_descriptors() != before) _exit(4);
    if (setrlimit(RLIMIT_NPROC, &old) != 0) _exit(5);
    const std::int64_t daemon = daemon_start();
    if (daemon <= 0) _exit(6);
    kill_and_reap(static_cast<pid_t>(daemon));
    _exit(0);
  }
  const std::optional<int> status = wait_for_exit(child, scaled(seconds(10)));
  ASSERT_TRUE(status.has_value()) << "the child did not end";
  EXPECT_TRUE(WIFEXITED(*status)) << "status " << *status;
  EXPECT_EQ(WEXITSTATUS(*status), 0) << "the check that failed (see the test's code): " << WEXITSTATUS(*status);
  // The log (the other user cannot read it back): nothing about a lock.
  const std::vector<std::string> lines = log_lines();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), log_line("a cleaner already holds " + monitor_)), 0)
      << ::testing::PrintToString(lines);
}

// The daemon runs with the configuration the caller had, all of it: with a
// negative daemon_pid_max no sandbox name holds a pid, so an expired
// sandbox_<pid> is skipped, never signalled nor unlinked.
TEST_F(DaemonStart, TheDaemonKeepsANegativePidMax) {
  daemon_pid_max = -1;
  const pid_t gone = pid_of_no_process();
  ASSERT_GT(gone, 0);
  const std::string sandbox = "sandbox_" + std::to_string(gone);
  put(sandbox, "0");
  ASSERT_GT(start(), 0);
  ASSERT_TRUE(passes_a_round("snapshot_first"));
  ASSERT_TRUE(passes_a_round("snapshot_second"));  // a whole pass, its sandboxes included, ran before it
  EXPECT_TRUE(in_monitor_exists(sandbox));
}

TEST_F(DaemonStart, AnIntervalBelowOneMeansOneSecond) {
  // In a window of W seconds (4.5 s times the time scale), passes at about
  // 0, 1, 2, ... s: more than the floor(W) / 2 + 1 at most of a daemon that
  // slept 2 s (the default), at most floor(E) + 1 for the E seconds the
  // window really had (one more allowed), where one that did not sleep
  // writes thousands.  At scale 1, on a quiet machine, 4 to 6 passes in
  // 4.5 s; a larger scale leaves more room for slow passes (at 4: 11 or
  // more in 18 s) and still tells 1 s from 2 s.
  const milliseconds window = scaled(milliseconds(4500));
  const long whole_seconds = static_cast<long>(window.count() / 1000);
  for (std::int64_t interval : {0, -5}) {
    SCOPED_TRACE("daemon_interval = " + std::to_string(interval));
    clear_log();
    const Passes passes = passes_within(interval, window);
    EXPECT_GE(passes.count, whole_seconds / 2 + 2);
    EXPECT_LE(passes.count, static_cast<long>(passes.seconds) + 2) << "in " << passes.seconds << " s";
  }
}

TEST_F(DaemonStart, AnIntervalOfSomeSecondsIsKept) {
  // daemon_interval = 3, whatever the time scale (a larger interval would
  // pass the mutants that sleep 1 s below some bound, as cmpq $9 for $1):
  // over 2.5 s times the scale, floor(E / 3) + 1 passes at most for the E
  // seconds the window really had, one at least; a daemon that slept 1 s,
  // as for an interval below one, runs about E + 1.  At scale 1, on a
  // quiet machine, exactly one pass in 2.5 s.
  const Passes passes = passes_within(3, scaled(milliseconds(2500)));
  EXPECT_GE(passes.count, 1);
  EXPECT_LE(passes.count, static_cast<long>(passes.seconds / 3) + 1) << "in " << passes.seconds << " s";
}

TEST_F(DaemonStart, ALogPipeWithoutAReaderDoesNotEndIt) {
  // Every line the daemon writes then fails with EPIPE and raises SIGPIPE,
  // which the daemon ignores.  It unlinks before it logs: a daemon killed
  // by SIGPIPE would remove the first file and never the second.
  int log_pipe[2];
  ASSERT_EQ(pipe(log_pipe), 0);
  close(log_pipe[0]);  // no reader, ever
  daemon_log_fd = log_pipe[1];
  const std::int64_t daemon = start();
  close(log_pipe[1]);  // the daemon has its own copy
  ASSERT_GT(daemon, 0);
  EXPECT_TRUE(passes_a_round("snapshot_first"));
  EXPECT_TRUE(passes_a_round("snapshot_second")) << "the daemon ended at its first log line";
  const std::optional<int> status = stop(static_cast<pid_t>(daemon));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "status " << *status;
}

TEST_F(DaemonStart, KeepsRunningWhileTheDirectoryIsRefused) {
  const std::int64_t daemon = start();
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(passes_a_round("snapshot_ready"));
  put("snapshot_waiting", "0");
  ASSERT_EQ(chmod(monitor_.c_str(), 0770), 0);
  EXPECT_TRUE(log_gets(log_line("refused " + monitor_ + ": writable by group or others")));
  EXPECT_TRUE(in_monitor_exists("snapshot_waiting"));
  EXPECT_FALSE(wait_for_exit(static_cast<pid_t>(daemon), milliseconds(0)).has_value()) << "the daemon ended";
  ASSERT_EQ(chmod(monitor_.c_str(), 0700), 0);
  EXPECT_TRUE(becomes_absent("snapshot_waiting"));
}

}  // namespace
}  // namespace daemon_test
