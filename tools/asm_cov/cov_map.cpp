#include "cov_map.h"

#include <cinttypes>
#include <cstdio>
#include <sstream>

namespace mf::asm_cov {
namespace {

constexpr std::string_view kHeader = "# mf-asm-cov map v1";

bool fail(std::string* error, std::size_t line_no, const std::string& what) {
  if (error) *error = "map line " + std::to_string(line_no) + ": " + what;
  return false;
}

bool parse_entry(const std::string& line, std::size_t line_no, const CoverageMap& map,
                 MapEntry& e, std::string* error) {
  std::istringstream in(line);
  std::string file, kind;
  if (!(in >> e.index >> file >> e.line >> kind)) return fail(error, line_no, "expected 'index file line kind'");
  if (file != map.file) return fail(error, line_no, "file '" + file + "' is not '" + map.file + "'");
  if (kind == "label") {
    e.kind = ProbeKind::Label;
    if (!(in >> e.label)) return fail(error, line_no, "label without a name");
    return true;
  }
  if (kind != "fallthrough-of") return fail(error, line_no, "unknown kind '" + kind + "'");
  e.kind = ProbeKind::Fallthrough;
  std::string taken_word, taken;
  if (!(in >> e.mnemonic >> e.target >> taken_word >> taken) || taken_word != "taken")
    return fail(error, line_no, "expected 'fallthrough-of MNEMONIC TARGET taken COUNTER|-'");
  if (taken != "-") {
    try {
      e.taken = std::stoul(taken);
    } catch (const std::exception&) {
      return fail(error, line_no, "bad taken counter '" + taken + "'");
    }
  }
  return true;
}

}  // namespace

std::uint64_t name_hash(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string format_map(const CoverageMap& map) {
  std::ostringstream out;
  char hash[32];
  std::snprintf(hash, sizeof hash, "0x%016" PRIx64, map.hash);
  out << kHeader << "\nfile " << map.file << "\nhash " << hash << "\ncounters "
      << map.entries.size() << "\n";
  for (const MapEntry& e : map.entries) {
    out << e.index << ' ' << map.file << ' ' << e.line << ' ';
    if (e.kind == ProbeKind::Label) {
      out << "label " << e.label;
    } else {
      out << "fallthrough-of " << e.mnemonic << ' ' << e.target << " taken ";
      if (e.taken)
        out << *e.taken;
      else
        out << '-';
    }
    out << '\n';
  }
  return out.str();
}

std::optional<CoverageMap> parse_map(std::string_view text, std::string* error) {
  CoverageMap map;
  std::istringstream in{std::string(text)};
  std::string line;
  std::size_t line_no = 0;
  std::size_t declared = 0;
  bool have_header = false, have_file = false, have_hash = false, have_count = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    if (line.front() == '#') {
      have_header = have_header || line == kHeader;
      continue;
    }
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "file") {
      have_file = static_cast<bool>(words >> map.file);
    } else if (key == "hash") {
      std::string value;
      words >> value;
      try {
        map.hash = std::stoull(value, nullptr, 16);
        have_hash = true;
      } catch (const std::exception&) {
        fail(error, line_no, "bad hash");
        return std::nullopt;
      }
    } else if (key == "counters") {
      have_count = static_cast<bool>(words >> declared);
    } else {
      if (!have_file) {
        fail(error, line_no, "counter line before 'file'");
        return std::nullopt;
      }
      MapEntry e;
      if (!parse_entry(line, line_no, map, e, error)) return std::nullopt;
      if (e.index != map.entries.size()) {
        fail(error, line_no, "counter " + std::to_string(e.index) + " out of order");
        return std::nullopt;
      }
      map.entries.push_back(std::move(e));
    }
  }
  if (!have_header || !have_file || !have_hash || !have_count) {
    fail(error, line_no, "missing header, file, hash or counters line");
    return std::nullopt;
  }
  if (declared != map.entries.size()) {
    fail(error, line_no, "declares " + std::to_string(declared) + " counters, lists " +
                             std::to_string(map.entries.size()));
    return std::nullopt;
  }
  return map;
}

}  // namespace mf::asm_cov
