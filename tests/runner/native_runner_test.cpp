// The runner in native mode: the real os.s, one forked child per trace, the
// results over a pipe.  The parent process never calls the SUT.

#include <gtest/gtest.h>

#include "morph_abi.h"
#include "runner.h"
#include "runner_test_support.h"
#include "text_format.h"

namespace {

using namespace mf::runner;
using mf::runner_test::explain;
using mf::runner_test::run_text;

RunOptions native() {
  RunOptions options;
  options.mode = OsMode::native;
  return options;
}

TEST(NativeRunner, AgreesAndEndsAtThePredictedExit) {
  RunResult r = run_text(
      "# mfh trace v1 target=arena\n"
      "arena_create 4096                     -> a0\n"
      "arena_alloc a0 1                      -> a0.start+0\n"
      "arena_alloc a0 18446744073709551615   -> 0\n"
      "os_fail mmap 1\n"
      "arena_create 64                       -> 0\n"
      "arena_alloc null 8                    -> exit 110\n",
      native());
  ASSERT_EQ(r.verdict, Verdict::agree) << explain(r);
  EXPECT_EQ(r.exit_code, 110);
  EXPECT_EQ(r.exit_op, 5u);
  EXPECT_EQ(r.ops_run, 6u);
  // The outcomes before the exit came through the pipe.
  ASSERT_EQ(r.observed.size(), 6u);
  EXPECT_EQ(mf::ops::format_expectation(mf::ops::OpCode::arena_alloc, r.observed[1]), "a0.start+0");
  EXPECT_EQ(r.observed[5], mf::ops::Expectation::exits(110));
}

TEST(NativeRunner, TheParentNeverCallsTheSut) {
  RunResult r = run_text("# mfh trace v1 target=alloc\nmem_alloc 16 -> m0\nmem_alloc 100000 -> m1\n", native());
  ASSERT_EQ(r.verdict, Verdict::agree) << explain(r);
  EXPECT_EQ(mem_page_count(), 0u);
}

TEST(NativeRunner, ReportsADivergenceFoundInTheChild) {
  RunResult r = run_text("# mfh trace v1 target=pool\npool_create 8 2 -> p0\npool_alloc p0 -> p0.start+8\n", native());
  ASSERT_EQ(r.verdict, Verdict::diverged) << explain(r);
  EXPECT_EQ(r.divergence->op_index, 1u);
  EXPECT_EQ(r.divergence->expected, "p0.start+8");
  EXPECT_FALSE(r.divergence->model_state.empty());
}

TEST(NativeRunner, ReportsAnExpectedExitThatDidNotComeOrCameWrong) {
  // The trace expects 111 where the model (and the SUT) exit 110: the child
  // finds it before the call.
  RunResult r = run_text("# mfh trace v1 target=alloc\nmem_free null 16 -> exit 111\n", native());
  ASSERT_EQ(r.verdict, Verdict::diverged) << explain(r);
  EXPECT_EQ(r.divergence->op_index, 0u);
}

TEST(NativeRunner, FaultInjectionClockAndMemoryLimitWorkOnTheRealOs) {
  RunResult r = run_text(
      "# mfh trace v1 target=alloc\n"
      "clock_set 1700000000\n"
      "mem_alloc 16 -> m0\n"  // the page's timestamp is compared with the clock
      "os_fail mmap 1\n"
      "mem_alloc 100000 -> 0\n"
      "mem_alloc 1073741824 -> 0\n"  // beyond the 1 GiB limit, whatever the kernel would allow
      "os_fail munmap 1\n"
      "mem_alloc 100000 -> m3\n"
      "mem_free m3 100000 -> ok\n"  // the unmap fails: the page is leaked, still unlinked
      "mem_free m0 16\n",
      native());
  ASSERT_EQ(r.verdict, Verdict::agree) << explain(r);
  EXPECT_EQ(r.ops_run, 9u);
}

TEST(NativeRunner, SimulatedAndNativeRunsSeeTheSameOutcomes) {
  const std::string text =
      "# mfh trace v1 target=mixed\n"
      "arena_create 100\narena_alloc a0 9\npool_create 24 3\npool_alloc p0\npool_alloc p0\n"
      "pool_free p0 p0.start+0\npool_alloc p0\nmem_alloc 5000\nmem_alloc 20000\nmemcpy m0 m0+8 16\n"
      "mem_free m1 20000\narena_destroy a0\npool_free p0 p0.start+4\n";
  RunResult simulated = run_text(text);
  RunResult native_run = run_text(text, native());
  ASSERT_EQ(simulated.verdict, Verdict::agree) << explain(simulated);
  ASSERT_EQ(native_run.verdict, Verdict::agree) << explain(native_run);
  EXPECT_EQ(simulated.exit_code, 111);
  EXPECT_EQ(native_run.exit_code, 111);
  EXPECT_EQ(simulated.observed, native_run.observed);
}

TEST(NativeRunner, ARunOverItsTimeLimitNeverAgrees) {
  RunOptions options = native();
  options.child_timeout_seconds = 0;  // the deadline has passed before the child can finish
  RunResult r = run_text("# mfh trace v1 target=alloc\nmem_alloc 16 -> m0\n", options);
  EXPECT_NE(r.verdict, Verdict::agree) << explain(r);
}

}  // namespace
