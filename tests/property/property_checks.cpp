#include "property_checks.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "failure_report.h"
#include "op_command.h"
#include "property_stats.h"
#include "runner.h"

namespace mf::property {

namespace {

void check_simulated(TraceState initial) {
  RunnerSut sut(initial.target());
  rc::state::check(initial, sut, &next_command);
  sut.finish();
}

void check_native(ops::Target target) {
  // RapidCheck seeds every property of a run alike, so without this draw the
  // native test would generate exactly the simulated test's traces.
  *rc::gen::noShrink(rc::gen::arbitrary<std::uint8_t>());
  const auto commands = *rc::state::gen::commands(TraceState(target), &next_command);
  const ops::Trace trace = trace_of(target, commands);
  runner::RunOptions options;
  options.mode = runner::OsMode::native;
  options.record_observed = true;
  const runner::RunResult result = runner::run_trace(trace, options);
  count_run(result);
  if (result.verdict != runner::Verdict::agree) RC_FAIL(failure_report(trace, {}, result, options.mode));
}

}  // namespace

void run_simulated_property(ops::Target target) {
  if (!runner::mode_available(runner::OsMode::simulated)) GTEST_SKIP() << "no simulated OS linked";
  rc::detail::checkGTest([target] { check_simulated(TraceState(target)); });
}

void run_simulated_property_one_class(ops::Target target) {
  if (!runner::mode_available(runner::OsMode::simulated)) GTEST_SKIP() << "no simulated OS linked";
  rc::detail::checkGTest([target] {
    // The classes above 4 KiB: 7 blocks per slab, so three slabs of the class
    // are open at once within 100 ops.
    TraceState initial(target);
    initial.set_focus_size(*rc::gen::inRange<std::uint64_t>(4097, 8193));
    check_simulated(initial);
  });
}

void run_simulated_property_large_class(ops::Target target) {
  if (!runner::mode_available(runner::OsMode::simulated)) GTEST_SKIP() << "no simulated OS linked";
  rc::detail::checkGTest([target] {
    // Large blocks of 512 KiB to 1 MiB, whose pages the allocator keeps
    // when they are freed (up to the page of a 1 MiB request,
    // MEM_KEEP_MAX_BYTES): the trace grows to some twenty of them, then
    // frees them, so that the kept bytes pass MEM_KEEP_FLOOR while the live
    // ones are still more than twice as many, and then no longer are (the
    // keep rule's second test, both ways).
    TraceState initial(target);
    initial.set_focus_size(*rc::gen::inRange<std::uint64_t>(512 * 1024 + 1, 1024 * 1024 + 1));
    check_simulated(initial);
  });
}

void run_native_property(ops::Target target) {
  if (!runner::mode_available(runner::OsMode::native)) GTEST_SKIP() << "this build links no native OS binding";
  rc::detail::checkGTest([target] { check_native(target); });
}

}  // namespace mf::property
