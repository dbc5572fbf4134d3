// mfh report: the reports of a campaign's output directory, from the state
// ci/campaign.sh keeps there.  The campaign calls it at its end (also when
// interrupted); it can be rerun at any time on any output directory.
#include <cstdio>
#include <filesystem>
#include <string>

#include "commands.h"
#include "output_file.h"
#include "report/campaign_report.h"

#ifndef MF_MFH_SOURCE_DIR
#error "MF_MFH_SOURCE_DIR: where asm/ is, for the findings' locations"
#endif

namespace mf::mfh {

namespace {

constexpr const char* kUsage =
    "usage: mfh report [--source-root=DIR] CAMPAIGN_OUT_DIR\n"
    "  Writes, from CAMPAIGN_OUT_DIR/state/ (what ci/campaign.sh records): report.md, report.json\n"
    "  (schema mf-campaign-report/1, docs/guide.md), findings.sarif (SARIF 2.1.0), plots/<target>.svg\n"
    "  (assembly branch coverage over time) and report.html.  Every file is replaced atomically.\n"
    "  --source-root=DIR  the repository whose asm/*.s the SARIF locations point into (default: this\n"
    "                     build's source tree)\n"
    "exit status: 0 written, 2 bad usage, unreadable state or a file that cannot be written\n";

}  // namespace

int report_command(std::span<const std::string_view> args) {
  std::string dir, source_root = MF_MFH_SOURCE_DIR;
  for (const std::string_view arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg.starts_with("--source-root=")) {
      source_root = std::string(arg.substr(14));
    } else if (arg.starts_with("-") || !dir.empty()) {
      std::fprintf(stderr, "mfh report: unexpected argument '%s'\n%s", std::string(arg).c_str(), kUsage);
      return 2;
    } else {
      dir = std::string(arg);
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "mfh report: which campaign output directory?\n%s", kUsage);
    return 2;
  }
  report::CampaignState state;
  std::string error;
  if (!report::read_campaign_state(dir, state, error)) {
    std::fprintf(stderr, "mfh report: %s\n", error.c_str());
    return 2;
  }
  const std::vector<report::TargetFigures> targets = report::target_figures(state);
  const std::vector<report::FindingDetail> findings = report::new_findings(state);
  const report::ReportInput in{state, targets, findings, source_root};

  std::error_code ec;
  std::filesystem::create_directories(dir + "/plots", ec);
  if (ec) {
    std::fprintf(stderr, "mfh report: cannot create %s/plots: %s\n", dir.c_str(), ec.message().c_str());
    return 2;
  }
  std::uint64_t budget = 0;
  try {
    budget = std::stoull(state.info_or("budget_seconds", "0"));
  } catch (const std::exception&) {
    budget = 0;
  }
  bool written = write_output(dir + "/report.md", report::markdown_report(in), error) &&
                 write_output(dir + "/report.json", report::json_report(in), error) &&
                 write_output(dir + "/findings.sarif", report::sarif_report(in), error) &&
                 write_output(dir + "/report.html", report::html_report(in), error);
  for (const report::TargetFigures& t : targets) {
    written = written && write_output(dir + "/plots/" + t.target + ".svg", report::coverage_plot_svg(t, budget), error);
  }
  if (!written) {
    std::fprintf(stderr, "mfh report: %s\n", error.c_str());
    return 2;
  }
  std::printf("mfh report: %s/report.md, report.html, report.json, findings.sarif, plots/\n", dir.c_str());
  return 0;
}

}  // namespace mf::mfh
