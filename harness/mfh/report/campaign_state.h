// campaign_state.h - what a campaign (ci/campaign.sh) did, read back from
// the state files it appends to under <out>/state/, and the per-target
// figures every report shows.  The reports (markdown, JSON, SARIF, SVG,
// HTML) are all made from this one reading, so they cannot disagree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mf::mfh::report {

// state/workers.tsv: one engine worker that ended.
struct WorkerRow {
  std::string target, engine;
  int instance = 0;
  std::uint64_t seconds = 0, execs = 0;
  std::string status;  // the worker's exit status, "killed", or "skipped: <why>"
  std::string dir;     // its folder, relative to the output directory ("-" when skipped)
  // The scheduler never started it (the campaign's time ran out first).
  bool skipped() const { return status.starts_with("skipped"); }
};

// state/corpus.tsv: the kept corpus of a target before fuzzing and after the merge.
struct CorpusRow {
  std::string target, when;  // "before" or "after"
  std::uint64_t generation = 0, inputs = 0, pending = 0;
  std::string merge;  // after: "merged", or why not
};

// state/coverage.tsv: one measure of the assembly's branch coverage.
struct CoverageSample {
  std::string target;
  std::uint64_t elapsed = 0, hit = 0, total = 0, inputs = 0;
  std::string what;  // "before", "after libfuzzer-0", "after merge"
};

// state/findings.tsv: one row of a target's `mfh triage` summary.
struct FindingRow {
  std::string target, status;  // new, known, does-not-reproduce, untriaged
  std::uint64_t inputs = 0;
  std::string signature, detail, input;
};

struct CampaignState {
  std::string dir;                          // the output directory
  std::map<std::string, std::string> info;  // state/campaign.tsv, the last value of each key
  std::vector<std::string> targets, engines;
  std::vector<WorkerRow> workers;
  std::vector<CorpusRow> corpus;
  std::vector<CoverageSample> coverage;
  std::vector<FindingRow> findings;
  std::vector<std::string> errors;
  std::string info_or(const std::string& key, const std::string& fallback) const;
};

// False with `error` naming the file and line when a state file is missing
// or malformed.
bool read_campaign_state(const std::string& out_dir, CampaignState& state, std::string& error);

struct EngineFigures {
  std::string engine;
  int workers = 0;  // workers that ran
  int not_run = 0;  // workers the scheduler never started
  std::string not_run_reason;  // why, from the last of them ("no time left")
  std::uint64_t seconds = 0, execs = 0;
  double execs_per_second() const { return seconds == 0 ? 0.0 : static_cast<double>(execs) / seconds; }
};

struct Coverage {
  std::uint64_t hit = 0, total = 0;
};

struct TargetFigures {
  std::string target;
  std::vector<EngineFigures> engines;  // in the campaign's engine order
  std::optional<CorpusRow> before, after;
  std::optional<Coverage> coverage_before, coverage_after;
  std::vector<CoverageSample> samples;  // in time order
  std::map<std::string, std::uint64_t> findings_by_status;
};

std::vector<TargetFigures> target_figures(const CampaignState& state);

// A new finding, with what triage wrote for it.
struct FindingDetail {
  FindingRow row;
  std::string folder;          // findings/<target>/<detail>, relative to the output directory
  std::string raw_input;       // its copy of the original input, relative too ("" when missing)
  std::string regression_trace;  // the file's text
  std::string reproduce;       // the command that reproduces it from the output directory
};

std::vector<FindingDetail> new_findings(const CampaignState& state);

// Where in the assembly a signature's op lives: the .s file (relative to the
// source root, "asm/pool.s") and the line of the function's label.
struct SourceLocation {
  std::string file;
  unsigned line = 1;
  std::string function;
};
std::optional<SourceLocation> locate_signature(const std::string& signature, const std::string& source_root);

}  // namespace mf::mfh::report
