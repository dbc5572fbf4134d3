#include "cov_map_lookup.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mf::asm_cov::test {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CoverageMap load_map(const std::string& dir, const std::string& file) {
  std::string error;
  auto map = parse_map(read_text_file(dir + "/" + file + ".covmap"), &error);
  if (!map) throw std::runtime_error(file + ".covmap: " + error);
  return *map;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t nl = text.find('\n', begin);
    if (nl == std::string_view::npos) nl = text.size();
    lines.emplace_back(text.substr(begin, nl - begin));
    begin = nl + 1;
  }
  return lines;
}

std::size_t unique_line_of(std::string_view text, std::string_view needle) {
  std::vector<std::string> lines = split_lines(text);
  std::size_t found = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(needle) == std::string::npos) continue;
    if (found) throw std::runtime_error("'" + std::string(needle) + "' is on more than one line");
    found = i + 1;
  }
  if (!found) throw std::runtime_error("'" + std::string(needle) + "' is on no line");
  return found;
}

std::size_t label_counter(const CoverageMap& map, std::string_view label, std::size_t nth) {
  for (const MapEntry& e : map.entries)
    if (e.kind == ProbeKind::Label && e.label == label && nth-- == 0) return e.index;
  throw std::runtime_error(map.file + ": no counter for label " + std::string(label));
}

std::size_t fallthrough_counter(const CoverageMap& map, std::size_t line) {
  for (const MapEntry& e : map.entries)
    if (e.kind == ProbeKind::Fallthrough && e.line == line) return e.index;
  throw std::runtime_error(map.file + ": no fallthrough counter on line " + std::to_string(line));
}

std::vector<std::size_t> logical_lines(const std::vector<std::string>& instrumented) {
  std::vector<std::size_t> out;
  std::size_t next = 1;
  for (const std::string& line : instrumented) {
    std::size_t n = 0;
    char quote = 0;
    if (std::sscanf(line.c_str(), "# %zu %c", &n, &quote) == 2 && quote == '"') {
      out.push_back(0);
      next = n;
    } else {
      out.push_back(next++);
    }
  }
  return out;
}

bool is_generated_line(std::string_view line) {
  return line.find("mf-asm-cov") != std::string_view::npos ||
         line.find("__mf_asm_cov") != std::string_view::npos;
}

std::vector<std::string> line_marker_mismatches(std::string_view source,
                                                std::string_view instrumented) {
  std::vector<std::string> src = split_lines(source);
  std::vector<std::string> out = split_lines(instrumented);
  std::vector<std::size_t> logical = logical_lines(out);
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].rfind("# mf-asm-cov: the counters", 0) == 0) break;  // the trailer
    if (logical[i] == 0 || is_generated_line(out[i])) continue;
    std::size_t first = out[i].find_first_not_of(" \t");
    std::string piece = first == std::string::npos ? "" : out[i].substr(first);
    if (logical[i] > src.size() || src[logical[i] - 1].find(piece) == std::string::npos)
      problems.push_back("output line " + std::to_string(i + 1) + " '" + out[i] +
                         "' is not part of source line " + std::to_string(logical[i]));
  }
  return problems;
}

}  // namespace mf::asm_cov::test
