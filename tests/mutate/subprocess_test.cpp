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
  // About 0.3 s of CPU in a grandchild the shell waits for, then a sleep
  // that costs none: the figure is the work, not the wall-clock time.
  const mf::check::ProcessResult r =
      run_process({"sh", "-c", "timeout 0.3 sh -c 'while :; do :; done'; sleep 0.5"}, 60);
  EXPECT_GE(r.cpu_seconds, 0.15);
  EXPECT_LT(r.cpu_seconds, 0.6);
  const double counted = mf::check::cpu_seconds_of_this_thread() - before;
  EXPECT_DOUBLE_EQ(counted, r.cpu_seconds);
  const std::vector<mf::check::ProcessResult> both =
      mf::check::run_in_parallel({{"sh", "-c", "timeout 0.2 sh -c 'while :; do :; done'"}, {"true"}});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_GE(both[0].cpu_seconds, 0.1);
  EXPECT_DOUBLE_EQ(mf::check::cpu_seconds_of_this_thread() - before,
                   r.cpu_seconds + both[0].cpu_seconds + both[1].cpu_seconds);
}

}  // namespace
