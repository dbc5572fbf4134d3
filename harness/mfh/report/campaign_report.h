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
