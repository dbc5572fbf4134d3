// What a file may hold (docs/spec.md, "Names and contents"): a timestamp in
// canonical decimal below 2^63, optionally one "\n", at most 20 bytes.
// Each content is put in an expired-looking snapshot (any number read from
// it would be long past): a content misread as a timestamp gets the file
// deleted, which the test sees.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cleaner_fixture.h"
#include "morph_abi.h"

namespace daemon_test {
namespace {

enum class Verdict { kRemoved, kNoValidTimestamp, kInTheFuture };

struct ContentCase {
  const char* label;  // the test's name
  std::string content;
  Verdict verdict;
};

void PrintTo(const ContentCase& c, std::ostream* os) { *os << c.label; }

class SnapshotContent : public CleanerTest, public ::testing::WithParamInterface<ContentCase> {};

TEST_P(SnapshotContent, IsJudgedAsTheSpecSays) {
  const ContentCase& c = GetParam();
  daemon_snapshot_ttl = 300;
  const std::string name = std::string("snapshot_") + c.label;
  put(name, c.content);

  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  switch (c.verdict) {
    case Verdict::kRemoved:
      EXPECT_EQ(pass.result, 1);
      EXPECT_FALSE(in_monitor_exists(name));
      EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("unlinked " + name)});
      break;
    case Verdict::kNoValidTimestamp:
      EXPECT_EQ(pass.result, 0);
      EXPECT_TRUE(in_monitor_exists(name));
      EXPECT_EQ(read_file(in_monitor(name)), c.content);
      EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("skipped " + name + ": no valid timestamp")});
      break;
    case Verdict::kInTheFuture:
      EXPECT_EQ(pass.result, 0);
      EXPECT_TRUE(in_monitor_exists(name));
      EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("skipped " + name + ": timestamp in the future")});
      break;
  }
}

const ContentCase kContents[] = {
    // valid
    {"zero", "0", Verdict::kRemoved},
    {"digits_and_newline", "123\n", Verdict::kRemoved},
    {"one", "1", Verdict::kRemoved},
    {"largest_19_digits", "9223372036854775807", Verdict::kInTheFuture},     // 2^63 - 1
    {"largest_with_newline", "9223372036854775807\n", Verdict::kInTheFuture},  // exactly 20 bytes
    {"nineteen_digits", "1000000000000000000", Verdict::kInTheFuture},
    // not a timestamp
    {"empty", "", Verdict::kNoValidTimestamp},
    {"newline_only", "\n", Verdict::kNoValidTimestamp},
    {"letters", "abc", Verdict::kNoValidTimestamp},
    {"digits_then_letters", "12abc", Verdict::kNoValidTimestamp},
    {"leading_zeros", "0012", Verdict::kNoValidTimestamp},
    {"zero_then_newline_then_more", "0\n0", Verdict::kNoValidTimestamp},
    {"leading_space", " 12", Verdict::kNoValidTimestamp},
    {"trailing_space", "12 ", Verdict::kNoValidTimestamp},
    {"plus_sign", "+12", Verdict::kNoValidTimestamp},
    {"minus_sign", "-12", Verdict::kNoValidTimestamp},
    {"two_newlines", "12\n\n", Verdict::kNoValidTimestamp},
    {"crlf", "12\r\n", Verdict::kNoValidTimestamp},
    {"second_line", "12\n34\n", Verdict::kNoValidTimestamp},
    {"nul_after_digits", std::string("12\0", 3), Verdict::kNoValidTimestamp},
    {"binary", std::string("\x00\x01\xff\x7f", 4), Verdict::kNoValidTimestamp},
    {"twenty_one_bytes", "12345678901234567\n\n\n\n", Verdict::kNoValidTimestamp},
    {"forty_digits", std::string(40, '1'), Verdict::kNoValidTimestamp},  // more than the 32 bytes read
    {"two_to_the_63", "9223372036854775808", Verdict::kNoValidTimestamp},
    {"two_to_the_63_with_newline", "9223372036854775808\n", Verdict::kNoValidTimestamp},
    {"two_to_the_64_minus_1", "18446744073709551615", Verdict::kNoValidTimestamp},  // -1 as a signed value
    {"two_to_the_64", "18446744073709551616", Verdict::kNoValidTimestamp},          // 0 if it wrapped
    {"twenty_nines", "99999999999999999999", Verdict::kNoValidTimestamp},
};

INSTANTIATE_TEST_SUITE_P(Contents, SnapshotContent, ::testing::ValuesIn(kContents),
                         [](const ::testing::TestParamInfo<ContentCase>& info) { return std::string(info.param.label); });

}  // namespace
}  // namespace daemon_test
