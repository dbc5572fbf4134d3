// strength_report.h - docs/harness-strength.md from a campaign's results:
// kill rate per file, per stage and per operator, the time to kill, and
// every survivor with its diff, explained by the allow-list or listed as a
// hole of the harness.  Pure text in, text out.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "mutant_results.h"

namespace mf::mutate {

// The allow-list: survivors explained as equivalent, one per line,
// "<mutant id> <reason>", '#' starting a comment line.
struct AllowList {
  std::map<std::string, std::string> reason_by_id;
};
// On a malformed line returns false with "<path>:<line>: ..." in `error`.
bool parse_allow_list(const std::string& text, const std::string& path, AllowList& out, std::string& error);

// Functions the stages cannot run at all (daemon_start forks, which the
// simulated OS does not; tests/daemon's real-OS suite covers them): a
// survivor there is out of reach, counted apart from the holes.  One per
// line, "<function> <reason>" ('#' comments), in harness/mutate/out_of_reach.list.
bool parse_out_of_reach(const std::string& text, const std::string& path, std::map<std::string, std::string>& out,
                        std::string& error);

struct ReportInput {
  std::vector<MutantResult> results;             // one per mutant
  std::map<std::string, std::size_t> generated;  // per file: every mutant the operators make of it
  AllowList allow;
  // Notes on survivors that are holes (harness/mutate/holes.list, the same
  // format): what input would kill them, shown with the hole; a hole
  // stays a hole, noted or not.
  AllowList hole_notes;
  std::map<std::string, std::string> out_of_reach;  // function -> why
  std::string command;  // what regenerates the report
  std::string date;     // when the campaign's report was written (UTC)
  std::string coverage_note;  // how the checked mutants were chosen (sample, filters)
};

// The figures the report states, for tests and the summary line.
struct Figures {
  std::size_t checked = 0, equivalent = 0, build_failed = 0, proved = 0, explained = 0, killed = 0, holes = 0;
  std::size_t out_of_reach = 0;  // survivors in functions the stages cannot run
  double kill_rate() const {  // over the non-equivalent: killed and unexplained survivors
    return killed + holes == 0 ? 1.0 : static_cast<double>(killed) / static_cast<double>(killed + holes);
  }
};
Figures figures_of(const std::vector<MutantResult>& results, const AllowList& allow,
                   const std::map<std::string, std::string>& out_of_reach = {});

std::string render_report(const ReportInput& input);

}  // namespace mf::mutate
