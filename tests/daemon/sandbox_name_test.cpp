// Crafted sandbox names (docs/spec.md, "Names and contents"): a pid must be
// canonical decimal in 2..daemon_pid_max.  Each name below would, misread,
// signal something: -1 (everyone), a process group, init, or a real child.
// The kill guard refuses and records any such attempt, so a wrong cleaner
// fails these tests without harming the machine.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "cleaner_fixture.h"
#include "morph_abi.h"
#include "time_scale.h"

namespace daemon_test {
namespace {

// A 247-digit number (so "sandbox_" + it is 255 bytes, the longest name)
// that is congruent to 2^32 - 1 modulo 2^32: whatever a wrong parser keeps
// of it after wrapping (64 or 32 bits), the kernel would read -1.
std::string digits_that_wrap_to_minus_one() {
  std::string digits(237, '9');
  std::uint64_t prefix_mod = 0;  // the value of the prefix modulo 2^32
  for (char c : digits) prefix_mod = (prefix_mod * 10 + static_cast<std::uint64_t>(c - '0')) % (1ull << 32);
  std::uint64_t shifted = prefix_mod;
  for (int i = 0; i < 10; ++i) shifted = (shifted * 10) % (1ull << 32);  // prefix * 10^10
  const std::uint64_t last10 = ((1ull << 32) - 1 + (1ull << 32) - shifted) % (1ull << 32);
  std::string tail = std::to_string(last10);
  digits += std::string(10 - tail.size(), '0') + tail;
  return digits;
}

TEST(SandboxNameHelper, TheLongDigitsWrapToMinusOne) {
  const std::string digits = digits_that_wrap_to_minus_one();
  ASSERT_EQ(digits.size(), 247u);
  std::uint64_t wrapped = 0;
  for (char c : digits) wrapped = wrapped * 10 + static_cast<std::uint64_t>(c - '0');  // mod 2^64
  EXPECT_EQ(static_cast<std::int32_t>(static_cast<std::uint32_t>(wrapped)), -1);
}

using SandboxNames = CleanerTest;

TEST_F(SandboxNames, CraftedPidsAreSkippedNeverSignalledNeverDeleted) {
  daemon_pid_max = 4194304;
  const pid_t child = pausing_child();
  ASSERT_GT(child, 0);
  const std::vector<std::string> names = {
      "sandbox_4294967295",                        // -1 as a 32-bit pid
      "sandbox_4294967294",                        // -2: process group 2
      "sandbox_18446744073709551615",              // -1 as 64 bits
      "sandbox_abc",
      "sandbox_0",                                 // the caller's process group
      "sandbox_1",                                 // init
      "sandbox_-1",
      "sandbox_+" + std::to_string(child),
      "sandbox_007",
      "sandbox_0" + std::to_string(child),         // a real child behind a leading zero
      "sandbox_" + std::to_string(child) + "x",    // a real child, then garbage
      "sandbox_" + std::to_string(child) + " ",
      "sandbox_ " + std::to_string(child),
      "sandbox_",                                  // no pid at all
      "sandbox_4194305",                           // daemon_pid_max + 1
      "sandbox_" + digits_that_wrap_to_minus_one(),  // 255 bytes of digits
  };
  std::vector<std::string> expected_lines;
  for (const std::string& name : names) {
    put(name, "0");  // expired under any TTL
    expected_lines.push_back(log_line("skipped " + escaped(name) + ": invalid pid"));
  }

  const GuardedCall pass = clean_sandboxes(/*may_signal=*/{});
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_FALSE(wait_for_exit(child, scaled(std::chrono::milliseconds(100))).has_value()) << "the child ended";
  EXPECT_EQ(monitor_entries(), sorted(names));
  EXPECT_EQ(sorted(log_lines()), sorted(expected_lines));
}

TEST_F(SandboxNames, ThePidMaxItselfIsAValidPid) {
  // 4194304, the default maximum, is valid by name: the cleaner goes on to
  // look for the process (the kernel's pid_max is usually lower: none).
  daemon_pid_max = 4194304;
  if (proc_owner(4194304) != -1) GTEST_SKIP() << "a process holds pid 4194304 here";
  put("sandbox_4194304", "0");
  const GuardedCall pass = clean_sandboxes(/*may_signal=*/{});
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_FALSE(in_monitor_exists("sandbox_4194304"));
  EXPECT_EQ(log_lines(), (std::vector<std::string>{
                             log_line("not signalled 4194304 for sandbox_4194304: no such process"),
                             log_line("unlinked sandbox_4194304")}));
}

TEST_F(SandboxNames, PidsFrom2To31AreInvalidWhateverPidMaxSays) {
  // The kernel reads a pid as an int, where 4294967295 is -1 (everyone) and
  // 2147483648 is a process group: raised above 2^32, daemon_pid_max still
  // does not make them pids.  2147483647 is the largest valid one, which no
  // process has: not signalled, its stale file unlinked.  The guard records
  // any kill.
  daemon_pid_max = std::int64_t{1} << 40;
  put("sandbox_4294967295", "0");
  put("sandbox_2147483648", "0");
  put("sandbox_2147483647", "0");
  const GuardedCall pass = clean_sandboxes(/*may_signal=*/{});
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_EQ(monitor_entries(), (std::vector<std::string>{"sandbox_2147483648", "sandbox_4294967295"}));
  const std::vector<std::string> lines = log_lines();
  for (const std::string& line : {log_line("skipped sandbox_4294967295: invalid pid"),
                                  log_line("skipped sandbox_2147483648: invalid pid"),
                                  log_line("not signalled 2147483647 for sandbox_2147483647: no such process"),
                                  log_line("unlinked sandbox_2147483647")}) {
    EXPECT_EQ(std::count(lines.begin(), lines.end(), line), 1) << line << "\n" << ::testing::PrintToString(lines);
  }
}

}  // namespace
}  // namespace daemon_test
