#include "running_daemon.h"

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "kill_guard.h"
#include "morph_abi.h"

namespace daemon_test {

std::optional<pid_t> session_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return std::nullopt;
  // "pid (comm) state ppid pgrp session ...": comm may hold spaces and
  // parentheses, so the fields are counted after its last ')'.
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string state;
  long ppid = 0, pgrp = 0, session = 0;
  if (!(fields >> state >> ppid >> pgrp >> session)) return std::nullopt;
  return static_cast<pid_t>(session);
}

std::vector<pid_t> session_members(pid_t sid) {
  std::vector<pid_t> out;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return out;
  while (const dirent* entry = readdir(proc)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0') continue;
    const std::optional<pid_t> session = session_of(static_cast<pid_t>(pid));
    if (session && *session == sid) out.push_back(static_cast<pid_t>(pid));
  }
  closedir(proc);
  return out;
}

void RunningDaemonTest::SetUp() {
  CleanerTest::SetUp();
  // The guard cannot be removed: installed once, it stays for the rest of
  // this process (harmless to the other tests, which never broadcast).
  static const std::string guard_error = [] {
    reset_kill_record();
    return install_kill_guard_against_broadcasts();
  }();
  ASSERT_EQ(guard_error, "");
  reset_kill_record();
  daemon_interval = 1;
  daemon_mem_threshold = 100;  // no memory line unless a test asks
  write_file(outside("meminfo"), "MemTotal: 1000 kB\nMemAvailable: 250 kB\n");  // 75%
}

void RunningDaemonTest::stop_all_daemons() {
  for (pid_t daemon : daemons_) {
    kill_and_reap(daemon);
    // Anything the daemon left behind in its session (it should be none).
    for (pid_t member : session_members(daemon)) kill(member, SIGKILL);
  }
  daemons_.clear();
}

RunningDaemonTest::~RunningDaemonTest() { stop_all_daemons(); }

void RunningDaemonTest::TearDown() {
  stop_all_daemons();
  const std::vector<KillAttempt> attempts = recorded_kill_attempts();
  EXPECT_TRUE(attempts.empty()) << "broadcast signals tried:\n" << describe(attempts);
  CleanerTest::TearDown();
}

std::int64_t RunningDaemonTest::start() {
  const std::int64_t pid = daemon_start();
  if (pid > 0) daemons_.push_back(static_cast<pid_t>(pid));
  return pid;
}

std::optional<int> RunningDaemonTest::stop(pid_t daemon, std::chrono::milliseconds within) {
  kill(daemon, SIGTERM);
  return wait_for_exit(daemon, within);
}

bool RunningDaemonTest::becomes_absent(const std::string& name, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (in_monitor_exists(name)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

bool RunningDaemonTest::log_gets(const std::string& line, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    // The raw text: the daemon may be writing a line right now.
    const std::string text = "\n" + log_text();
    if (text.find("\n" + line + "\n") != std::string::npos) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool RunningDaemonTest::passes_a_round(const std::string& name) {
  put(name, "0");
  return becomes_absent(name);
}

}  // namespace daemon_test
