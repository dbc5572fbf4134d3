// Entries that are not regular files (docs/spec.md, "Names and contents"):
// a symlink is never followed, a FIFO never blocks the pass, a directory
// is never entered; each is skipped and logged.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "cleaner_fixture.h"
#include "morph_abi.h"
#include "time_scale.h"

namespace daemon_test {
namespace {

using std::chrono::milliseconds;
using EntryTypes = CleanerTest;

TEST_F(EntryTypes, ASnapshotSymlinkIsNotFollowed) {
  // Its target, outside the directory, holds an expired timestamp: a
  // cleaner that followed the link would unlink the link (or worse).
  write_file(outside("target"), "0");
  ASSERT_EQ(symlink(outside("target").c_str(), in_monitor("snapshot_link").c_str()), 0);
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists("snapshot_link"));
  EXPECT_EQ(read_file(outside("target")), "0");
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("skipped snapshot_link: not a regular file")});
}

TEST_F(EntryTypes, ASandboxSymlinkIsNotFollowed) {
  const pid_t child = pausing_child();
  ASSERT_GT(child, 0);
  const std::string name = "sandbox_" + std::to_string(child);
  write_file(outside("target"), "0");
  ASSERT_EQ(symlink(outside("target").c_str(), in_monitor(name).c_str()), 0);
  const GuardedCall pass = clean_sandboxes();
  ASSERT_TRUE(ran_cleanly(pass));  // no kill tried
  EXPECT_EQ(pass.result, 0);
  EXPECT_FALSE(wait_for_exit(child, scaled(milliseconds(100))).has_value());
  EXPECT_TRUE(in_monitor_exists(name));
  EXPECT_EQ(read_file(outside("target")), "0");
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("skipped " + name + ": not a regular file")});
}

TEST_F(EntryTypes, ADanglingSymlinkIsSkipped) {
  ASSERT_EQ(symlink(outside("nothing_here").c_str(), in_monitor("snapshot_dangling").c_str()), 0);
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists("snapshot_dangling"));
  EXPECT_FALSE(exists(outside("nothing_here")));
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("skipped snapshot_dangling: not a regular file")});
}

TEST_F(EntryTypes, AFifoDoesNotBlockThePass) {
  // No writer ever opens it: a blocking open or read would hang, and the
  // guarded child is then killed after the timeout.
  ASSERT_EQ(mkfifo(in_monitor("snapshot_fifo").c_str(), 0600), 0);
  put("snapshot_old", "0");  // the pass goes on past the FIFO
  const GuardedCall pass = call_guarded([](std::string&) { return daemon_clean_snapshots(); }, {},
                                        scaled(std::chrono::seconds(5)));
  ASSERT_FALSE(pass.timed_out) << "the pass blocked on the FIFO";
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_EQ(monitor_entries(), std::vector<std::string>{"snapshot_fifo"});
  EXPECT_EQ(sorted(log_lines()),
            sorted({log_line("skipped snapshot_fifo: not a regular file"), log_line("unlinked snapshot_old")}));
}

TEST_F(EntryTypes, ASandboxFifoDoesNotBlockThePass) {
  const pid_t child = pausing_child();
  ASSERT_GT(child, 0);
  const std::string name = "sandbox_" + std::to_string(child);
  ASSERT_EQ(mkfifo(in_monitor(name).c_str(), 0600), 0);
  const GuardedCall pass = call_guarded([](std::string&) { return daemon_clean_sandboxes(); }, {},
                                        scaled(std::chrono::seconds(5)));
  ASSERT_FALSE(pass.timed_out) << "the pass blocked on the FIFO";
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_FALSE(wait_for_exit(child, scaled(milliseconds(100))).has_value());
  EXPECT_TRUE(in_monitor_exists(name));
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("skipped " + name + ": not a regular file")});
}

TEST_F(EntryTypes, ASubdirectoryIsKeptAndNotEntered) {
  ASSERT_EQ(mkdir(in_monitor("snapshot_dir").c_str(), 0700), 0);
  write_file(in_monitor("snapshot_dir/snapshot_inner"), "0");
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists("snapshot_dir"));
  EXPECT_TRUE(in_monitor_exists("snapshot_dir/snapshot_inner"));
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("skipped snapshot_dir: not a regular file")});
}

TEST_F(EntryTypes, AnUnreadableFileIsSkipped) {
  // Mode 0000: open fails once root's capabilities are dropped.
  put("snapshot_locked", "0");
  ASSERT_EQ(chmod(in_monitor("snapshot_locked").c_str(), 0), 0);
  const GuardedCall pass = call_guarded([](std::string& note) -> std::int64_t {
    if (!drop_all_capabilities()) {
      note = "cannot drop the capabilities";
      return -100;
    }
    return daemon_clean_snapshots();
  });
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists("snapshot_locked"));
  ASSERT_EQ(log_lines().size(), 1u);
  // The spec names the reasons but not which one an open failure gets.
  EXPECT_EQ(log_lines()[0].rfind(log_line("skipped snapshot_locked: "), 0), 0u) << log_lines()[0];
}

}  // namespace
}  // namespace daemon_test
