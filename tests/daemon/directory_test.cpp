// The directory checks (docs/spec.md, "The directory"): each of the three
// entry points refuses a directory it cannot trust with -1, one log line
// and nothing touched; daemon_start then forks nothing.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "cleaner_fixture.h"
#include "morph_abi.h"

namespace daemon_test {
namespace {

constexpr const char* kCannotOpen = "cannot open as a directory without following a link";
constexpr const char* kNotOwned = "not owned by the running user";
constexpr const char* kWritable = "writable by group or others";

class DirectoryChecks : public CleanerTest {
 protected:
  // Expired files in `dir` that a pass that went ahead would delete.
  void put_bait(const std::string& dir) {
    bait_dir_ = dir;
    gone_pid_ = pid_of_no_process();
    ASSERT_GT(gone_pid_, 0);
    write_file(dir + "/snapshot_old", "0");
    write_file(dir + "/sandbox_" + std::to_string(gone_pid_), "0");
  }

  // The three entry points on daemon_monitor_dir as it is now.
  void expect_refused_by_all(const std::string& path, const std::string& reason) {
    const GuardedCall snapshots = clean_snapshots();
    ASSERT_TRUE(ran_cleanly(snapshots));
    EXPECT_EQ(snapshots.result, -1);
    const GuardedCall sandboxes = clean_sandboxes();
    ASSERT_TRUE(ran_cleanly(sandboxes));
    EXPECT_EQ(sandboxes.result, -1);
    const GuardedCall start = start_expecting_refusal();
    ASSERT_TRUE(ran_cleanly(start));
    EXPECT_EQ(start.result, -1);
    EXPECT_EQ(start.note, "") << "a refused daemon_start must fork nothing";

    const std::string refusal = log_line("refused " + escaped(path) + ": " + reason);
    EXPECT_EQ(log_lines(), (std::vector<std::string>{refusal, refusal, refusal}));
    if (!bait_dir_.empty()) {
      EXPECT_TRUE(exists(bait_dir_ + "/snapshot_old"));
      EXPECT_TRUE(exists(bait_dir_ + "/sandbox_" + std::to_string(gone_pid_)));
    }
  }

  std::string bait_dir_;
  pid_t gone_pid_ = 0;
};

TEST_F(DirectoryChecks, ASymlinkToAGoodDirectoryIsRefused) {
  put_bait(monitor_);
  const std::string link = outside("monitor_link");
  ASSERT_EQ(symlink(monitor_.c_str(), link.c_str()), 0);
  use_monitor_dir(link);
  expect_refused_by_all(link, kCannotOpen);
}

TEST_F(DirectoryChecks, AMissingDirectoryIsRefused) {
  const std::string missing = outside("missing");
  use_monitor_dir(missing);
  expect_refused_by_all(missing, kCannotOpen);
  EXPECT_FALSE(exists(missing)) << "nothing is created";
}

TEST_F(DirectoryChecks, ARegularFileIsRefused) {
  const std::string file = outside("plain_file");
  write_file(file, "0");
  use_monitor_dir(file);
  expect_refused_by_all(file, kCannotOpen);
  EXPECT_EQ(read_file(file), "0");
}

TEST_F(DirectoryChecks, ADirectoryOfAnotherUserIsRefused) {
  put_bait(monitor_);
  if (running_as_root()) {
    ASSERT_EQ(chown(monitor_.c_str(), kOtherUid, kOtherGid), 0);
    expect_refused_by_all(monitor_, kNotOwned);
  } else {
    // A non-root user cannot give a directory away; "/" is root's.
    bait_dir_.clear();
    use_monitor_dir("/");
    expect_refused_by_all("/", kNotOwned);
  }
}

TEST_F(DirectoryChecks, AGroupWritableDirectoryIsRefused) {
  put_bait(monitor_);
  ASSERT_EQ(chmod(monitor_.c_str(), 0770), 0);
  expect_refused_by_all(monitor_, kWritable);
}

TEST_F(DirectoryChecks, AnOthersWritableDirectoryIsRefused) {
  put_bait(monitor_);
  ASSERT_EQ(chmod(monitor_.c_str(), 0702), 0);
  expect_refused_by_all(monitor_, kWritable);
}

TEST_F(DirectoryChecks, AStickyWorldWritableDirectoryIsRefused) {
  // Like /tmp itself: the sticky bit does not make it trustworthy.
  put_bait(monitor_);
  ASSERT_EQ(chmod(monitor_.c_str(), 01777), 0);
  expect_refused_by_all(monitor_, kWritable);
}

TEST_F(DirectoryChecks, ReadableByGroupAndOthersIsAccepted) {
  ASSERT_EQ(chmod(monitor_.c_str(), 0755), 0);
  put("snapshot_old", "0");
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("unlinked snapshot_old")});
}

TEST_F(DirectoryChecks, SymlinksBeforeTheLastComponentAreFollowed) {
  // Only the last component is the directory's; the path leading to it is
  // the administrator's.
  ASSERT_EQ(mkdir(outside("real_parent").c_str(), 0700), 0);
  ASSERT_EQ(mkdir(outside("real_parent/monitor").c_str(), 0700), 0);
  ASSERT_EQ(chmod(outside("real_parent/monitor").c_str(), 0700), 0);
  ASSERT_EQ(symlink(outside("real_parent").c_str(), outside("parent_link").c_str()), 0);
  write_file(outside("real_parent/monitor/snapshot_old"), "0");
  use_monitor_dir(outside("parent_link/monitor"));
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_FALSE(exists(outside("real_parent/monitor/snapshot_old")));
}

TEST_F(DirectoryChecks, EachCallOpensTheDirectoryAfresh) {
  // Refused, then fixed: the next call of the same process sees the fix.
  put("snapshot_old", "0");
  ASSERT_EQ(chmod(monitor_.c_str(), 0770), 0);
  const std::string monitor = monitor_;
  const GuardedCall calls = call_guarded([&](std::string& note) -> std::int64_t {
    note = std::to_string(daemon_clean_snapshots());
    chmod(monitor.c_str(), 0700);
    return daemon_clean_snapshots();
  });
  ASSERT_TRUE(ran_cleanly(calls));
  EXPECT_EQ(calls.note, "-1");
  EXPECT_EQ(calls.result, 1);
  EXPECT_FALSE(in_monitor_exists("snapshot_old"));
}

}  // namespace
}  // namespace daemon_test
