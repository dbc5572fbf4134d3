// The daemon stage's verdict (harness/mutate/daemon_stage.h): a failure of
// tests/daemon's suite, or a suite cut at its time limit, kills only when
// it repeats with the waits multiplied; GoogleTest's output read for the
// failing test.  The runs are scripted: no program is started.
#include "daemon_stage.h"

#include <gtest/gtest.h>

#include <deque>

namespace mf::mutate {
namespace {

// GoogleTest's lines for a run: "ok" and "failed" tests in order, then an
// optional test that started and never ended.
std::string gtest_output(const std::vector<std::string>& ok, const std::vector<std::string>& failed,
                         const std::string& running = "") {
  std::string out = "[==========] Running tests.\n";
  for (const std::string& t : ok) out += "[ RUN      ] " + t + "\n[       OK ] " + t + " (12 ms)\n";
  for (const std::string& t : failed) {
    out += "[ RUN      ] " + t + "\nstart_test.cpp:68: Failure\nValue of: becomes_absent(\"x\")\n  Actual: false\n";
    out += "[  FAILED  ] " + t + " (3004 ms)\n";
  }
  if (!running.empty()) out += "[ RUN      ] " + running + "\n";
  if (!failed.empty()) {
    out += "[  SKIPPED ] DaemonStart.Later (0 ms)\n[  FAILED  ] 1 test, listed below:\n";
    for (const std::string& t : failed) out += "[  FAILED  ] " + t + "\n";
  }
  return out;
}

DaemonRunResult passes() { return {0, false, gtest_output({"DaemonStart.A", "DaemonStart.B"}, {})}; }
DaemonRunResult fails_in(const std::string& test) { return {1, false, gtest_output({"DaemonStart.A"}, {test})}; }
DaemonRunResult cut_in(const std::string& test) { return {-1, true, gtest_output({"DaemonStart.A"}, {}, test)}; }

// Answers the runs in order from a script, and keeps what was asked.
struct ScriptedRunner {
  std::deque<DaemonRunResult> answers;
  DaemonRunner runner() {
    return [this](const DaemonRun&) {
      EXPECT_FALSE(answers.empty()) << "more runs than scripted";
      if (answers.empty()) return passes();
      DaemonRunResult r = answers.front();
      answers.pop_front();
      return r;
    };
  }
};

constexpr const char* kFilter = "DaemonStart.*";

DaemonPartVerdict judge(std::deque<DaemonRunResult> answers, double seconds = 300) {
  ScriptedRunner script{std::move(answers)};
  DaemonPartVerdict v = judge_daemon_part(script.runner(), kFilter, seconds, 300, DaemonConfirmation{4, 60});
  EXPECT_TRUE(script.answers.empty()) << "fewer runs than scripted";
  return v;
}

TEST(DaemonStage, APassingPartIsOneUnscaledRun) {
  const DaemonPartVerdict v = judge({passes()}, 120);
  EXPECT_FALSE(v.killed);
  EXPECT_EQ(v.detail, "");
  EXPECT_EQ(v.tests, 2u);
  ASSERT_EQ(v.runs.size(), 1u);
  EXPECT_EQ(v.runs[0].filter, kFilter);
  EXPECT_EQ(v.runs[0].time_scale, 1);
  EXPECT_EQ(v.runs[0].seconds, 120);
}

TEST(DaemonStage, AFailureThatRepeatsAloneWithScaledWaitsKills) {
  const DaemonPartVerdict v = judge({fails_in("DaemonStart.B"), fails_in("DaemonStart.B")});
  EXPECT_TRUE(v.killed);
  EXPECT_EQ(v.tests, 2u);  // the first run's, up to the failure
  ASSERT_EQ(v.runs.size(), 2u);
  EXPECT_EQ(v.runs[1].filter, "DaemonStart.B");
  EXPECT_EQ(v.runs[1].time_scale, 4);
  EXPECT_EQ(v.runs[1].seconds, 4 * 60);
  EXPECT_NE(v.detail.find("[  FAILED  ] DaemonStart.B (3004 ms); again alone with waits x4: [  FAILED  ] DaemonStart.B"),
            std::string::npos)
      << v.detail;
}

TEST(DaemonStage, AFailureOfLoadThatPassesAloneAndInTheScaledPartIsNoKill) {
  // The three false kills of has_prefix: a deadline missed beside a fuzz campaign.
  const DaemonPartVerdict v = judge({fails_in("DaemonStart.B"), passes(), passes()});
  EXPECT_FALSE(v.killed);
  ASSERT_EQ(v.runs.size(), 3u);
  EXPECT_EQ(v.runs[2].filter, kFilter);
  EXPECT_EQ(v.runs[2].time_scale, 4);
  EXPECT_EQ(v.runs[2].seconds, 4 * 300);
  EXPECT_EQ(v.detail, "not repeated with waits x4: [  FAILED  ] DaemonStart.B (3004 ms)");
}

TEST(DaemonStage, AFailureThatNeedsTheEarlierTestsKillsInTheScaledPart) {
  // Passing alone is not enough: what earlier tests left can be the mutant's effect.
  const DaemonPartVerdict v = judge({fails_in("DaemonStart.B"), passes(), fails_in("DaemonStart.B")});
  EXPECT_TRUE(v.killed);
  EXPECT_NE(v.detail.find("passed alone, the part again with waits x4: [  FAILED  ] DaemonStart.B"), std::string::npos)
      << v.detail;
}

TEST(DaemonStage, ACutPartIsConfirmedOnTheTestThatWasRunning) {
  const DaemonPartVerdict hang = judge({cut_in("DaemonStart.Hangs"), cut_in("DaemonStart.Hangs")});
  EXPECT_TRUE(hang.killed);
  ASSERT_EQ(hang.runs.size(), 2u);
  EXPECT_EQ(hang.runs[1].filter, "DaemonStart.Hangs");
  EXPECT_NE(hang.detail.find("timed out in DaemonStart.Hangs; again alone with waits x4: timed out in DaemonStart.Hangs"),
            std::string::npos)
      << hang.detail;

  // A suite only slowed by load: the test passes alone, the part at the scaled limit.
  const DaemonPartVerdict slow = judge({cut_in("DaemonStart.B"), passes(), passes()});
  EXPECT_FALSE(slow.killed);
  EXPECT_EQ(slow.detail, "not repeated with waits x4: timed out in DaemonStart.B");
}

TEST(DaemonStage, ACutPartThatTimesOutAgainAtTheScaledLimitKills) {
  const DaemonPartVerdict v = judge({cut_in("DaemonStart.B"), passes(), cut_in("DaemonStart.C")});
  EXPECT_TRUE(v.killed);
  EXPECT_NE(v.detail.find("the part again with waits x4: timed out in DaemonStart.C"), std::string::npos) << v.detail;
}

TEST(DaemonStage, AFailureOutsideAnyTestGoesStraightToTheScaledPart) {
  // Nothing names a test (the program died before the first): no test to run alone.
  const DaemonRunResult early{134, false, "terminate called after throwing\n"};
  const DaemonPartVerdict killed = judge({early, early});
  EXPECT_TRUE(killed.killed);
  ASSERT_EQ(killed.runs.size(), 2u);
  EXPECT_EQ(killed.runs[1].filter, kFilter);
  EXPECT_EQ(killed.detail, "exit status 134; the part again with waits x4: exit status 134");
  EXPECT_FALSE(judge({early, passes()}).killed);
}

TEST(DaemonStage, FailingTestIsTheFailedOneOrTheOneLeftRunning) {
  EXPECT_EQ(failing_test(gtest_output({"A.x", "A.y"}, {"A.z"})), "A.z");
  EXPECT_EQ(failing_test(gtest_output({"A.x"}, {}, "A.crashes")), "A.crashes");
  EXPECT_EQ(failing_test(gtest_output({"A.x", "A.y"}, {})), "");
  // A parameterized test's end line names its parameter after the name.
  EXPECT_EQ(failing_test("[ RUN      ] P/T.t/1\n[  FAILED  ] P/T.t/1, where GetParam() = 4 (1 ms)\n"), "P/T.t/1");
  // The summary's FAILED lines carry no time: the test's own end line counts.
  EXPECT_EQ(failing_test("[  FAILED  ] 1 test, listed below:\n[  FAILED  ] A.z\n"), "");
}

TEST(DaemonStage, EndedTestsCountsOkAndFailedEndLinesOnly) {
  EXPECT_EQ(ended_tests(gtest_output({"A.x", "A.y"}, {"A.z"})), 3u);  // not SKIPPED, not the summary
  EXPECT_EQ(ended_tests(gtest_output({"A.x"}, {}, "A.running")), 1u);
}

}  // namespace
}  // namespace mf::mutate
