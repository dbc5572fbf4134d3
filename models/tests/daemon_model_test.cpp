// The daemon cleaner's model (models/daemon/) on hand-picked cases: each
// rule of docs/spec.md's "The daemon cleaner" once, and the log line's cut.
// tests/daemon/model_agreement_test.cpp checks the model against the
// assembly on generated cases.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "daemon/cleaner_log.h"
#include "daemon/cleaner_model.h"
#include "daemon/meminfo_model.h"
#include "daemon/world_ops.h"
#include "layout.h"

namespace mf::model::daemon {
namespace {

TEST(CleanerLogModel, EscapesEveryByteOutsidePrintableAsciiAndTheBackslash) {
  EXPECT_EQ(log_about("unlinked ", std::string("a\nb\\c\x7f\xff d")),
            "morph-cleaner: unlinked a\\x0ab\\x5cc\\x7f\\xff d\n");
}

TEST(CleanerLogModel, ALineIsCutAtTheMaximumAndAnEscapeGoesInWholeOrNotAtAll) {
  const std::string line = log_about("unlinked ", std::string(2000, '\n'));
  // 1511 bytes of room after the 24-byte start: 377 escapes of 4, and 3 bytes unused.
  EXPECT_EQ(line.size(), static_cast<std::size_t>(layout::DAEMON_LOG_LINE_MAX) - 3);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(log_about("x", std::string(3000, 'a')).size(), static_cast<std::size_t>(layout::DAEMON_LOG_LINE_MAX));
}

TEST(CleanerLogModel, ANumberThatDoesNotFitIsLeftOutAndTheTextAfterItMayFit) {
  LogLine line;
  line.text(std::string(layout::DAEMON_LOG_LINE_MAX - 1 - 15 - 3, 'a'));  // three bytes of room left
  EXPECT_EQ(line.decimal(12345).text("xyz").finish().substr(layout::DAEMON_LOG_LINE_MAX - 4), "xyz\n");
}

TEST(MeminfoModel, TheFloorOfTheUsedShare) {
  EXPECT_EQ(used_percent("MemTotal: 1000 kB\nMemFree: 1 kB\nMemAvailable: 251 kB\n"), 74);
  EXPECT_EQ(used_percent("MemTotal: 1000 kB\nMemFree: 1 kB\n"), 99);
  EXPECT_EQ(used_percent("MemTotal: 18446744073709551615\nMemFree: 0"), 100);
}

TEST(MeminfoModel, WhatMakesItMinusOne) {
  EXPECT_EQ(used_percent(""), -1);
  EXPECT_EQ(used_percent("MemTotal: 0\nMemFree: 0\n"), -1);
  EXPECT_EQ(used_percent("MemTotal: 10\nMemFree: 11\n"), -1);
  EXPECT_EQ(used_percent("MemTotal: 10\n"), -1);
  EXPECT_EQ(used_percent("MemTotal: 18446744073709551616\nMemFree: 1\n"), -1);
}

TEST(MeminfoModel, ALineCutByTheLimitIsNotRead) {
  const std::string start = std::string(8150, 'f') + "\nMemTotal: 100\nMemFree: 5";  // 8175 bytes
  EXPECT_EQ(used_percent(start), 95) << "the whole file fits: its last line counts without a newline";
  EXPECT_EQ(used_percent(start + std::string(100, '0')), -1) << "MemFree's line runs past the limit";
  EXPECT_EQ(used_percent(start + "\n" + std::string(100, 'x')), 95) << "a newline before the limit ends it";
}

TEST(MeminfoModel, TheLineOfAMeminfoLineOp) {
  EXPECT_EQ(meminfo_line(0, 100, 1 | 4), "MemTotal: 100 kB\n");
  EXPECT_EQ(meminfo_line(2, 7, 2 | 8 | 16), "MemFree:\tx7");
  EXPECT_EQ(meminfo_line(1, 5, 3 | 32 | 64), "MemAvailable:      -50000000000\n");
  // Bit 8: the byte just above '9' after the digits, or alone where they would be.
  EXPECT_EQ(meminfo_line(0, 100, 1 | 256), "MemTotal: 100:\n");
  EXPECT_EQ(meminfo_line(0, 100, 1 | 128 | 256), "MemTotal: :\n");
  EXPECT_EQ(used_percent(meminfo_line(0, 100, 1 | 256) + meminfo_line(2, 50, 1)), 50) << "':' ends the digits";
  EXPECT_EQ(used_percent(meminfo_line(0, 100, 1 | 128 | 256) + "MemTotal: 10\nMemFree: 5\n"), 50)
      << "':' is no digit: the first line has no value";
}

TEST(MeminfoModel, LogsAboveTheThresholdAndMinusOne) {
  EXPECT_EQ(monitor_memory({"/m", "MemTotal: 10\nMemFree: 1\n", 80}).log,
            std::vector<std::string>{"morph-cleaner: memory used 90% is above the threshold of 80%\n"});
  EXPECT_TRUE(monitor_memory({"/m", "MemTotal: 10\nMemFree: 2\n", 80}).log.empty());
  EXPECT_EQ(monitor_memory({"/m", std::nullopt, 80}).log, std::vector<std::string>{"morph-cleaner: cannot parse /m\n"});
}

TEST(CleanerModel, ParsesOnlyCanonicalDecimals) {
  EXPECT_EQ(parse_canonical("0"), 0);
  EXPECT_EQ(parse_canonical("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "00", "012", "+1", "-1", "1x", "9223372036854775808"}) EXPECT_EQ(parse_canonical(bad), std::nullopt) << bad;
}

MonitorDirectory directory_of(std::vector<Entry> entries) {
  MonitorDirectory dir;
  dir.path = "/d";
  dir.entries = std::move(entries);
  return dir;
}

Entry file(std::string name, std::string content) {
  Entry e;
  e.name = std::move(name);
  e.content = std::move(content);
  return e;
}

TEST(CleanerModel, ExpiresStrictlyAfterTheTtl) {
  CleanerEnvironment env;
  env.now = 1000;
  const PassOutcome out =
      clean_pass(PassKind::snapshots, directory_of({file("snapshot_a", "700"), file("snapshot_b", "699\n")}), env);
  EXPECT_EQ(out.result, 1);
  EXPECT_EQ(out.unlinked, std::vector<std::string>{"snapshot_b"});
}

TEST(CleanerModel, RefusesAForeignOrWritableDirectory) {
  CleanerEnvironment env;
  MonitorDirectory dir = directory_of({file("snapshot_a", "0")});
  dir.mode = 0770;
  EXPECT_EQ(clean_pass(PassKind::snapshots, dir, env).log,
            std::vector<std::string>{"morph-cleaner: refused /d: writable by group or others\n"});
  dir.mode = 0700;
  dir.uid = 5;
  EXPECT_EQ(clean_pass(PassKind::snapshots, dir, env).result, -1);
}

TEST(CleanerModel, SignalsOnlyALiveProcessOfTheRunningUserThatIsNotItself) {
  CleanerEnvironment env;
  env.now = 1000;
  env.pid = 7;
  env.processes = {{8, 0}, {9, 5}, {7, 0}};
  const PassOutcome out = clean_pass(
      PassKind::sandboxes,
      directory_of({file("sandbox_7", "0"), file("sandbox_8", "0"), file("sandbox_9", "0"), file("sandbox_10", "0"),
                    file("sandbox_1", "0"), file("sandbox_4294967295", "0")}),
      env);
  EXPECT_EQ(out.signalled, std::vector<std::int64_t>{8});
  EXPECT_EQ(out.result, 4);
  EXPECT_EQ(out.log[0], "morph-cleaner: not signalled 7 for sandbox_7: the cleaner itself\n");
  EXPECT_EQ(out.log[2], "morph-cleaner: signalled 8 for sandbox_8\n");
  EXPECT_EQ(out.log[4], "morph-cleaner: not signalled 9 for sandbox_9: owned by another user\n");
  EXPECT_EQ(out.log[6], "morph-cleaner: not signalled 10 for sandbox_10: no such process\n");
  EXPECT_EQ(out.log[8], "morph-cleaner: skipped sandbox_1: invalid pid\n");
}

// dir_entry's pid table (world_ops.h) ends with a valid pid of seven digits
// that a live process of the running user holds: the pass must signal it,
// which only a /proc path with all seven digits allows.  The indices before
// it keep their pids (traces name pids by index).
TEST(CleanerWorldOps, TheLastPidOfTheTableIsALiveProcessWithSevenDigits) {
  const CleanerWorld world;
  EXPECT_EQ(entry_for(1, 0, 0, 1000, world).name, "sandbox_4242");
  EXPECT_EQ(entry_for(3 * 17 + 1, 0, 0, 1000, world).name, "sandbox_18446744073709551621");
  EXPECT_EQ(entry_for(3 * 20 + 1, 0, 0, 1000, world).name, "sandbox_4194303");
  EXPECT_EQ(std::to_string(CleanerWorld::kLongPidProcess).size(), 7u);
  EXPECT_LE(CleanerWorld::kLongPidProcess, world.pid_max);
  ASSERT_EQ(world.processes.count(CleanerWorld::kLongPidProcess), 1u);
  EXPECT_EQ(world.processes.at(CleanerWorld::kLongPidProcess), CleanerWorld::kOwnUid);
  EXPECT_EQ(world.kill_fails.count(CleanerWorld::kLongPidProcess), 0u);
}

// Content form 5 with bit 3: the time's digits, then NULs up to the 32
// bytes the cleaner reads (its buffer's last bytes zero); without bit 3
// "abc", as before.
TEST(CleanerWorldOps, TheAbcFormWithBit3IsTheTimePaddedWithNuls) {
  const CleanerWorld world;
  const std::string padded = entry_for(0, 5 | 8 | (5 << 4), 0, 1000, world).content;
  ASSERT_EQ(padded.size(), static_cast<std::size_t>(layout::DAEMON_CONTENT_MAX));
  EXPECT_EQ(padded.substr(0, 4), std::string("702\0", 4));  // 1000 - (300 + 5 % 5 - 2)
  EXPECT_EQ(padded.find_first_not_of('\0', 3), std::string::npos);
  EXPECT_EQ(entry_for(0, 5 | (5 << 4), 0, 1000, world).content, "abc");
}

// daemon_config's fifth setting is the log's descriptor: negative values
// as they are (no log), any other value stderr.
TEST(CleanerWorldOps, TheFifthSettingTurnsTheLogOffOrBackOn) {
  CleanerWorld world;
  EXPECT_EQ(world.log_fd, 2);
  configure(world, 4, static_cast<std::uint64_t>(-1));
  EXPECT_EQ(world.log_fd, -1);
  configure(world, 9, static_cast<std::uint64_t>(INT64_MIN));
  EXPECT_EQ(world.log_fd, INT64_MIN);
  configure(world, 4, 5);
  EXPECT_EQ(world.log_fd, 2);
  configure(world, 5, 9);  // 5 % 5: the snapshot TTL, as 0
  EXPECT_EQ(world.snapshot_ttl, 9);
  EXPECT_EQ(world.log_fd, 2);
}

TEST(CleanerModel, AnUnreadableDirectoryEndsThePassWithTheCountSoFar) {
  CleanerEnvironment env;
  env.now = 1000;
  MonitorDirectory dir = directory_of({file("snapshot_a", "0"), file("snapshot_b", "0")});
  dir.unreadable_after = 1;
  const PassOutcome out = clean_pass(PassKind::snapshots, dir, env);
  EXPECT_EQ(out.result, 1);
  EXPECT_EQ(out.log.back(), "morph-cleaner: cannot read /d\n");
}

// The control ops' newest meanings (models/daemon/world_ops.h), which the
// corpus's traces name by number.
TEST(WorldOps, TheLastNamesTheLongContentAndTheReadThatFailsAfterTheFirst) {
  CleanerWorld world;
  EXPECT_EQ(entry_for(55, 0, 0, 1000, world).name, "sandbox_2147483647");
  EXPECT_EQ(entry_for(58, 0, 0, 1000, world).name, "sandbox_499:");
  EXPECT_EQ(entry_for(44, 0, 0, 1000, world).name, "snapshots_a");
  EXPECT_EQ(entry_for(2, 0, 0, 1000, world).name, "snapshot_");  // the first of neither kind, as before
  EXPECT_EQ(entry_for(0, 7, 0, 1000, world).content.size(), 25u);
  EXPECT_EQ(entry_for(0, 15, 0, 1000, world).content.size(), 40u);
  const Entry late = entry_for(0, 0, 128, 1000, world);
  EXPECT_TRUE(late.read_fails);
  EXPECT_EQ(late.read_fails_from, 1u);
  EXPECT_EQ(entry_for(0, 0, 16 | 128, 1000, world).read_fails_from, 0u);  // bit 4: from the first read
  EXPECT_FALSE(entry_for(0, 0, 0, 1000, world).read_fails);
  set_directory_state(world, 64);
  EXPECT_TRUE(world.dir.ends_with_empty_name);
  EXPECT_TRUE(world.dir.opens);
  set_directory_state(world, 0);
  EXPECT_FALSE(world.dir.ends_with_empty_name);
}

// daemon_config 3's long paths (world_ops.cpp) exist to cut the log line in
// set places; traces rely on where, so this pins it.
TEST(WorldOps, TheLongDirectoryPathsCutTheirLinesWhereTheyShould) {
  constexpr std::size_t kMax = layout::DAEMON_LOG_LINE_MAX;
  CleanerWorld world;
  const auto path = [&](std::uint64_t choice) {
    configure(world, 3, choice);
    return world.dir.path;
  };
  EXPECT_EQ(path(0), "/tmp/morph_swap_monitor");
  for (std::uint64_t choice = 1; choice < 4; ++choice) {
    EXPECT_GT(log_about("cannot read ", path(choice)).size(), kMax - 4) << choice;  // cut inside the path
    EXPECT_LT(path(choice).size(), 4096u) << choice;                                // PATH_MAX
  }
  // Plain: the line is full, the reason cut off whole; the tilde is logged as it is.
  const std::string plain = log_about("refused ", path(1), ": ", "no");
  EXPECT_EQ(plain.size(), kMax);
  EXPECT_EQ(plain.substr(0, 30), "morph-cleaner: refused /tmp/~m");
  // Escapes meeting the cut with 3 bytes of room: one left out, and the
  // plain text after the path, if any, takes those 3 bytes.
  const std::string three = log_about("cannot read ", path(2));
  EXPECT_EQ(three.size(), kMax - 3);
  EXPECT_EQ(three.substr(three.size() - 5), "\\xff\n");
  const std::string three_then_text = log_about("refused ", path(2), ": ", "no");
  EXPECT_EQ(three_then_text.size(), kMax);
  EXPECT_EQ(three_then_text.substr(three_then_text.size() - 8), "\\xff: n\n");
  // With exactly 4: the last escape fills the line.
  for (const char* message : {"refused ", "cannot read "}) {
    const std::string four = log_about(message, path(3), ": ", "no");
    EXPECT_EQ(four.size(), kMax) << message;
    EXPECT_EQ(four.substr(four.size() - 5), "\\xff\n") << message;
  }
  configure(world, 8, 4);  // which taken modulo 5, the path's choice modulo 4
  EXPECT_EQ(world.dir.path, "/tmp/morph_swap_monitor");
}

}  // namespace
}  // namespace mf::model::daemon
