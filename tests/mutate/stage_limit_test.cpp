// A simulated stage's run stopped at its limit (harness/mutate/stage_limit.h):
// the limit is CPU time, and being stopped kills only when the run is
// stopped again with the limits multiplied.  The runs are scripted: no
// program is started.
#include "stage_limit.h"

#include <gtest/gtest.h>

#include <deque>
#include <utility>
#include <vector>

namespace mf::mutate {
namespace {

check::ProcessResult passes() { return {0, false, false, true, "ok\n", 1.5}; }
check::ProcessResult diverges() { return {1, false, false, true, "divergence at op 3: ...\n", 0.5}; }
check::ProcessResult out_of_cpu() { return {128 + 24, false, true, true, "", 120}; }
check::ProcessResult out_of_time() { return {128 + 9, true, false, true, "", 4.5}; }

// Answers the runs in order, and keeps the limits each was given.
struct ScriptedProgram {
  std::deque<check::ProcessResult> answers;
  std::vector<std::pair<double, double>> limits;  // (wall, cpu) per run
  StageProgram program() {
    return [this](double wall, double cpu) {
      limits.push_back({wall, cpu});
      EXPECT_FALSE(answers.empty()) << "more runs than scripted";
      if (answers.empty()) return passes();
      check::ProcessResult r = answers.front();
      answers.pop_front();
      return r;
    };
  }
};

LimitedRun judge(ScriptedProgram& script) {
  LimitedRun run = run_within_limit(script.program(), StageLimit{120, 10, 4});
  EXPECT_TRUE(script.answers.empty()) << "fewer runs than scripted";
  return run;
}

TEST(StageLimit, ARunWithinItsLimitIsRunOnceWithCpuTimeAsTheLimit) {
  ScriptedProgram script{{passes()}, {}};
  const LimitedRun run = judge(script);
  EXPECT_FALSE(run.stopped);
  EXPECT_EQ(run.runs, 1);
  EXPECT_EQ(run.result.exit_code, 0);
  EXPECT_EQ(run.detail, "");
  ASSERT_EQ(script.limits.size(), 1u);
  EXPECT_EQ(script.limits[0], (std::pair<double, double>{1200, 120}));
}

TEST(StageLimit, ADivergenceWithinTheLimitIsTheVerdictAtOnce) {
  ScriptedProgram script{{diverges()}, {}};
  const LimitedRun run = judge(script);
  EXPECT_FALSE(run.stopped);
  EXPECT_EQ(run.runs, 1);
  EXPECT_EQ(run.result.exit_code, 1);
}

// What arena.s:47:imm:2 met on a loaded machine: a replay past the
// wall-clock guard with seconds of CPU, which passes when run again.
TEST(StageLimit, AStopThatDoesNotRepeatWithTheLimitsMultipliedIsNoKill) {
  ScriptedProgram script{{out_of_time(), passes()}, {}};
  const LimitedRun run = judge(script);
  EXPECT_FALSE(run.stopped);
  EXPECT_EQ(run.runs, 2);
  EXPECT_EQ(run.result.exit_code, 0);
  EXPECT_EQ(run.detail, "ran past 1200 s of wall-clock time, not again with the limits x4");
  ASSERT_EQ(script.limits.size(), 2u);
  EXPECT_EQ(script.limits[1], (std::pair<double, double>{4800, 480}));
}

TEST(StageLimit, TheConfirmingRunsOwnDivergenceIsTheVerdict) {
  ScriptedProgram script{{out_of_cpu(), diverges()}, {}};
  const LimitedRun run = judge(script);
  EXPECT_FALSE(run.stopped);
  EXPECT_EQ(run.result.exit_code, 1);
  EXPECT_NE(run.result.output.find("divergence at op 3"), std::string::npos);
  EXPECT_EQ(run.detail, "ran past 120 s of CPU, not again with the limits x4");
}

TEST(StageLimit, AStopThatRepeatsWithTheLimitsMultipliedKills) {
  ScriptedProgram script{{out_of_cpu(), out_of_cpu()}, {}};
  const LimitedRun run = judge(script);
  EXPECT_TRUE(run.stopped);
  EXPECT_EQ(run.runs, 2);
  EXPECT_EQ(run.detail, "ran past 120 s of CPU; again with the limits x4: ran past 480 s of CPU");
}

TEST(StageLimit, TheWallClockGuardCountsAsAStopToo) {
  ScriptedProgram script{{out_of_cpu(), out_of_time()}, {}};
  const LimitedRun run = judge(script);
  EXPECT_TRUE(run.stopped);
  EXPECT_EQ(run.detail, "ran past 120 s of CPU; again with the limits x4: ran past 4800 s of wall-clock time");
}

}  // namespace
}  // namespace mf::mutate
