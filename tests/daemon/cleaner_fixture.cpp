#include "cleaner_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>

#include "morph_abi.h"

namespace daemon_test {

CleanerGlobals CleanerGlobals::current() {
  return {daemon_monitor_dir, daemon_meminfo_path, daemon_snapshot_ttl, daemon_sandbox_ttl,
          daemon_interval,    daemon_mem_threshold, daemon_log_fd,      daemon_pid_max};
}

void CleanerGlobals::restore() const {
  daemon_monitor_dir = monitor_dir;
  daemon_meminfo_path = meminfo_path;
  daemon_snapshot_ttl = snapshot_ttl;
  daemon_sandbox_ttl = sandbox_ttl;
  daemon_interval = interval;
  daemon_mem_threshold = mem_threshold;
  daemon_log_fd = log_fd;
  daemon_pid_max = pid_max;
}

// Taken during static initialization, before main and any test.
const CleanerGlobals& initial_globals() {
  static const CleanerGlobals values = CleanerGlobals::current();
  return values;
}
namespace {
[[maybe_unused]] const CleanerGlobals& g_taken_at_startup = initial_globals();
}  // namespace

std::string log_line(const std::string& message) { return "morph-cleaner: " + message; }

std::string escaped(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c <= 0x7e && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof(hex), "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

::testing::AssertionResult ran_cleanly(const GuardedCall& call) {
  if (!call.completed || !call.blocked_kills.empty()) return ::testing::AssertionFailure() << call.describe();
  return ::testing::AssertionSuccess();
}

void CleanerTest::SetUp() {
  saved_ = CleanerGlobals::current();
  set_up_ = true;
  char pattern[] = "/tmp/morph-daemon-test.XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr) << std::strerror(errno);
  root_ = pattern;
  monitor_ = root_ + "/monitor";
  ASSERT_EQ(mkdir(monitor_.c_str(), 0700), 0) << std::strerror(errno);
  ASSERT_EQ(chmod(monitor_.c_str(), 0700), 0);  // whatever the umask
  log_path_ = root_ + "/cleaner.log";
  log_fd_ = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  ASSERT_GE(log_fd_, 0) << std::strerror(errno);

  use_monitor_dir(monitor_);
  daemon_log_fd = log_fd_;
  // Fixed values, so that no test depends on another's leftovers; each
  // test changes what it exercises.
  daemon_snapshot_ttl = 300;
  daemon_sandbox_ttl = 60;
  daemon_interval = 1;
  daemon_mem_threshold = 80;
  daemon_pid_max = 4194304;
  use_meminfo(outside("meminfo"));
}

void CleanerTest::TearDown() {
  const std::string left = release();
  EXPECT_EQ(left, "") << "the test's tree was not removed";
}

CleanerTest::~CleanerTest() { release(); }

std::string CleanerTest::release() {
  if (!set_up_) return "";
  set_up_ = false;
  for (pid_t child : children_) kill_and_reap(child);
  children_.clear();
  saved_.restore();
  if (log_fd_ >= 0) close(log_fd_);
  log_fd_ = -1;
  if (root_.empty()) return "";
  // Tests make directories the cleanup could not enter (mode 0500, another
  // owner): open them all up first.  Symlinks are not followed.
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(
           root_, std::filesystem::directory_options::skip_permission_denied, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_directory(error) && !it->is_symlink(error)) chmod(it->path().c_str(), 0700);
  }
  chmod(root_.c_str(), 0700);
  std::filesystem::remove_all(root_, error);
  const std::string left = error ? root_ + ": " + error.message() : "";
  root_.clear();
  return left;
}

void CleanerTest::write_file(const std::string& path, const std::string& content) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  ASSERT_GE(fd, 0) << path << ": " << std::strerror(errno);
  ASSERT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  close(fd);
}

std::string CleanerTest::read_file(const std::string& path) {
  std::string out;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buffer[65536];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof(buffer))) > 0) out.append(buffer, static_cast<std::size_t>(got));
  close(fd);
  return out;
}

bool CleanerTest::exists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> CleanerTest::monitor_entries() const {
  std::vector<std::string> names;
  DIR* dir = opendir(monitor_.c_str());
  if (dir == nullptr) return names;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  return sorted(names);
}

void CleanerTest::use_monitor_dir(const std::string& path) {
  monitor_dir_value_ = path;
  daemon_monitor_dir = monitor_dir_value_.c_str();
}

void CleanerTest::use_meminfo(const std::string& path) {
  meminfo_value_ = path;
  daemon_meminfo_path = meminfo_value_.c_str();
}

std::string CleanerTest::log_text() const { return read_file(log_path_); }

std::vector<std::string> CleanerTest::log_lines() const {
  const std::string text = log_text();
  EXPECT_TRUE(text.empty() || text.back() == '\n') << "the log ends inside a line:\n" << text;
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    for (std::size_t i = 0; i + 3 < line.size(); ++i) {
      if (line[i] == '\\' && line[i + 1] == 'x' && std::isxdigit(static_cast<unsigned char>(line[i + 2])) &&
          std::isxdigit(static_cast<unsigned char>(line[i + 3]))) {
        line[i + 2] = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i + 2])));
        line[i + 3] = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i + 3])));
        i += 3;
      }
    }
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

void CleanerTest::clear_log() { ASSERT_EQ(ftruncate(log_fd_, 0), 0); }

GuardedCall CleanerTest::clean_snapshots() {
  return call_guarded([](std::string&) { return daemon_clean_snapshots(); });
}

GuardedCall CleanerTest::clean_sandboxes(const std::vector<pid_t>& may_signal) {
  return call_guarded([](std::string&) { return daemon_clean_sandboxes(); }, may_signal);
}

GuardedCall CleanerTest::monitor_memory() {
  return call_guarded([](std::string&) { return daemon_monitor_memory(); });
}

namespace {

// The children of the calling process still running, from /proc.
std::vector<pid_t> own_children() {
  std::vector<pid_t> out;
  const std::string path = "/proc/self/task/" + std::to_string(getpid()) + "/children";
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return out;
  long pid = 0;
  while (std::fscanf(file, "%ld", &pid) == 1) out.push_back(static_cast<pid_t>(pid));
  std::fclose(file);
  return out;
}

}  // namespace

GuardedCall CleanerTest::start_expecting_refusal() {
  // The guarded child cannot signal what it forks (its kill guard allows no
  // pid), so it only reports the pids: this process, unguarded, kills them.
  // A daemon left running would outlive the test and hold its directory.
  GuardedCall call = call_guarded([](std::string& note) {
    const std::int64_t started = daemon_start();
    // The guarded child had no child of its own before the call: any it
    // has now (running or ended) was forked by daemon_start.
    std::vector<pid_t> forked = own_children();
    if (started > 0) forked.push_back(static_cast<pid_t>(started));
    int status = 0;
    const bool reaped_one = waitpid(-1, &status, WNOHANG) > 0;
    if (!forked.empty() || reaped_one) {
      note = "daemon_start forked a child process; pids:";
      for (pid_t pid : forked) note += " " + std::to_string(pid);
    }
    return started;
  });
  const std::size_t pids_at = call.note.find("pids:");
  if (pids_at != std::string::npos) {
    std::istringstream pids(call.note.substr(pids_at + 5));
    long pid = 0;
    while (pids >> pid) {
      if (pid > 1) ::kill(static_cast<pid_t>(pid), SIGKILL);  // not our child: init reaps it
    }
  }
  return call;
}

pid_t CleanerTest::pausing_child() {
  const pid_t child = spawn_pausing_child();
  if (child > 0) track_child(child);
  return child;
}

pid_t CleanerTest::pausing_child_of_another_user() {
  const pid_t child = spawn_pausing_child_as(kOtherUid, kOtherGid);
  if (child > 0) track_child(child);
  return child;
}

}  // namespace daemon_test
