// The configuration globals hold the spec's defaults until a program
// changes them (docs/spec.md, "Configuration").

#include <gtest/gtest.h>

#include <string>

#include "cleaner_fixture.h"
#include "layout.h"
#include "morph_abi.h"

namespace daemon_test {
namespace {

TEST(CleanerConfiguration, GlobalsStartWithTheSpecDefaults) {
  const CleanerGlobals& initial = initial_globals();
  ASSERT_NE(initial.monitor_dir, nullptr);
  ASSERT_NE(initial.meminfo_path, nullptr);
  EXPECT_EQ(std::string(initial.monitor_dir), "/tmp/morph_swap_monitor");
  EXPECT_EQ(std::string(initial.meminfo_path), "/proc/meminfo");
  EXPECT_EQ(initial.snapshot_ttl, 300);
  EXPECT_EQ(initial.sandbox_ttl, 60);
  EXPECT_EQ(initial.interval, 2);
  EXPECT_EQ(initial.mem_threshold, 80);
  EXPECT_EQ(initial.log_fd, 2);
  EXPECT_EQ(initial.pid_max, 4194304);
}

TEST(CleanerConfiguration, DefaultsAreTheLayoutConstants) {
  const CleanerGlobals& initial = initial_globals();
  EXPECT_EQ(static_cast<std::uint64_t>(initial.snapshot_ttl), mf::layout::DAEMON_SNAPSHOT_TTL);
  EXPECT_EQ(static_cast<std::uint64_t>(initial.sandbox_ttl), mf::layout::DAEMON_SANDBOX_TTL);
  EXPECT_EQ(static_cast<std::uint64_t>(initial.interval), mf::layout::DAEMON_LOOP_SECONDS);
  EXPECT_EQ(static_cast<std::uint64_t>(initial.mem_threshold), mf::layout::DAEMON_MEM_THRESHOLD);
  EXPECT_EQ(static_cast<std::uint64_t>(initial.pid_max), mf::layout::DAEMON_PID_MAX);
  EXPECT_EQ(static_cast<std::uint64_t>(initial.log_fd), mf::layout::DAEMON_LOG_FD);
}

}  // namespace
}  // namespace daemon_test
