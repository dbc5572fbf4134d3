// daemon_clean_snapshots on a real directory: what expires, what is kept,
// what is counted and logged (docs/spec.md, "Age and expiry", "The entry
// points", "The log").

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "cleaner_fixture.h"
#include "morph_abi.h"
#include "time_scale.h"

namespace daemon_test {
namespace {

using SnapshotPass = CleanerTest;

TEST_F(SnapshotPass, RemovesAndCountsTheExpiredKeepsTheRest) {
  daemon_snapshot_ttl = 300;
  put("snapshot_old1", expired(300));
  put("snapshot_old2", expired(300) + "\n");
  put("snapshot_epoch", "0");
  put("snapshot_young", not_expired(300));
  put("snapshot_now", std::to_string(now()));

  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 3);
  EXPECT_EQ(monitor_entries(), (std::vector<std::string>{"snapshot_now", "snapshot_young"}));
  // A kept file that is not in the future is no event: only the unlinks.
  EXPECT_EQ(sorted(log_lines()), sorted({log_line("unlinked snapshot_old1"), log_line("unlinked snapshot_old2"),
                                         log_line("unlinked snapshot_epoch")}));
}

TEST_F(SnapshotPass, AnAgeOneSecondAboveTheTtlExpires) {
  // age = now_at_pass - t >= ttl + 1 whatever the clock does meanwhile.
  daemon_snapshot_ttl = 100;
  put("snapshot_just_over", std::to_string(now() - 101));
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_FALSE(in_monitor_exists("snapshot_just_over"));
}

TEST_F(SnapshotPass, AnAgeEqualToTheTtlIsKept) {
  // Expiry needs age > ttl.  The check holds only if the pass saw the same
  // second as the one written: tried until the clock did not tick between.
  daemon_snapshot_ttl = 100;
  bool same_second = false;
  for (int attempt = 0; attempt < 5 && !same_second; ++attempt) {
    const std::int64_t written_at = now();
    put("snapshot_exactly_ttl", std::to_string(written_at - 100));
    const GuardedCall pass = clean_snapshots();
    ASSERT_TRUE(ran_cleanly(pass));
    if (now() != written_at) continue;  // the pass may have seen the next second: inconclusive
    same_second = true;
    EXPECT_EQ(pass.result, 0);
    EXPECT_TRUE(in_monitor_exists("snapshot_exactly_ttl"));
    EXPECT_EQ(log_lines(), std::vector<std::string>{});
  }
  if (!same_second) GTEST_SKIP() << "the clock ticked during every attempt";
}

TEST_F(SnapshotPass, AFutureTimestampIsKeptAndLogged) {
  put("snapshot_future", in_the_future());
  put("snapshot_next_minute", std::to_string(now() + 60) + "\n");
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists("snapshot_future"));
  EXPECT_TRUE(in_monitor_exists("snapshot_next_minute"));
  EXPECT_EQ(sorted(log_lines()), sorted({log_line("skipped snapshot_future: timestamp in the future"),
                                         log_line("skipped snapshot_next_minute: timestamp in the future")}));
}

TEST_F(SnapshotPass, ANegativeTtlExpiresEveryFileNotInTheFuture) {
  daemon_snapshot_ttl = -1;
  put("snapshot_written_now", std::to_string(now()));  // age >= 0 > -1
  put("snapshot_future", in_the_future());
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_EQ(monitor_entries(), std::vector<std::string>{"snapshot_future"});
  EXPECT_EQ(sorted(log_lines()), sorted({log_line("unlinked snapshot_written_now"),
                                         log_line("skipped snapshot_future: timestamp in the future")}));
}

TEST_F(SnapshotPass, TheTtlIsComparedAsASignedNumber) {
  // INT64_MIN: every age (>= 0) is above it; an unsigned compare would
  // keep everything.  INT64_MAX: no age is above it.
  daemon_snapshot_ttl = std::numeric_limits<std::int64_t>::min();
  put("snapshot_epoch", "0");
  GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_FALSE(in_monitor_exists("snapshot_epoch"));

  daemon_snapshot_ttl = std::numeric_limits<std::int64_t>::max();
  put("snapshot_epoch", "0");
  pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists("snapshot_epoch"));
}

TEST_F(SnapshotPass, UsesTheSnapshotTtlNotTheSandboxTtl) {
  daemon_snapshot_ttl = 1000;
  daemon_sandbox_ttl = 10;
  put("snapshot_aged_100", std::to_string(now() - 100));
  GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists("snapshot_aged_100"));

  daemon_snapshot_ttl = 10;
  daemon_sandbox_ttl = 1000;
  pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_FALSE(in_monitor_exists("snapshot_aged_100"));
}

TEST_F(SnapshotPass, AnEmptyDirectoryGivesZeroAndNoLog) {
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_EQ(log_text(), "");
}

TEST_F(SnapshotPass, NamesWithoutThePrefixAreIgnoredSilently) {
  for (const char* name : {"notes.txt", "Snapshot_x", "snapshotx", "snapshot", "xsnapshot_a", ".snapshot_a"}) {
    put(name, "0");
  }
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_EQ(monitor_entries().size(), 6u);
  EXPECT_EQ(log_text(), "");
}

TEST_F(SnapshotPass, ThePrefixAloneIsNoSnapshot) {
  // "snapshot_ followed by at least one byte".
  put("snapshot_", "0");
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists("snapshot_"));
}

TEST_F(SnapshotPass, LeavesExpiredSandboxFilesToTheSandboxPass) {
  const pid_t gone = pid_of_no_process();
  ASSERT_GT(gone, 0);
  put("sandbox_" + std::to_string(gone), "0");
  put("snapshot_old", "0");
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_EQ(monitor_entries(), std::vector<std::string>{"sandbox_" + std::to_string(gone)});
}

TEST_F(SnapshotPass, ReadsEveryBatchOfAHugeDirectory) {
  // 10,050 entries take far more than one 4096-byte getdents64 batch.
  constexpr int kExpired = 10000;
  constexpr int kFresh = 50;
  const std::string old_stamp = expired(300);
  std::vector<std::string> fresh_names;
  for (int i = 0; i < kExpired; ++i) put("snapshot_old_" + std::to_string(i), old_stamp);
  // Stamped after the 10,000 puts, which can take longer than the margin
  // under load (the fresh files then expired before the pass).
  const std::string fresh_stamp = not_expired(300);
  for (int i = 0; i < kFresh; ++i) {
    fresh_names.push_back("snapshot_fresh_" + std::to_string(i));
    put(fresh_names.back(), fresh_stamp);
  }
  // The guard is there for a hang, far above the second or two this takes:
  // on a machine loaded eightfold, 10,050 opens and 10,000 unlinks took
  // more than 30 s of wall-clock time.
  const GuardedCall pass = call_guarded([](std::string&) { return daemon_clean_snapshots(); }, {},
                                        scaled(std::chrono::seconds(180)));
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, kExpired);
  EXPECT_EQ(monitor_entries(), sorted(fresh_names));
  EXPECT_EQ(log_lines().size(), static_cast<std::size_t>(kExpired));
}

TEST_F(SnapshotPass, AFailedUnlinkIsLoggedAndNotCounted) {
  // A directory its owner may read but not write: not refused (mode & 022
  // is 0), but unlinkat fails with EACCES once the process has no
  // capability to override it (root's CAP_DAC_OVERRIDE is dropped in the
  // guarded child).
  put("snapshot_stuck", "0");
  ASSERT_EQ(chmod(monitor_.c_str(), 0500), 0);
  const GuardedCall pass = call_guarded([](std::string& note) -> std::int64_t {
    if (!drop_all_capabilities()) {
      note = "cannot drop the capabilities";
      return -100;
    }
    return daemon_clean_snapshots();
  });
  chmod(monitor_.c_str(), 0700);
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_TRUE(in_monitor_exists("snapshot_stuck"));
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("cannot unlink snapshot_stuck")});
}

}  // namespace
}  // namespace daemon_test
