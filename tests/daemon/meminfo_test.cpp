// daemon_monitor_memory on meminfo texts the test writes (docs/spec.md,
// "The entry points"): which lines count, which values parse, the floor
// percentage, the 8192-byte limit, and the warning lines.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cleaner_fixture.h"
#include "layout.h"
#include "morph_abi.h"

namespace daemon_test {
namespace {

class MemoryMonitor : public CleanerTest {
 protected:
  void SetUp() override {
    CleanerTest::SetUp();
    daemon_mem_threshold = 100;  // no warning unless a test lowers it
  }
  // Writes `text` as the meminfo file and runs the call.
  std::int64_t percent_of(const std::string& text) {
    write_file(outside("meminfo"), text);
    const GuardedCall call = monitor_memory();
    EXPECT_TRUE(ran_cleanly(call));
    return call.completed ? call.result : -999;
  }
  std::vector<std::string> cannot_parse() const { return {log_line("cannot parse " + outside("meminfo"))}; }
};

// Filler lines of /proc/meminfo's shape, none of them a key that counts.
std::string filler_lines(std::size_t bytes) {
  std::string out;
  for (int i = 0; out.size() < bytes; ++i) out += "Filler" + std::to_string(i) + ":      123456 kB\n";
  return out;
}

TEST_F(MemoryMonitor, AProcMeminfoTextGivesTheFloorPercentage) {
  const std::string text =
      "MemTotal:       16384000 kB\n"
      "MemFree:         1000000 kB\n"
      "MemAvailable:    5000000 kB\n"
      "Buffers:          200000 kB\n"
      "Cached:          3000000 kB\n"
      "SwapTotal:       2000000 kB\n";
  // (16384000 - 5000000) * 100 / 16384000 = 69.48...
  EXPECT_EQ(percent_of(text), 69);
  EXPECT_EQ(log_text(), "");
}

TEST_F(MemoryMonitor, WithoutMemAvailableMemFreeIsUsed) {
  // (16384000 - 1000000) * 100 / 16384000 = 93.89...
  EXPECT_EQ(percent_of("MemTotal: 16384000 kB\nMemFree: 1000000 kB\nBuffers: 1 kB\n"), 93);
}

TEST_F(MemoryMonitor, MemAvailableWinsOverMemFreeInAnyOrder) {
  EXPECT_EQ(percent_of("MemFree: 900 kB\nMemTotal: 1000 kB\nMemAvailable: 250 kB\n"), 75);
}

TEST_F(MemoryMonitor, AllUsedIsOneHundredAndNoneUsedIsZero) {
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nMemAvailable: 0 kB\n"), 100);
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nMemAvailable: 1000 kB\n"), 0);
  EXPECT_EQ(percent_of("MemTotal: 3 kB\nMemAvailable: 1 kB\n"), 66);  // 66.6...: floor, not rounding
}

TEST_F(MemoryMonitor, NeitherAvailableNorFreeIsMinusOne) {
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nBuffers: 10 kB\n"), -1);
  EXPECT_EQ(log_lines(), cannot_parse());
}

TEST_F(MemoryMonitor, NoMemTotalIsMinusOne) {
  EXPECT_EQ(percent_of("MemFree: 100 kB\nMemAvailable: 200 kB\n"), -1);
  EXPECT_EQ(log_lines(), cannot_parse());
}

TEST_F(MemoryMonitor, AZeroTotalIsMinusOne) {
  EXPECT_EQ(percent_of("MemTotal: 0 kB\nMemAvailable: 0 kB\n"), -1);
  EXPECT_EQ(log_lines(), cannot_parse());
}

TEST_F(MemoryMonitor, MoreAvailableThanTotalIsMinusOne) {
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nMemAvailable: 1001 kB\n"), -1);
  EXPECT_EQ(log_lines(), cannot_parse());
}

TEST_F(MemoryMonitor, AMissingFileIsMinusOne) {
  use_meminfo(outside("no_such_meminfo"));
  const GuardedCall call = monitor_memory();
  ASSERT_TRUE(ran_cleanly(call));
  EXPECT_EQ(call.result, -1);
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("cannot parse " + outside("no_such_meminfo"))});
}

TEST_F(MemoryMonitor, AnUnreadableFileIsMinusOne) {
  // A directory opens O_RDONLY but read fails (EISDIR).
  ASSERT_EQ(mkdir(outside("meminfo_dir").c_str(), 0700), 0);
  use_meminfo(outside("meminfo_dir"));
  const GuardedCall call = monitor_memory();
  ASSERT_TRUE(ran_cleanly(call));
  EXPECT_EQ(call.result, -1);
}

TEST_F(MemoryMonitor, AnEmptyFileIsMinusOne) { EXPECT_EQ(percent_of(""), -1); }

TEST_F(MemoryMonitor, TheLastLineCountsWithoutANewline) {
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nMemAvailable: 250"), 75);
}

TEST_F(MemoryMonitor, TwentyDigitValuesFitUpTo2To64Minus1) {
  // (2^64 - 2) * 100 / (2^64 - 1): 99, computed without overflow.
  EXPECT_EQ(percent_of("MemTotal: 18446744073709551615 kB\nMemAvailable: 1 kB\n"), 99);
  EXPECT_EQ(percent_of("MemTotal: 18446744073709551614 kB\nMemAvailable: 9223372036854775807 kB\n"), 50);
  EXPECT_EQ(percent_of("MemTotal: 18446744073709551615 kB\nMemAvailable: 18446744073709551515 kB\n"), 0);
}

TEST_F(MemoryMonitor, AValueAbove2To64Minus1IgnoresItsLine) {
  EXPECT_EQ(percent_of("MemTotal: 18446744073709551616 kB\nMemAvailable: 1 kB\n"), -1);
  // The line is ignored, so a later line of the same key gives the value.
  EXPECT_EQ(percent_of("MemTotal: 18446744073709551616 kB\nMemTotal: 1000 kB\nMemAvailable: 500 kB\n"), 50);
  EXPECT_EQ(percent_of("MemTotal: 99999999999999999999 kB\nMemTotal: 1000 kB\nMemAvailable: 600 kB\n"), 40);
}

TEST_F(MemoryMonitor, TheFirstLineThatParsesWins) {
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nMemTotal: 2000 kB\nMemAvailable: 500 kB\n"), 50);
  EXPECT_EQ(percent_of("MemTotal: abc\nMemTotal: 2000 kB\nMemAvailable: 500 kB\n"), 75);
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nMemAvailable: 100 kB\nMemAvailable: 900 kB\n"), 90);
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nMemAvailable:\nMemAvailable: 400 kB\n"), 60);
}

TEST_F(MemoryMonitor, OnlyLinesStartingWithTheKeyCount) {
  EXPECT_EQ(percent_of(" MemTotal: 5 kB\nXMemTotal: 7 kB\nMemTotal: 1000 kB\n"
                       "MemAvailableX: 1 kB\nMemAvailable 2 kB\nMemAvailable: 300 kB\n"),
            70);
}

TEST_F(MemoryMonitor, SpacesAndTabsMaySeparateTheValue) {
  EXPECT_EQ(percent_of("MemTotal:\t \t1000 kB\nMemAvailable:250\n"), 75);
  EXPECT_EQ(percent_of("MemTotal: 0001000 kB\nMemAvailable: 250xyz\n"), 75);  // the digits, then anything
}

TEST_F(MemoryMonitor, KeysAfterTheFirst8192BytesAreNotSeen) {
  ASSERT_EQ(mf::layout::DAEMON_MEMINFO_MAX, 8192u);
  const std::string text = filler_lines(8300) + "MemTotal: 1000 kB\nMemAvailable: 250 kB\n" + filler_lines(11800);
  ASSERT_GE(text.size(), 20000u);
  EXPECT_EQ(percent_of(text), -1);
  EXPECT_EQ(log_lines(), cannot_parse());
}

TEST_F(MemoryMonitor, ALineCutByTheLimitIsIgnored) {
  // "MemAvailable: 500 kB" straddles byte 8192: the first 8192 bytes end
  // in "MemAvailable: 50".  Ignored, MemFree gives 90; read whole it
  // would give 50, read cut 95.
  std::string head = "MemTotal: 1000 kB\nMemFree: 100 kB\n";
  const std::string cut_part = "MemAvailable: 50";
  head += filler_lines(8192 - head.size() - cut_part.size() - 40);
  head += std::string(8192 - head.size() - cut_part.size() - 1, 'x') + "\n";  // a padding line
  ASSERT_EQ(head.size() + cut_part.size(), 8192u);
  EXPECT_EQ(percent_of(head + cut_part + "0 kB\n" + filler_lines(100)), 90);
}

TEST_F(MemoryMonitor, ALineEndingExactlyAtTheLimitCounts) {
  std::string head = "MemTotal: 1000 kB\nMemFree: 100 kB\n";
  const std::string last_line = "MemAvailable: 500 kB\n";
  head += filler_lines(8192 - head.size() - last_line.size() - 40);
  head += std::string(8192 - head.size() - last_line.size() - 1, 'x') + "\n";
  ASSERT_EQ(head.size() + last_line.size(), 8192u);
  EXPECT_EQ(percent_of(head + last_line + filler_lines(100)), 50);
}

TEST_F(MemoryMonitor, AboveTheThresholdIsLoggedAtOrBelowIsNot) {
  const std::string text = "MemTotal: 16384000 kB\nMemAvailable: 5000000 kB\n";  // 69%
  daemon_mem_threshold = 69;
  EXPECT_EQ(percent_of(text), 69);
  EXPECT_EQ(log_text(), "");
  daemon_mem_threshold = 68;
  EXPECT_EQ(percent_of(text), 69);
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("memory used 69% is above the threshold of 68%")});
  clear_log();
  daemon_mem_threshold = 80;
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nMemAvailable: 0 kB\n"), 100);
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("memory used 100% is above the threshold of 80%")});
}

TEST_F(MemoryMonitor, ANegativeThresholdIsLoggedWithItsSign) {
  // daemon_mem_threshold is a signed 64-bit global (docs/spec.md,
  // "Configuration"): below 0, every percentage is above it, and the line
  // writes it with its '-' (the only negative number a log line can hold),
  // down to -2^63, whose negation is itself.
  daemon_mem_threshold = -5;
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nMemAvailable: 1000 kB\n"), 0);
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("memory used 0% is above the threshold of -5%")});
  clear_log();
  daemon_mem_threshold = INT64_MIN;
  EXPECT_EQ(percent_of("MemTotal: 1000 kB\nMemAvailable: 250 kB\n"), 75);
  EXPECT_EQ(log_lines(), std::vector<std::string>{
                             log_line("memory used 75% is above the threshold of -9223372036854775808%")});
}

TEST_F(MemoryMonitor, AnEscapedPathIsLoggedWhenItCannotBeParsed) {
  use_meminfo(outside("mem\ninfo"));
  write_file(outside("mem\ninfo"), "nothing\n");
  const GuardedCall call = monitor_memory();
  ASSERT_TRUE(ran_cleanly(call));
  EXPECT_EQ(call.result, -1);
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("cannot parse " + root_ + "/mem\\x0ainfo")});
}

// The kernel's own file, read the same way by the test just before.
std::int64_t percent_from_proc_meminfo() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t value = 0, total = 0, available = 0;
  std::string unit;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    fields >> key >> value;
    if (key == "MemTotal:") total = value;
    if (key == "MemAvailable:") available = value;
  }
  if (total == 0) return -1;
  return static_cast<std::int64_t>((total - available) * 100 / total);
}

TEST_F(MemoryMonitor, TheRealProcMeminfoGivesAPercentage) {
  use_meminfo("/proc/meminfo");
  const std::int64_t expected = percent_from_proc_meminfo();
  const GuardedCall call = monitor_memory();
  ASSERT_TRUE(ran_cleanly(call));
  EXPECT_GE(call.result, 0);
  EXPECT_LE(call.result, 100);
  EXPECT_NEAR(static_cast<double>(call.result), static_cast<double>(expected), 3.0) << "memory moves a little";
}

}  // namespace
}  // namespace daemon_test
