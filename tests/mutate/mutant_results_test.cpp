// The results file of `mfh mutate` (harness/mutate/mutant_results.h):
// escaping, resume after a kill, compaction, and clear errors for a file
// that is not one.
#include "mutant_results.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace mf::mutate {
namespace {

namespace fs = std::filesystem;

MutantResult sample(const std::string& id, Outcome outcome) {
  MutantResult r;
  r.id = id;
  r.file = "arena.s";
  r.line = 48;
  r.function = "arena_create";
  r.op = "sign_jcc";
  r.outcome = outcome;
  r.stage = outcome == Outcome::killed ? "corpora" : "";
  r.executions = 6;
  r.stage_seconds = 0.25;
  r.seconds = 0.75;
  r.build_seconds = 0.5;
  r.cpu_seconds = 0.625;
  r.build_cpu_seconds = 0.375;
  r.stage_cpu_seconds = 0.125;
  r.detail = "divergence at op 3\twith a tab";
  r.diff = "@@ arena.s:48\n-        ja x\n+        jg x \\ back\n";
  return r;
}

fs::path temp_file(const std::string& name) {
  const fs::path p = fs::path(testing::TempDir()) / name;
  fs::remove(p);
  return p;
}

TEST(MutantResults, LineRoundTripsWithTabsNewlinesAndBackslashes) {
  const MutantResult r = sample("arena.s:48:sign_jcc:0", Outcome::killed);
  const std::string line = format_result(r);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  std::string error;
  const std::optional<MutantResult> back = parse_result(line, error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(back->id, r.id);
  EXPECT_EQ(back->outcome, Outcome::killed);
  EXPECT_EQ(back->detail, r.detail);
  EXPECT_EQ(back->diff, r.diff);
  EXPECT_EQ(back->executions, 6u);
  EXPECT_DOUBLE_EQ(back->seconds, 0.75);
  EXPECT_DOUBLE_EQ(back->cpu_seconds, 0.625);
  EXPECT_DOUBLE_EQ(back->build_cpu_seconds, 0.375);
  EXPECT_DOUBLE_EQ(back->stage_cpu_seconds, 0.125);
}

TEST(MutantResults, AV1FileIsReadWithItsCpuTimesUnknownAndResumedInV2) {
  // A v1 line: the fields of today without the two CPU times.
  const fs::path path = temp_file("results_v1.tsv");
  {
    std::ofstream out(path);
    out << kResultsHeaderV1 << "\n"
        << "arena.s:48:imm:0\tarena.s\t48\tarena_create\timm\tkilled\tcorpora\t2\t0.100\t0.600\t0.500\t"
           "divergence at op 0\t@@ arena.s:48\\n\n";
  }
  LoadedResults loaded;
  std::string error;
  ASSERT_TRUE(load_results(path.string(), loaded, error)) << error;
  ASSERT_EQ(loaded.by_id.count("arena.s:48:imm:0"), 1u);
  const MutantResult& old = loaded.by_id.at("arena.s:48:imm:0");
  EXPECT_DOUBLE_EQ(old.seconds, 0.6);
  EXPECT_LT(old.cpu_seconds, 0);
  EXPECT_LT(old.build_cpu_seconds, 0);
  EXPECT_LT(old.stage_cpu_seconds, 0);
  EXPECT_EQ(old.detail, "divergence at op 0");
  {
    ResultsWriter w;
    ASSERT_TRUE(w.open(path.string(), error)) << error;
    ASSERT_TRUE(w.append(sample("arena.s:49:imm:0", Outcome::killed), error)) << error;
  }
  ASSERT_TRUE(compact_results(path.string(), error)) << error;
  ASSERT_TRUE(load_results(path.string(), loaded, error)) << error;
  EXPECT_EQ(loaded.by_id.size(), 2u);
  EXPECT_DOUBLE_EQ(loaded.by_id.at("arena.s:49:imm:0").cpu_seconds, 0.625);
  EXPECT_LT(loaded.by_id.at("arena.s:48:imm:0").cpu_seconds, 0);
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, kResultsHeader);  // compaction writes the current version
}

TEST(MutantResults, ResumeKeepsWholeLinesDropsAnUnfinishedOneAndTheLastWins) {
  const fs::path path = temp_file("results_resume.tsv");
  std::string error;
  {
    ResultsWriter w;
    ASSERT_TRUE(w.open(path.string(), error)) << error;
    ASSERT_TRUE(w.append(sample("a.s:1:imm:0", Outcome::survived), error));
    ASSERT_TRUE(w.append(sample("a.s:2:imm:0", Outcome::killed), error));
  }
  // A campaign killed in the middle of a write.
  {
    std::ofstream out(path, std::ios::app);
    out << "a.s:3:imm:0\tarena.s\t4";
  }
  LoadedResults loaded;
  ASSERT_TRUE(load_results(path.string(), loaded, error)) << error;
  EXPECT_EQ(loaded.by_id.size(), 2u);
  EXPECT_GT(loaded.partial_tail, 0u);
  {
    ResultsWriter w;  // resumes: cuts the unfinished line
    ASSERT_TRUE(w.open(path.string(), error)) << error;
    ASSERT_TRUE(w.append(sample("a.s:1:imm:0", Outcome::killed), error));  // a rerun
  }
  ASSERT_TRUE(load_results(path.string(), loaded, error)) << error;
  EXPECT_EQ(loaded.partial_tail, 0u);
  ASSERT_EQ(loaded.order, (std::vector<std::string>{"a.s:1:imm:0", "a.s:2:imm:0"}));
  EXPECT_EQ(loaded.by_id.at("a.s:1:imm:0").outcome, Outcome::killed);
}

TEST(MutantResults, CompactionKeepsTheLastLinePerIdInFileAndLineOrder) {
  const fs::path path = temp_file("results_compact.tsv");
  std::string error;
  auto at = [](const std::string& id, const std::string& file, int line, Outcome outcome) {
    MutantResult r = sample(id, outcome);
    r.file = file;
    r.line = line;
    return r;
  };
  {
    ResultsWriter w;
    ASSERT_TRUE(w.open(path.string(), error)) << error;
    ASSERT_TRUE(w.append(at("pool.s:9:imm:0", "pool.s", 9, Outcome::killed), error));
    ASSERT_TRUE(w.append(at("arena.s:20:imm:0", "arena.s", 20, Outcome::survived), error));
    ASSERT_TRUE(w.append(at("arena.s:3:imm:0", "arena.s", 3, Outcome::killed), error));
    ASSERT_TRUE(w.append(at("arena.s:20:imm:0", "arena.s", 20, Outcome::killed), error));  // a rerun
  }
  ASSERT_TRUE(compact_results(path.string(), error)) << error;
  LoadedResults loaded;
  ASSERT_TRUE(load_results(path.string(), loaded, error)) << error;
  // Line 3 before line 20 (numbers, not text), arena.s before pool.s, one line each.
  EXPECT_EQ(loaded.order, (std::vector<std::string>{"arena.s:3:imm:0", "arena.s:20:imm:0", "pool.s:9:imm:0"}));
  EXPECT_EQ(loaded.by_id.at("arena.s:20:imm:0").outcome, Outcome::killed);
  std::ifstream in(path);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_EQ(lines, 4u);  // the header and three results
  EXPECT_FALSE(fs::exists(path.string() + ".compacting"));

  const fs::path missing = temp_file("missing_compact.tsv");
  EXPECT_TRUE(compact_results(missing.string(), error)) << error;
  EXPECT_FALSE(fs::exists(missing));
}

TEST(MutantResults, AFileOfSomethingElseOrABadLineIsAnErrorWithItsLine) {
  const fs::path other = temp_file("not_results.tsv");
  { std::ofstream(other) << "id\tfile\n"; }
  LoadedResults loaded;
  std::string error;
  EXPECT_FALSE(load_results(other.string(), loaded, error));
  EXPECT_NE(error.find("not a results file"), std::string::npos) << error;

  const fs::path bad = temp_file("bad_results.tsv");
  { std::ofstream(bad) << kResultsHeader << "\n" << format_result(sample("a.s:1:imm:0", Outcome::killed)) << "\nx\ty\n"; }
  EXPECT_FALSE(load_results(bad.string(), loaded, error));
  EXPECT_NE(error.find(":3: unreadable result"), std::string::npos) << error;

  const fs::path missing = temp_file("missing_results.tsv");
  EXPECT_TRUE(load_results(missing.string(), loaded, error));
  EXPECT_TRUE(loaded.by_id.empty());
}

}  // namespace
}  // namespace mf::mutate
