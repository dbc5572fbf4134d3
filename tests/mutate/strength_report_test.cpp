// The report of `mfh mutate` (harness/mutate/strength_report.h): the kill
// rate leaves out what cannot be killed, survivors are explained or listed
// as holes, and the allow-list's errors name their line.
#include "strength_report.h"

#include <gtest/gtest.h>

namespace mf::mutate {
namespace {

MutantResult result(const std::string& id, Outcome outcome, const std::string& stage = "", double seconds = 0) {
  MutantResult r;
  r.id = id;
  r.file = id.substr(0, id.find(':'));
  r.line = 1;
  r.function = "f";
  r.op = "imm";
  r.outcome = outcome;
  r.stage = stage;
  r.seconds = seconds;
  r.diff = "@@ " + id + "\n-old\n+new " + id + "\n";
  return r;
}

TEST(StrengthReport, KillRateIsOverTheNonEquivalentOnly) {
  AllowList allow;
  allow.reason_by_id["a.s:5:imm:0"] = "only the padding changes";
  const std::vector<MutantResult> rs = {
      result("a.s:1:imm:0", Outcome::killed, "corpora", 0.5), result("a.s:2:imm:0", Outcome::killed, "fuzz", 3),
      result("a.s:3:imm:0", Outcome::killed, "corpora", 0.7), result("a.s:4:imm:0", Outcome::survived),
      result("a.s:5:imm:0", Outcome::survived),            result("a.s:6:imm:0", Outcome::equivalent),
      result("a.s:7:imm:0", Outcome::build_failed),        result("a.s:8:imm:0", Outcome::proved, "proofs")};
  const Figures f = figures_of(rs, allow);
  EXPECT_EQ(f.checked, 8u);
  EXPECT_EQ(f.killed, 3u);
  EXPECT_EQ(f.holes, 1u);
  EXPECT_EQ(f.explained, 1u);
  EXPECT_EQ(f.equivalent, 1u);
  EXPECT_EQ(f.build_failed, 1u);
  EXPECT_EQ(f.proved, 1u);
  EXPECT_DOUBLE_EQ(f.kill_rate(), 0.75);

  ReportInput in;
  in.results = rs;
  in.allow = allow;
  in.hole_notes.reason_by_id["a.s:4:imm:0"] = "needs a pool of 65 slots";
  in.generated["a.s"] = 20;
  in.command = "bash ci/mutate.sh";
  in.date = "2026-01-01 00:00 UTC";
  const std::string md = render_report(in);
  EXPECT_NE(md.find("| a.s | 20 | 8 | 1 | 1 | 1 | 1 | 0 | 3 | 1 | 75.0 % |"), std::string::npos) << md;
  EXPECT_NE(md.find("| corpora | 2 |"), std::string::npos) << md;
  EXPECT_NE(md.find("median time to kill **0.70 s**, worst 3.00 s"), std::string::npos) << md;
  // No CPU time recorded (v1 results): said, not made up.
  EXPECT_NE(md.find("median CPU time to kill **-**, worst - (without the build: median -, worst -)."),
            std::string::npos)
      << md;
  // The hole is listed with its diff; the explained survivor with its reason.
  const std::size_t holes = md.find("## Survivors that are holes");
  const std::size_t explained = md.find("## Survivors explained as equivalent");
  ASSERT_NE(holes, std::string::npos);
  ASSERT_NE(explained, std::string::npos);
  const std::size_t hole = md.find("+new a.s:4:imm:0");
  EXPECT_TRUE(hole > holes && hole < explained) << md;
  const std::size_t note = md.find("Analysis: needs a pool of 65 slots");
  EXPECT_TRUE(note > hole && note < explained) << md;
  const std::size_t reason = md.find("only the padding changes");
  EXPECT_TRUE(reason > explained) << md;
  EXPECT_NE(md.find("bash ci/mutate.sh"), std::string::npos);
}

TEST(StrengthReport, CpuTimesToKillAreOverTheKillsThatRecordedThem) {
  std::vector<MutantResult> rs = {result("a.s:1:imm:0", Outcome::killed, "corpora", 5),
                                  result("a.s:2:imm:0", Outcome::killed, "corpora", 6),
                                  result("a.s:3:imm:0", Outcome::killed, "fuzz", 9)};
  rs[0].cpu_seconds = 0.4;
  rs[0].build_cpu_seconds = 0.3;
  rs[1].cpu_seconds = 0.6;
  rs[1].build_cpu_seconds = 0.3;  // rs[2]: a v1 result, its CPU times unknown
  ReportInput in;
  in.results = rs;
  in.command = "bash ci/mutate.sh";
  in.date = "2026-01-01 00:00 UTC";
  const std::string md = render_report(in);
  EXPECT_NE(md.find("| corpora | 2 | 66.7 % | 5.50 s | 6.00 s | 0.50 s | 0.60 s |"), std::string::npos) << md;
  EXPECT_NE(md.find("| fuzz | 1 | 33.3 % | 9.00 s | 9.00 s | - | - |"), std::string::npos) << md;
  EXPECT_NE(md.find("median CPU time to kill **0.50 s**, worst 0.60 s (without the build: median 0.20 s, worst 0.30 s) "
                    "(of the 2 kills whose CPU time was recorded)."),
            std::string::npos)
      << md;
}

TEST(StrengthReport, SurvivorsOfAFunctionOutOfReachAreNotHoles) {
  MutantResult forked = result("d.s:9:imm:0", Outcome::survived);
  forked.function = "daemon_start";
  const std::vector<MutantResult> rs = {forked, result("d.s:1:imm:0", Outcome::killed, "corpora", 1)};
  const std::map<std::string, std::string> reach = {{"daemon_start", "forks"}};
  const Figures f = figures_of(rs, AllowList{}, reach);
  EXPECT_EQ(f.out_of_reach, 1u);
  EXPECT_EQ(f.holes, 0u);
  EXPECT_DOUBLE_EQ(f.kill_rate(), 1.0);
  EXPECT_EQ(figures_of(rs, AllowList{}).holes, 1u);  // without the list, a hole
  ReportInput in;
  in.results = rs;
  in.out_of_reach = reach;
  const std::string md = render_report(in);
  EXPECT_NE(md.find("- `daemon_start` (forks): 1 survivors: `d.s:9:imm:0`"), std::string::npos) << md;
  std::string error;
  std::map<std::string, std::string> parsed;
  EXPECT_TRUE(parse_out_of_reach("# c\ndaemon_start forks\n", "r.list", parsed, error)) << error;
  EXPECT_EQ(parsed.at("daemon_start"), "forks");
  EXPECT_FALSE(parse_out_of_reach("daemon_start\n", "r.list", parsed, error));
  EXPECT_NE(error.find("r.list:1: "), std::string::npos) << error;
}

// Once the daemon stage ran it (its suite passed), such a survivor is a
// hole like any other, unless explained.
TEST(StrengthReport, ASurvivorOfTheDaemonStageIsAHole) {
  MutantResult forked = result("d.s:9:imm:0", Outcome::survived);
  forked.function = "daemon_start";
  forked.detail = std::string(kDaemonSuitePassed) + " (60 tests); passed every stage";
  const std::map<std::string, std::string> reach = {{"daemon_start", "forks"}};
  const Figures f = figures_of({forked}, AllowList{}, reach);
  EXPECT_EQ(f.out_of_reach, 0u);
  EXPECT_EQ(f.holes, 1u);
  AllowList allow;
  allow.reason_by_id["d.s:9:imm:0"] = "the same flags";
  EXPECT_EQ(figures_of({forked}, allow, reach).explained, 1u);
  ReportInput in;
  in.results = {forked};
  in.out_of_reach = reach;
  const std::string md = render_report(in);
  EXPECT_EQ(md.find("- `daemon_start` (forks)"), std::string::npos) << md;
  EXPECT_NE(md.find("### `d.s:9:imm:0` (daemon_start)"), std::string::npos) << md;
}

TEST(StrengthReport, AllowListNeedsAnIdAndAReason) {
  AllowList allow;
  std::string error;
  EXPECT_TRUE(parse_allow_list("# comment\n\narena.s:1:imm:0 the same value\n", "eq.list", allow, error)) << error;
  EXPECT_EQ(allow.reason_by_id.at("arena.s:1:imm:0"), "the same value");
  EXPECT_FALSE(parse_allow_list("arena.s:1:imm:0\n", "eq.list", allow, error));
  EXPECT_NE(error.find("eq.list:1: "), std::string::npos) << error;
  EXPECT_FALSE(parse_allow_list("\narena.s reason\n", "eq.list", allow, error));
  EXPECT_NE(error.find("eq.list:2: "), std::string::npos) << error;
}

}  // namespace
}  // namespace mf::mutate
