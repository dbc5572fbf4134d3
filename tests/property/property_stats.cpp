#include "property_stats.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <optional>
#include <string>

#include "op_calls.h"

namespace mf::property {

namespace {

struct Counts {
  std::uint64_t runs = 0;
  std::uint64_t ops_run = 0;
  std::uint64_t ops_skipped = 0;
  std::uint64_t exits = 0;
};
Counts g_counts;

// "ArenaProperty" checks target arena: say which of its ops the SUT lacks,
// so that a green run on a partial SUT does not read as a check of them.
void note_ops_not_implemented(std::string suite) {
  const std::size_t suffix = suite.rfind("Property");
  if (suffix == std::string::npos) return;
  suite.resize(suffix);
  for (char& c : suite) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::optional<ops::Target> target = ops::target_from_name(suite);
  if (!target) return;
  std::string missing;
  for (ops::OpCode code : runner::ops_not_implemented(*target)) missing += " " + std::string(ops::info(code).name);
  if (!missing.empty()) std::printf("[property] %s: left out, %s:%s\n", suite.c_str(), runner::kNotImplemented.data(), missing.c_str());
}

class StatsPrinter final : public ::testing::EmptyTestEventListener {
 public:
  void OnTestStart(const ::testing::TestInfo& test) override {
    g_counts = {};
    note_ops_not_implemented(test.test_suite_name());
  }
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
