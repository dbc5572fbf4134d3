// mutant_results.h - the results file of a mutation campaign: one line per
// checked mutant, appended and flushed as soon as the mutant is done, so a
// campaign that is killed loses at most the mutants being checked, and a
// rerun resumes where it stopped.  A later line for the same id wins (a
// rerun of one mutant).
//
// Format: a header line, then tab-separated fields, with '\\', tab and
// newline escaped as \\, \t and \n:
//   id file line function operator outcome stage executions stage_seconds
//   seconds build_seconds cpu_seconds build_cpu_seconds stage_cpu_seconds
//   detail diff
// (v1, before the CPU times, had none of the three: its files and lines
// are still read, with those times unknown.)
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mf::mutate {

enum class Outcome {
  killed,        // a stage found a divergence (or the SUT crashed the checker)
  survived,      // every stage passed
  proved,        // survived the dynamic stages, and the code proof of its function holds: it meets the spec
  equivalent,    // its assembled code (bytes and relocations) is the original's
  build_failed,  // it does not assemble or link
};

std::string_view outcome_name(Outcome o);
std::optional<Outcome> outcome_from_name(std::string_view name);

struct MutantResult {
  std::string id, file;
  int line = 0;
  std::string function, op;
  Outcome outcome = Outcome::survived;
  std::string stage;                   // the stage that killed it (killed only)
  unsigned long long executions = 0;   // of that stage, up to the kill: traces, RapidCheck cases, fuzz runs
  double stage_seconds = 0;            // in that stage, up to the kill
  double seconds = 0;                  // from the start of the mutant's check (build included) to the verdict
  double build_seconds = 0;
  // CPU time (user plus system) of the programs the check ran, build
  // included, up to the verdict; of the build alone (assembling and
  // linking the check's programs: the tool's cost, not the harness's);
  // and of the killing stage alone.  Unlike the wall-clock times above,
  // what a mutant costs whatever else runs on the machine.  Negative:
  // unknown (a v1 result).
  double cpu_seconds = -1;
  double build_cpu_seconds = -1;
  double stage_cpu_seconds = -1;
  std::string detail;                  // the signature, the assembler's complaint, the proof's verdict
  std::string diff;                    // mutant_diff()
};

inline constexpr const char* kResultsHeader = "# mfh mutate results v2";
inline constexpr const char* kResultsHeaderV1 = "# mfh mutate results v1";

// What the daemon stage (mutant_check.h) writes into a survivor's detail
// when tests/daemon's suite passed on it: the report counts a survivor of a
// function only that stage runs (out_of_reach.list) as out of reach only
// without it.
inline constexpr const char* kDaemonSuitePassed = "tests/daemon's real-OS suite passes";

std::string format_result(const MutantResult& r);  // one line, no newline
// Parses one line; on error returns nullopt with the reason in `error`.
std::optional<MutantResult> parse_result(const std::string& line, std::string& error);

// Every result of the file, the last one per id.  A missing file is empty.
// A malformed line is an error (with its line number) except a last line
// without its newline: the trace of a killed campaign, dropped with a note.
struct LoadedResults {
  std::map<std::string, MutantResult> by_id;
  std::vector<std::string> order;  // ids, in the order first seen
  std::size_t partial_tail = 0;    // bytes of an unfinished last line (0: none)
};
bool load_results(const std::string& path, LoadedResults& out, std::string& error);

// Rewrites the file with one line per id (the last), ordered by file, line
// and id, through a temporary file renamed over it: the results of record
// (docs/harness-strength.tsv, which ci/mutate.sh keeps in the repository
// so that the report can be regenerated and rechecked on any machine) then
// change by whole lines where a mutant's result changed, and a rerun of some
// mutants does not grow the file.  A file that does not exist is left so.
bool compact_results(const std::string& path, std::string& error);

// Appends results to the file, each flushed to disk at once.  Opening
// drops an unfinished last line and writes the header into a new file.
class ResultsWriter {
 public:
  bool open(const std::string& path, std::string& error);
  bool append(const MutantResult& r, std::string& error);
  ~ResultsWriter();

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace mf::mutate
