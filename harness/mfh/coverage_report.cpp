#include "coverage_report.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "asm_cov_runtime.h"
#include "text_escape.h"

namespace mf::mfh {

namespace {

bool read_file(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  text = s.str();
  return true;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string percent(std::size_t part, std::size_t whole) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", whole == 0 ? 100.0 : 100.0 * static_cast<double>(part) / whole);
  return buf;
}

}  // namespace

bool collect_coverage(const std::string& map_dir, const std::vector<std::string>& sources, std::vector<FileCoverage>& files,
                      std::string& error) {
  files.clear();
  for (std::size_t i = 0; i < mf_asm_cov_file_count(); ++i) {
    const mf_asm_cov_file* record = mf_asm_cov_file_at(i);
    FileCoverage file;
    file.name = record->name;
    std::string map_text;
    if (!read_file(map_dir + "/" + file.name + ".covmap", map_text)) {
      error = "no coverage map for " + file.name + " in " + map_dir;
      return false;
    }
    std::string map_error;
    std::optional<asm_cov::CoverageMap> map = asm_cov::parse_map(map_text, &map_error);
    if (!map) {
      error = file.name + ".covmap: " + map_error;
      return false;
    }
    if (map->entries.size() != record->count || map->hash != record->name_hash) {
      error = file.name + ".covmap does not belong to the linked " + file.name + " (rebuild)";
      return false;
    }
    std::string source;
    for (const std::string& path : sources) {
      const std::size_t slash = path.find_last_of('/');
      if (path.substr(slash == std::string::npos ? 0 : slash + 1) != file.name) continue;
      if (read_file(path, source)) file.source_lines = split_lines(source);
      break;
    }
    for (const asm_cov::MapEntry& entry : map->entries) {
      ProbeHit hit;
      hit.entry = entry;
      hit.count = record->counters[entry.index];
      if (hit.count != 0) ++file.probes_hit;
      if (entry.kind == asm_cov::ProbeKind::Fallthrough) {
        ++file.directions;
        if (hit.count != 0) ++file.directions_hit;
        if (entry.taken && *entry.taken < record->count) {
          hit.taken_known = true;
          hit.taken_count = record->counters[*entry.taken];
          ++file.directions;
          if (hit.taken_count != 0) ++file.directions_hit;
        } else {
          ++file.jumps_out;
        }
      }
      file.probes.push_back(hit);
    }
    files.push_back(std::move(file));
  }
  return true;
}

namespace {

// "12" for a label, "T:9 F:3" for a jump; "#####" (gcov's mark) for a
// probe never hit.
std::string annotation(const FileCoverage& file, std::size_t line) {
  std::string out;
  for (const ProbeHit& p : file.probes) {
    if (p.entry.line != line) continue;
    if (!out.empty()) out += ' ';
    if (p.entry.kind == asm_cov::ProbeKind::Label) {
      out += p.count == 0 ? "#####" : std::to_string(p.count);
    } else {
      out += "T:" + (p.taken_known ? (p.taken_count == 0 ? "#####" : std::to_string(p.taken_count)) : "out");
      out += " F:" + (p.count == 0 ? std::string("#####") : std::to_string(p.count));
    }
  }
  return out;
}

std::string summary_line(const FileCoverage& f) {
  std::string s = f.name + ": probes " + std::to_string(f.probes_hit) + "/" + std::to_string(f.probes.size()) + " (" +
                  percent(f.probes_hit, f.probes.size()) + "), branch directions " +
                  std::to_string(f.directions_hit) + "/" + std::to_string(f.directions) + " (" +
                  percent(f.directions_hit, f.directions) + ")";
  if (f.jumps_out != 0) s += ", " + std::to_string(f.jumps_out) + " jumps out of the file not counted";
  return s;
}


}  // namespace

std::string coverage_text(const std::vector<FileCoverage>& files, const std::string& runs_summary) {
  std::string out = "# assembly coverage: " + runs_summary + "\n";
  out += "# counts saturate at 255; ##### = never hit; T: taken side (arrivals at the target label), F: fallthrough\n";
  for (const FileCoverage& f : files) {
    out += "\n== " + f.name + "\n";
    if (f.source_lines.empty()) {
      out += "(source not found: probes by line)\n";
      for (const ProbeHit& p : f.probes) out += std::to_string(p.entry.line) + ": " + annotation(f, p.entry.line) + "\n";
      continue;
    }
    for (std::size_t i = 0; i < f.source_lines.size(); ++i) {
      char prefix[48];
      std::snprintf(prefix, sizeof prefix, "%17s %5zu| ", annotation(f, i + 1).c_str(), i + 1);
      out += prefix + f.source_lines[i] + "\n";
    }
  }
  out += "\n== summary\n";
  std::size_t hit = 0, total = 0, dir_hit = 0, dirs = 0;
  for (const FileCoverage& f : files) {
    out += summary_line(f) + "\n";
    hit += f.probes_hit;
    total += f.probes.size();
    dir_hit += f.directions_hit;
    dirs += f.directions;
  }
  out += "total: probes " + std::to_string(hit) + "/" + std::to_string(total) + " (" + percent(hit, total) +
         "), branch directions " + std::to_string(dir_hit) + "/" + std::to_string(dirs) + " (" +
         percent(dir_hit, dirs) + ")\n";
  return out;
}

std::string coverage_html(const std::vector<FileCoverage>& files, const std::string& runs_summary) {
  std::string out =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Morph assembly coverage</title>\n"
      "<style>body{font-family:sans-serif}table.src{border-collapse:collapse;font-family:monospace;font-size:13px}"
      "td{padding:0 6px;white-space:pre}td.n{color:#888;text-align:right}td.c{text-align:right}"
      "tr.hit td.c{background:#cfc}tr.miss td.c{background:#fbb}tr.part td.c{background:#ffc}</style>\n"
      "</head><body>\n<h1>Morph assembly coverage</h1>\n<p>" +
      html_escape(runs_summary) +
      ". Counts saturate at 255. ##### marks a probe never hit; T is the taken side of a conditional jump "
      "(arrivals at its target label), F its fallthrough.</p>\n<h2>Summary</h2>\n<ul>\n";
  for (const FileCoverage& f : files) {
    out += "<li><a href=\"#" + html_escape(f.name) + "\">" + html_escape(summary_line(f)) + "</a></li>\n";
  }
  out += "</ul>\n";
  for (const FileCoverage& f : files) {
    out += "<h2 id=\"" + html_escape(f.name) + "\">" + html_escape(f.name) + "</h2>\n<table class=\"src\">\n";
    for (std::size_t i = 0; i < f.source_lines.size(); ++i) {
      const std::string note = annotation(f, i + 1);
      const char* cls = note.empty() ? "" : note.find("#####") == std::string::npos ? "hit"
                                          : note.find_first_of("0123456789") == std::string::npos ? "miss"
                                                                                                  : "part";
      out += "<tr class=\"" + std::string(cls) + "\"><td class=\"c\">" + html_escape(note) + "</td><td class=\"n\">" +
             std::to_string(i + 1) + "</td><td>" + html_escape(f.source_lines[i]) + "</td></tr>\n";
    }
    out += "</table>\n";
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace mf::mfh
