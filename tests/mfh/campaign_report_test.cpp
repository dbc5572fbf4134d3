// The campaign reports (`mfh report`): state files read back exactly, a
// malformed one refused with its file and line, findings located at their
// function's label, and every format carrying the same figures.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "report/campaign_report.h"
#include "report/campaign_state.h"

namespace fs = std::filesystem;
using namespace mf::mfh::report;

namespace {

class CampaignReport : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mf_campaign_report_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "state");
    write("state/campaign.tsv",
          "started\t2026-12-04T01:00:00Z\nbudget_seconds\t120\njobs\t2\ntargets\tpool arena\n"
          "engines\tlibfuzzer afl\nstatus\tfuzzing\nstatus\tcomplete: 1 new finding(s)\nelapsed_seconds\t101\n");
    write("state/workers.tsv",
          "pool\tlibfuzzer\t0\t10\t50000\t0\twork/pool/libfuzzer-0\n"
          "pool\tafl\t0\t5\t20000\t0\twork/pool/afl-0\npool\tafl\t1\t5\t10000\t0\twork/pool/afl-1\n"
          "arena\tafl\t0\t0\t0\tskipped: no time left\t-\n");
    write("state/corpus.tsv", "pool\tbefore\t3\t100\t0\t\npool\tafter\t4\t120\t0\tmerged\n");
    write("state/coverage.tsv",
          "pool\t1\t90\t208\t100\tbefore\npool\t40\t95\t208\t180\tafter libfuzzer-0\npool\t99\t97\t208\t120\tafter merge\n");
    write("state/findings.tsv",
          "pool\tnew\t3\tMF-DIVERGENCE target=pool op=pool_free field=result_differs\tpool-pool_free-result_differs\t\n"
          "pool\tknown\t1\tMF-DIVERGENCE target=pool op=pool_alloc field=x\tan issue\t\n"
          "pool\tdoes-not-reproduce\t1\t-\tthe SUT and the model agree\twork/pool/afl-0/raw-findings/crashes-0\n");
    write("state/errors.txt", "");
    fs::create_directories(dir_ / "findings/pool/pool-pool_free-result_differs");
    write("findings/pool/pool-pool_free-result_differs/regression.trace", "# mfh trace v1 target=pool\n<op>\n");
    write("findings/pool/pool-pool_free-result_differs/input-crash-abc", "bytes");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  fs::path dir_;
};

TEST_F(CampaignReport, StateIsReadBackWithTheLastValueOfEachKey) {
  CampaignState state;
  std::string error;
  ASSERT_TRUE(read_campaign_state(dir_.string(), state, error)) << error;
  EXPECT_EQ(state.info_or("status", ""), "complete: 1 new finding(s)");
  EXPECT_EQ(state.targets, (std::vector<std::string>{"pool", "arena"}));
  ASSERT_EQ(state.workers.size(), 4u);
  EXPECT_EQ(state.workers[2].execs, 10000u);
  EXPECT_FALSE(state.workers[2].skipped());
  EXPECT_TRUE(state.workers[3].skipped());
  ASSERT_EQ(state.findings.size(), 3u);
  EXPECT_EQ(state.findings[2].input, "work/pool/afl-0/raw-findings/crashes-0");
}

TEST_F(CampaignReport, FiguresAddUpPerTargetAndEngine) {
  CampaignState state;
  std::string error;
  ASSERT_TRUE(read_campaign_state(dir_.string(), state, error)) << error;
  const auto targets = target_figures(state);
  ASSERT_EQ(targets.size(), 2u);
  const TargetFigures& pool = targets[0];
  ASSERT_EQ(pool.engines.size(), 2u);
  EXPECT_EQ(pool.engines[1].engine, "afl");
  EXPECT_EQ(pool.engines[1].workers, 2);
  EXPECT_EQ(pool.engines[1].execs, 30000u);
  EXPECT_DOUBLE_EQ(pool.engines[1].execs_per_second(), 3000.0);
  ASSERT_TRUE(pool.coverage_before && pool.coverage_after);
  EXPECT_EQ(pool.coverage_before->hit, 90u);
  EXPECT_EQ(pool.coverage_after->hit, 97u);
  ASSERT_TRUE(pool.before && pool.after);
  EXPECT_EQ(pool.after->inputs, 120u);
  EXPECT_EQ(pool.findings_by_status.at("new"), 1u);
  // A target with no row at all is still listed, with nothing measured.
  EXPECT_FALSE(targets[1].coverage_after.has_value());
  EXPECT_EQ(targets[1].engines[0].execs, 0u);
  // A worker the scheduler never started is no worker, but is counted as not run.
  EXPECT_EQ(targets[1].engines[1].workers, 0);
  EXPECT_EQ(targets[1].engines[1].not_run, 1);
  EXPECT_EQ(targets[1].engines[1].not_run_reason, "no time left");
  EXPECT_EQ(pool.engines[1].not_run, 0);
}

TEST_F(CampaignReport, AMalformedStateFileIsRefusedWithItsLine) {
  write("state/workers.tsv", "pool\tlibfuzzer\t0\t10\t50000\t0\twork\npool\tafl\tzero\t5\t1\t0\tw\n");
  CampaignState state;
  std::string error;
  EXPECT_FALSE(read_campaign_state(dir_.string(), state, error));
  EXPECT_NE(error.find("workers.tsv"), std::string::npos) << error;
  EXPECT_NE(error.find("'zero'"), std::string::npos) << error;
  write("state/workers.tsv", "pool\tlibfuzzer\t0\n");
  EXPECT_FALSE(read_campaign_state(dir_.string(), state, error));
  EXPECT_NE(error.find("workers.tsv:1"), std::string::npos) << error;
  fs::remove(dir_ / "state/coverage.tsv");
  write("state/workers.tsv", "");
  EXPECT_FALSE(read_campaign_state(dir_.string(), state, error));
  EXPECT_NE(error.find("coverage.tsv"), std::string::npos) << error;
}

TEST(CampaignReportLocation, ASignatureIsLocatedAtItsFunctionsLabel) {
  const auto where = locate_signature("MF-DIVERGENCE target=pool op=pool_free field=x", MF_TEST_SOURCE_DIR);
  ASSERT_TRUE(where.has_value());
  EXPECT_EQ(where->file, "asm/pool.s");
  EXPECT_EQ(where->function, "pool_free");
  std::ifstream source(std::string(MF_TEST_SOURCE_DIR) + "/asm/pool.s");
  std::string line;
  for (unsigned n = 0; n < where->line; ++n) std::getline(source, line);
  EXPECT_TRUE(line.starts_with("pool_free:")) << line;
  // The builtins target reaches mem_alloc through its checked entry point.
  const auto checked = locate_signature("MF-DIVERGENCE target=builtins op=mem_alloc field=x", MF_TEST_SOURCE_DIR);
  ASSERT_TRUE(checked.has_value());
  EXPECT_EQ(checked->function, "__mf_mem_alloc");
  EXPECT_FALSE(locate_signature("MF-DIVERGENCE target=pool op=end_of_run field=x", MF_TEST_SOURCE_DIR));
  EXPECT_FALSE(locate_signature("not a signature", MF_TEST_SOURCE_DIR));
}

TEST_F(CampaignReport, EveryFormatCarriesTheSameFindingAndFigures) {
  CampaignState state;
  std::string error;
  ASSERT_TRUE(read_campaign_state(dir_.string(), state, error)) << error;
  const auto targets = target_figures(state);
  const auto found = new_findings(state);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].raw_input, "findings/pool/pool-pool_free-result_differs/input-crash-abc");
  EXPECT_EQ(found[0].reproduce, "mfh reproduce --target=pool findings/pool/pool-pool_free-result_differs/input-crash-abc");
  const ReportInput in{state, targets, found, MF_TEST_SOURCE_DIR};
  const std::string signature = "MF-DIVERGENCE target=pool op=pool_free field=result_differs";

  const std::string md = markdown_report(in);
  EXPECT_NE(md.find("| pool | afl | 2 | 30000 | 3000 | 10 |  |"), std::string::npos) << md;
  EXPECT_NE(md.find("| arena | afl | 0 | 0 | 0 | 0 | 1 not run: no time left |"), std::string::npos) << md;
  EXPECT_NE(md.find("90/208 (43.3%) | 97/208 (46.6%)"), std::string::npos) << md;
  EXPECT_NE(md.find(signature), std::string::npos);

  const std::string json = json_report(in);
  EXPECT_NE(json.find("\"schema\": \"mf-campaign-report/1\""), std::string::npos);
  EXPECT_NE(json.find("\"asm_branch_coverage_after\": {\"hit\": 97, \"total\": 208}"), std::string::npos) << json;
  EXPECT_NE(json.find("\"reproduce\": \"mfh reproduce --target=pool"), std::string::npos);
  EXPECT_NE(json.find("\"budget_seconds\": 120"), std::string::npos);
  EXPECT_NE(json.find("{\"engine\": \"afl\", \"workers\": 0, \"execs\": 0, \"seconds\": 0, \"not_run\": 1}"),
            std::string::npos)
      << json;

  const std::string sarif = sarif_report(in);
  EXPECT_NE(sarif.find("\"version\": \"2.1.0\""), std::string::npos);
  EXPECT_NE(sarif.find("\"uri\": \"asm/pool.s\""), std::string::npos) << sarif;
  EXPECT_NE(sarif.find("\"level\": \"error\""), std::string::npos);
  EXPECT_NE(sarif.find("\"level\": \"note\""), std::string::npos);  // the known one
  EXPECT_EQ(sarif.find("does-not-reproduce"), std::string::npos);

  const std::string svg = coverage_plot_svg(targets[0], 120);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_NE(svg.find("after merge: 97/208"), std::string::npos);

  const std::string html = html_report(in);
  EXPECT_NE(html.find("<img src=\"plots/pool.svg\""), std::string::npos);
  EXPECT_NE(html.find("coverage/pool.html"), std::string::npos);
  EXPECT_NE(html.find("&lt;op&gt;"), std::string::npos);  // the trace, escaped
}

TEST(CampaignReportText, JsonStringsAreEscaped) {
  EXPECT_EQ(json_string("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(html_escape("<a href=\"x\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(percent(1, 3), "33.3%");
  EXPECT_EQ(percent(1, 0), "-");
}

}  // namespace
