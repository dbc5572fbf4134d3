// The conventions every daemon function keeps (docs/spec.md, "Conventions"
// and "Bounds"): rbx, rbp, r12-r15 and rsp preserved and the direction flag
// clear, checked by the harness's trampoline (harness/runner/
// call_boundary.h); and at most 12 KiB of stack, measured on a painted one.

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstring>
#include <string>

#include "call_boundary.h"
#include "morph_abi.h"
#include "running_daemon.h"

namespace daemon_test {
namespace {

using DaemonFunction = std::int64_t (*)();

// In the calling (guarded) process: the call's result, and what it broke
// in `violation`.
std::int64_t call_checked(DaemonFunction fn, std::string& violation) {
  mf::runner::CallBoundary check;
  mf::runner::arm(check);
  const std::uint64_t no_arguments[3] = {0, 0, 0};
  const std::uint64_t result =
      mf_call_with_boundary_checks(reinterpret_cast<const void*>(fn), no_arguments, &check);
  violation = mf::runner::violation(check);
  return static_cast<std::int64_t>(result);
}

class CallingConvention : public RunningDaemonTest {
 protected:
  // Something for every path of a pass to do.
  void fill_directory() {
    put("snapshot_old", "0");
    put("snapshot_young", std::to_string(now()));
    put("snapshot_bad", "12abc");
    put("snapshot_future", in_the_future());
    put("sandbox_1", "0");
    const pid_t gone = pid_of_no_process();
    ASSERT_GT(gone, 0);
    put("sandbox_" + std::to_string(gone), "0");
    write_file(outside("meminfo"), "MemTotal: 1000 kB\nMemAvailable: 10 kB\n");
    daemon_mem_threshold = 50;  // and a warning line
  }
  void expect_preserved(DaemonFunction fn, std::int64_t expected_result) {
    const GuardedCall call = call_guarded([fn](std::string& note) { return call_checked(fn, note); });
    // A daemon_start that wrongly forked returned its daemon's pid: the
    // guarded child could not signal it, this process can.
    if (fn == daemon_start && call.result > 1) kill(static_cast<pid_t>(call.result), SIGKILL);
    ASSERT_TRUE(ran_cleanly(call));
    EXPECT_EQ(call.note, "") << "convention broken";
    EXPECT_EQ(call.result, expected_result);
  }
};

TEST_F(CallingConvention, CleanSnapshotsPreservesTheCalleeSavedRegisters) {
  fill_directory();
  expect_preserved(daemon_clean_snapshots, 1);
  ASSERT_EQ(chmod(monitor_.c_str(), 0770), 0);
  expect_preserved(daemon_clean_snapshots, -1);  // the refusal's path
}

TEST_F(CallingConvention, CleanSandboxesPreservesTheCalleeSavedRegisters) {
  fill_directory();
  expect_preserved(daemon_clean_sandboxes, 1);
  ASSERT_EQ(chmod(monitor_.c_str(), 0770), 0);
  expect_preserved(daemon_clean_sandboxes, -1);
}

TEST_F(CallingConvention, MonitorMemoryPreservesTheCalleeSavedRegisters) {
  fill_directory();
  expect_preserved(daemon_monitor_memory, 99);
  use_meminfo(outside("no_such_file"));
  expect_preserved(daemon_monitor_memory, -1);
}

TEST_F(CallingConvention, DaemonStartPreservesTheCalleeSavedRegisters) {
  // Refused: in a guarded child, nothing forked.
  ASSERT_EQ(chmod(monitor_.c_str(), 0770), 0);
  expect_preserved(daemon_start, -1);
  ASSERT_EQ(chmod(monitor_.c_str(), 0700), 0);
  // Started: from the test process, the daemon's parent.
  std::string violation;
  const std::int64_t daemon = call_checked(daemon_start, violation);
  if (daemon > 0) daemons_.push_back(static_cast<pid_t>(daemon));
  ASSERT_GT(daemon, 0);
  EXPECT_EQ(violation, "") << "convention broken";
  const std::optional<int> status = stop(static_cast<pid_t>(daemon));
  ASSERT_TRUE(status.has_value());
}

// ---- stack ----

constexpr std::size_t kStackBytes = 64 * 1024;
constexpr unsigned char kPaint = 0xa5;
DaemonFunction g_measured = nullptr;
std::int64_t g_measured_result = 0;
ucontext_t g_caller_context, g_measured_context;

void run_measured() { g_measured_result = g_measured(); }

[[gnu::noinline]] std::int64_t does_nothing() { return 0; }

// Bytes of a painted stack that `fn` (with the small ucontext entry
// frame) wrote; -1 on failure.  The guard page below turns an overflow
// into a crash, which the guarded call reports.
long stack_touched_by(DaemonFunction fn) {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  void* region = mmap(nullptr, kStackBytes + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) return -1;
  mprotect(region, page, PROT_NONE);
  auto* stack = static_cast<unsigned char*>(region) + page;
  std::memset(stack, kPaint, kStackBytes);
  g_measured = fn;
  getcontext(&g_measured_context);
  g_measured_context.uc_stack.ss_sp = stack;
  g_measured_context.uc_stack.ss_size = kStackBytes;
  g_measured_context.uc_link = &g_caller_context;
  makecontext(&g_measured_context, run_measured, 0);
  swapcontext(&g_caller_context, &g_measured_context);
  std::size_t lowest = 0;
  while (lowest < kStackBytes && stack[lowest] == kPaint) ++lowest;
  munmap(region, kStackBytes + page);
  return static_cast<long>(kStackBytes - lowest);
}

TEST_F(CallingConvention, NoDaemonFunctionNeedsMoreThan12KiBOfStack) {
  fill_directory();
  // Long names and a long meminfo text: every buffer in use.
  put("snapshot_" + std::string(246, 'n'), "abc");
  std::string meminfo = "MemTotal: 1000 kB\n";
  while (meminfo.size() < 9000) meminfo += "Filler: 1 kB\n";
  write_file(outside("meminfo"), meminfo + "MemAvailable: 10 kB\n");
  for (DaemonFunction fn : {daemon_clean_snapshots, daemon_clean_sandboxes, daemon_monitor_memory}) {
    const GuardedCall call = call_guarded([fn](std::string& note) -> std::int64_t {
      const long baseline = stack_touched_by(does_nothing);
      const long used = stack_touched_by(fn);
      note = std::to_string(used - baseline);
      return used < 0 || baseline < 0 ? -1 : used - baseline;
    });
    ASSERT_TRUE(ran_cleanly(call)) << "a stack overflow crashes the child";
    EXPECT_GE(call.result, 0);
    EXPECT_LE(call.result, 12 * 1024) << "bytes of stack written";
  }
  ASSERT_EQ(chmod(monitor_.c_str(), 0770), 0);
  const GuardedCall start = call_guarded([](std::string& note) -> std::int64_t {
    const long used = stack_touched_by(daemon_start);
    if (g_measured_result > 1) note = std::to_string(g_measured_result);  // it forked: the pid
    return used - stack_touched_by(does_nothing);
  });
  if (!start.note.empty()) kill(static_cast<pid_t>(std::stol(start.note)), SIGKILL);
  ASSERT_TRUE(ran_cleanly(start));
  EXPECT_EQ(start.note, "") << "daemon_start on a refused directory forked";
  EXPECT_LE(start.result, 12 * 1024);
}

}  // namespace
}  // namespace daemon_test
