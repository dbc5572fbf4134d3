// coverage_report.h - the assembly's coverage after `mfh cov` has run its
// inputs: every instrumented .s file linked into the program, its source
// lines, and per line the counters of its probes (tools/asm_cov/README.md:
// a probe at every code label and after every conditional jump).
//
// A conditional jump has two directions: the fallthrough, which its own
// probe counts, and the taken side, which the probe of the target label
// counts.  That label also counts every other arrival, so "taken side hit"
// means "the target was reached", an upper bound; a jump out of the file has
// no countable taken side and is left out of the totals.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cov_map.h"

namespace mf::mfh {

struct ProbeHit {
  asm_cov::MapEntry entry;
  unsigned count = 0;        // saturates at 255
  bool taken_known = false;  // fallthrough probes: the target label is in the file
  unsigned taken_count = 0;  // its counter
};

struct FileCoverage {
  std::string name;                        // "alloc.s"
  std::vector<std::string> source_lines;   // empty when the source could not be read
  std::vector<ProbeHit> probes;            // in counter order
  std::size_t probes_hit = 0;
  std::size_t directions = 0;              // countable branch directions
  std::size_t directions_hit = 0;
  std::size_t jumps_out = 0;               // jumps whose taken side leaves the file
};

// Reads the counters of every instrumented file linked in, with its map
// (<map_dir>/<name>.covmap) and source (the path of `sources` whose file
// name is <name>).  A file whose
// map is missing, malformed or does not match its counters is an error.
bool collect_coverage(const std::string& map_dir, const std::vector<std::string>& sources, std::vector<FileCoverage>& files,
                      std::string& error);

// The annotated listing of each file, then the per-file summary.
std::string coverage_text(const std::vector<FileCoverage>& files, const std::string& runs_summary);
// The same as one self-contained HTML page.
std::string coverage_html(const std::vector<FileCoverage>& files, const std::string& runs_summary);

}  // namespace mf::mfh
