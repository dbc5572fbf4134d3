#include "property_stats.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace mf::property {

namespace {

struct Counts {
  std::uint64_t runs = 0;
  std::uint64_t ops_run = 0;
  std::uint64_t ops_skipped = 0;
  std::uint64_t exits = 0;
};
Counts g_counts;

class StatsPrinter final : public ::testing::EmptyTestEventListener {
 public:
  void OnTestStart(const ::testing::TestInfo&) override { g_counts = {}; }
  void OnTestEnd(const ::testing::TestInfo& test) override {
    std::printf("[property] %s.%s: %llu runs, %llu ops run, %llu skipped, %llu ended by an exit\n",
                test.test_suite_name(), test.name(), static_cast<unsigned long long>(g_counts.runs),
                static_cast<unsigned long long>(g_counts.ops_run),
                static_cast<unsigned long long>(g_counts.ops_skipped),
                static_cast<unsigned long long>(g_counts.exits));
    std::fflush(stdout);
  }
};

}  // namespace

void count_run(const runner::RunResult& result) {
  ++g_counts.runs;
  g_counts.ops_run += result.ops_run;
  g_counts.ops_skipped += result.ops_skipped;
  if (result.exit_code) ++g_counts.exits;
}

void install_stats_printer() {
  ::testing::UnitTest::GetInstance()->listeners().Append(new StatsPrinter);  // gtest owns it
}

}  // namespace mf::property
