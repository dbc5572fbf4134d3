// campaign_report.h - the reports `mfh report` writes into a campaign's
// output directory, each made from the same reading of its state
// (campaign_state.h).  docs/guide.md describes them, and the JSON schema.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "campaign_state.h"
#include "text_escape.h"

namespace mf::mfh::report {

struct ReportInput {
  const CampaignState& state;
  const std::vector<TargetFigures>& targets;
  const std::vector<FindingDetail>& findings;  // the new ones
  std::string source_root;                     // where asm/*.s are, for locations
};

// A table both report.md and report.html show: made once, rendered twice.
struct TableCell {
  std::string text;
  std::string link;  // a relative path, or empty
};
struct Table {
  std::vector<std::string> header;
  std::vector<bool> right_aligned;  // per column
  std::vector<std::vector<TableCell>> rows;
};
Table engine_table(const ReportInput& in);    // per target and engine: workers, execs, exec/s, seconds, not run
Table corpus_table(const ReportInput& in);    // per target: corpus and assembly coverage before and after
Table findings_table(const ReportInput& in);  // per target: findings by status

std::string markdown_report(const ReportInput& in);                 // report.md
std::string json_report(const ReportInput& in);                     // report.json
std::string sarif_report(const ReportInput& in);                    // findings.sarif
std::string coverage_plot_svg(const TargetFigures& target, std::uint64_t budget_seconds);  // plots/<target>.svg
std::string html_report(const ReportInput& in);                     // report.html

// The writers' escaping (text_escape.h), here under report:: as well.
using mfh::html_escape;
using mfh::json_string;
std::string percent(std::uint64_t part, std::uint64_t whole);  // "56.4%", "-" when whole is 0

}  // namespace mf::mfh::report
