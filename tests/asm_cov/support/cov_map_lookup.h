// Helpers of the assembly coverage tests: reading the map files the build
// wrote and finding, by their text, the source lines the maps should name.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cov_map.h"

namespace mf::asm_cov::test {

std::string read_text_file(const std::string& path);

// The map <dir>/<file>.covmap; throws std::runtime_error when it is missing
// or malformed.
CoverageMap load_map(const std::string& dir, const std::string& file);

// 1-based number of the only line of `text` that contains `needle`; throws
// unless exactly one line does (a fixture edit must not make a test look at
// the wrong line).
std::size_t unique_line_of(std::string_view text, std::string_view needle);

// Counter of the `nth` (0-based) label named `label`; throws when absent.
std::size_t label_counter(const CoverageMap& map, std::string_view label, std::size_t nth = 0);

// Counter of the fallthrough of the conditional jump on `line`; throws when absent.
std::size_t fallthrough_counter(const CoverageMap& map, std::size_t line);

// The lines of `text`, without their '\n'.
std::vector<std::string> split_lines(std::string_view text);

// For every line of an instrumented file, the source line gas attributes it
// to, following `# N "file"` markers as gas does (0 for the markers).
std::vector<std::size_t> logical_lines(const std::vector<std::string>& instrumented);

// True for the lines the instrumenter adds (probes, trampolines, trailer).
bool is_generated_line(std::string_view line);

// Checks that every line of `instrumented` that came from `source` is at the
// line number gas gives it; returns one message per line that is not (an
// empty result is a pass).
std::vector<std::string> line_marker_mismatches(std::string_view source,
                                                std::string_view instrumented);

}  // namespace mf::asm_cov::test
