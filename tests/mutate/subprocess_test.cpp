// run_process's CPU-time limit (harness/check/subprocess.h): the proof
// stage of mfh mutate counts its budget in CPU time, so that a loaded
// machine cannot turn a refutation into "no verdict".
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

}  // namespace
