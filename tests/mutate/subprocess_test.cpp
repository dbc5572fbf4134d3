// run_process's CPU-time limit (harness/check/subprocess.h): the proof
// stage of mfh mutate counts its budget in CPU time, so that a loaded
// machine cannot turn a refutation into "no verdict"; and the CPU time it
// reports, which mfh mutate's times to kill are made of.
#include <gtest/gtest.h>

#include "subprocess.h"

namespace {

using mf::check::run_process;

TEST(Subprocess, AProgramThatSpinsIsStoppedAtItsCpuLimitNotAtTheWallClock) {
  const mf::check::ProcessResult r = run_process({"sh", "-c", "while :; do :; done"}, 60, {}, 1);
  EXPECT_TRUE(r.out_of_cpu);
  EXPECT_FALSE(r.timed_out);
}

TEST(Subprocess, AProgramThatSleepsIsStoppedAtTheWallClockNotAtItsCpuLimit) {
  const mf::check::ProcessResult r = run_process({"sleep", "30"}, 1, {}, 1);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.out_of_cpu);
}

TEST(Subprocess, AProgramWithinItsCpuLimitEndsAsItWould) {
  const mf::check::ProcessResult r = run_process({"sh", "-c", "echo done; exit 3"}, 60, {}, 5);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.out_of_cpu);
  EXPECT_EQ(r.output, "done\n");
}

TEST(Subprocess, TheCpuTimeOfAProgramIsCountedForItAndForItsThread) {
  const double before = mf::check::cpu_seconds_of_this_thread();
  // A fixed amount of work (about 0.25 s of CPU here) in a grandchild the
  // shell waits for: counted however loaded the machine is, since it is
  // CPU time, not the wall-clock time the work took.
  const std::string work = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done";
  const mf::check::ProcessResult r = run_process({"sh", "-c", "sh -c '" + work + "'"}, 600);
  EXPECT_GE(r.cpu_seconds, 0.05);
  // Half a second of sleep costs next to nothing.
  const mf::check::ProcessResult idle = run_process({"sleep", "0.5"}, 60);
  EXPECT_LT(idle.cpu_seconds, 0.05);
  EXPECT_LT(idle.cpu_seconds, r.cpu_seconds);
  const std::vector<mf::check::ProcessResult> both =
      mf::check::run_in_parallel({{"sh", "-c", work}, {"true"}});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_GE(both[0].cpu_seconds, 0.05);
  // The thread's count is the sum of all of them, no more, no less.
  EXPECT_NEAR(mf::check::cpu_seconds_of_this_thread() - before,
              r.cpu_seconds + idle.cpu_seconds + both[0].cpu_seconds + both[1].cpu_seconds, 1e-6);
}

}  // namespace
