// The log (docs/spec.md, "The log"): one line per action, names and paths
// escaped so that none can forge a line, lines cut at DAEMON_LOG_LINE_MAX;
// and the longest names a directory can hold.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "cleaner_fixture.h"
#include "layout.h"
#include "morph_abi.h"

namespace daemon_test {
namespace {

using CleanerLog = CleanerTest;

TEST_F(CleanerLog, TheLongestNameIsRemovedAndLoggedWhole) {
  const std::string name = "snapshot_" + std::string(255 - 9, 'n');
  ASSERT_EQ(name.size(), 255u);
  put(name, "0");
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_FALSE(in_monitor_exists(name));
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("unlinked " + name)});
}

TEST_F(CleanerLog, ANewlineAndABackslashAreEscaped) {
  const std::string name = "snapshot_a\nb\\c";
  put(name, "0");
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_FALSE(in_monitor_exists(name));
  // Exactly one line: the name's newline did not start a second one.
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line("unlinked snapshot_a\\x0ab\\x5cc")});
}

TEST_F(CleanerLog, EveryByteOutsidePrintableAsciiIsEscaped) {
  // Space and '~' are the ends of printable ASCII and stay as they are;
  // 0x1f, the byte just below the space, is escaped like 0x01 (an escape
  // test against a bound a few bytes short of 0x20 would leave it plain).
  const std::string name = std::string("snapshot_ \x01~\x7f\x80\xe9\xff\t\r\x1f", 19);
  put(name, "abc");
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 0);
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line(
                             "skipped snapshot_ \\x01~\\x7f\\x80\\xe9\\xff\\x09\\x0d\\x1f: no valid timestamp")});
}

TEST_F(CleanerLog, ALineThatCouldForgeAnotherIsOneLine) {
  // A name that carries a whole fake log line after a newline.
  const std::string name = "snapshot_x\nmorph-cleaner: unlinked snapshot_y";
  put(name, "abc");
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(log_lines(),
            std::vector<std::string>{log_line(
                "skipped snapshot_x\\x0amorph-cleaner: unlinked snapshot_y: no valid timestamp")});
}

TEST_F(CleanerLog, AnEscapedPathIsLoggedInARefusal) {
  const std::string missing = outside("mis\nsing\\dir");
  use_monitor_dir(missing);
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, -1);
  EXPECT_EQ(log_lines(), std::vector<std::string>{log_line(
                             "refused " + root_ + "/mis\\x0asing\\x5cdir: "
                             "cannot open as a directory without following a link")});
}

TEST_F(CleanerLog, ALongLineIsCutAtTheMaximum) {
  // A missing path of about 2,000 bytes: the refusal line is longer than
  // DAEMON_LOG_LINE_MAX (1536).  Plain ASCII, so the cut cannot fall in
  // an escape.  The spec does not say whether a cut line keeps its "\n"
  // nor whether the 1536 bytes count it: both readings are accepted.
  ASSERT_EQ(mf::layout::DAEMON_LOG_LINE_MAX, 1536u);
  std::string path = root_;
  for (int i = 0; i < 10; ++i) path += "/" + std::string(200, 'a' + i);
  use_monitor_dir(path);
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, -1);

  const std::string full =
      log_line("refused " + path + ": cannot open as a directory without following a link") + "\n";
  ASSERT_GT(full.size(), 1536u);
  std::string written = log_text();
  if (!written.empty() && written.back() == '\n') written.pop_back();
  // 1536 bytes with or without the newline in them.
  EXPECT_TRUE(written.size() == 1535u || written.size() == 1536u) << written.size() << " bytes";
  EXPECT_EQ(written, full.substr(0, written.size())) << "the start of the line, as written";
  EXPECT_EQ(written.find('\n'), std::string::npos);
}

TEST_F(CleanerLog, ANegativeLogFdMeansNoLog) {
  daemon_log_fd = -1;
  put("snapshot_old", "0");
  put("snapshot_bad", "abc");
  const GuardedCall pass = clean_snapshots();
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_EQ(log_text(), "");
}

TEST_F(CleanerLog, AFailedWriteIsIgnored) {
  // A log on a descriptor open for reading only: every write fails.
  const int read_only = open(log_path_.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(read_only, 0);
  daemon_log_fd = read_only;
  put("snapshot_old", "0");
  const GuardedCall pass = clean_snapshots();
  close(read_only);
  ASSERT_TRUE(ran_cleanly(pass));
  EXPECT_EQ(pass.result, 1);
  EXPECT_FALSE(in_monitor_exists("snapshot_old"));
}

}  // namespace
}  // namespace daemon_test
