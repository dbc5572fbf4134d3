// cleaner_fixture.h - the fixture of every daemon test: a fresh directory
// tree under /tmp, the cleaner's globals pointed at it and restored after,
// the log in a file the test reads back, and the children to clean up.
//
//   <root>/            mkdtemp, everything the test makes (removed after)
//   <root>/monitor/    mode 0700, daemon_monitor_dir
//   <root>/cleaner.log daemon_log_fd (O_APPEND: forked children share it)
//   <root>/...         files "outside" the directory (symlink targets,
//                      meminfo texts)
#pragma once

#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "child_process.h"
#include "time_scale.h"

namespace daemon_test {

// The eight configuration globals, saved and put back.
struct CleanerGlobals {
  const char* monitor_dir;
  const char* meminfo_path;
  std::int64_t snapshot_ttl;
  std::int64_t sandbox_ttl;
  std::int64_t interval;
  std::int64_t mem_threshold;
  std::int64_t log_fd;
  std::int64_t pid_max;
  static CleanerGlobals current();
  void restore() const;
};

// The values the globals held when the program started, before any test
// changed them.
const CleanerGlobals& initial_globals();

// A whole log line as the spec writes it, without its "\n".
std::string log_line(const std::string& message);

// `text` as the log writes a name or path: every byte that is not
// printable ASCII, and the backslash, as \xHH (lower-case hex).
std::string escaped(const std::string& text);

// A copy, sorted: the cleaner visits entries in directory order, so the
// tests compare sets of lines and of names.
std::vector<std::string> sorted(std::vector<std::string> items);

// completed, and no signal sent (or tried) beyond the ones allowed.
::testing::AssertionResult ran_cleanly(const GuardedCall& call);

class CleanerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Cleans up when TearDown did not run: rapidcheck's fixture properties
  // skip TearDown for a case that throws (a failed or discarded case).
  ~CleanerTest() override;

  // ---- the tree ----
  std::string root_;
  std::string monitor_;
  std::string log_path_;
  int log_fd_ = -1;

  std::string in_monitor(const std::string& name) const { return monitor_ + "/" + name; }
  std::string outside(const std::string& name) const { return root_ + "/" + name; }
  // Creates or replaces a regular file.
  static void write_file(const std::string& path, const std::string& content);
  static std::string read_file(const std::string& path);
  void put(const std::string& name, const std::string& content) { write_file(in_monitor(name), content); }
  // lstat: a symlink exists even when its target does not.
  static bool exists(const std::string& path);
  bool in_monitor_exists(const std::string& name) const { return exists(in_monitor(name)); }
  // The names in the monitor directory, without . and .., sorted.
  std::vector<std::string> monitor_entries() const;

  // ---- timestamps, relative to now with margins against a clock tick ----
  // The clock the cleaner reads: the time system call (asm/os.s).  glibc's
  // time() reads the vDSO's copy, which can lag the kernel's by a moment at
  // a second's turn: a test comparing the two then sees the cleaner a second
  // ahead (AnAgeEqualToTheTtlIsKept failed so, once in several hundred runs).
  static std::int64_t now() { return static_cast<std::int64_t>(::syscall(SYS_time, nullptr)); }
  // The margin is a deadline too: a stamp "not expired" stays so only for
  // its margin, which a loaded machine can spend writing 10,000 files.  It
  // grows with the time scale, up to a third of the ttl: the stamp stays
  // in the past.
  static std::int64_t margin(std::int64_t ttl) { return std::min<std::int64_t>(5 * time_scale(), ttl / 3); }
  static std::string expired(std::int64_t ttl) { return std::to_string(now() - ttl - 5 * time_scale()); }
  static std::string not_expired(std::int64_t ttl) { return std::to_string(now() - ttl + margin(ttl)); }
  static std::string in_the_future() { return std::to_string(now() + 600); }

  // ---- configuration (the strings stay alive in the fixture) ----
  void use_monitor_dir(const std::string& path);
  void use_meminfo(const std::string& path);

  // ---- the log ----
  std::string log_text() const;
  // The log's lines without their "\n", any \xHH written with lower-case
  // hex (the spec does not fix the case).  A log not ending in "\n" adds a
  // failure: every line is written whole.
  std::vector<std::string> log_lines() const;
  void clear_log();

  // ---- calls, each in a guarded child (see child_process.h) ----
  GuardedCall clean_snapshots();
  GuardedCall clean_sandboxes(const std::vector<pid_t>& may_signal = {});
  GuardedCall monitor_memory();
  // daemon_start where it must refuse: the child also reports (in note) a
  // child process the call forked, which this process then kills.
  GuardedCall start_expecting_refusal();

  // ---- processes, all killed and reaped in TearDown ----
  pid_t pausing_child();
  pid_t pausing_child_of_another_user();  // root only; -1 on failure
  void track_child(pid_t pid) { children_.push_back(pid); }

  static bool running_as_root() { return geteuid() == 0; }
  // The uid and gid of "another user" (nobody).
  static constexpr uid_t kOtherUid = 65534;
  static constexpr gid_t kOtherGid = 65534;

 private:
  // Undoes SetUp (children killed, globals restored, tree removed), once;
  // returns what could not be removed, empty when all went.
  std::string release();

  bool set_up_ = false;
  CleanerGlobals saved_{};
  std::string monitor_dir_value_;
  std::string meminfo_value_;
  std::vector<pid_t> children_;
};

}  // namespace daemon_test
