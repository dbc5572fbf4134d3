#include "campaign_state.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "divergence_signature.h"
#include "op_table.h"

namespace mf::mfh::report {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find(separator, start);
    fields.push_back(line.substr(start, end - start));
    if (end == std::string::npos) return fields;
    start = end + 1;
  }
}

bool to_number(const std::string& text, std::uint64_t& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

// Reads the tab-separated rows of state/<name>; each must have `columns`
// fields.  A missing file is an error: the campaign creates every one.
bool read_rows(const std::string& dir, const std::string& name, std::size_t columns,
               std::vector<std::vector<std::string>>& rows, std::string& error) {
  const std::string path = dir + "/state/" + name;
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::vector<std::string> fields = split(line, '\t');
    // The last column may be absent (an empty reason at the end of a line).
    if (fields.size() + 1 == columns) fields.emplace_back();
    if (fields.size() != columns) {
      error = path + ":" + std::to_string(number) + ": expected " + std::to_string(columns) + " tab-separated fields, found " +
              std::to_string(fields.size());
      return false;
    }
    rows.push_back(std::move(fields));
  }
  return true;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string CampaignState::info_or(const std::string& key, const std::string& fallback) const {
  const auto it = info.find(key);
  return it == info.end() ? fallback : it->second;
}

bool read_campaign_state(const std::string& out_dir, CampaignState& state, std::string& error) {
  state = CampaignState{};
  state.dir = out_dir;
  std::vector<std::vector<std::string>> rows;
  if (!read_rows(out_dir, "campaign.tsv", 2, rows, error)) return false;
  for (const auto& r : rows) state.info[r[0]] = r[1];
  for (const std::string& t : split(state.info_or("targets", ""), ' '))
    if (!t.empty()) state.targets.push_back(t);
  for (const std::string& e : split(state.info_or("engines", ""), ' '))
    if (!e.empty()) state.engines.push_back(e);

  const auto bad_number = [&](const std::string& file, const std::string& text) {
    error = out_dir + "/state/" + file + ": '" + text + "' is not a number";
    return false;
  };
  rows.clear();
  if (!read_rows(out_dir, "workers.tsv", 7, rows, error)) return false;
  for (const auto& r : rows) {
    WorkerRow w{r[0], r[1], 0, 0, 0, r[5], r[6]};
    std::uint64_t instance = 0;
    if (!to_number(r[2], instance)) return bad_number("workers.tsv", r[2]);
    w.instance = static_cast<int>(instance);
    if (!to_number(r[3], w.seconds)) return bad_number("workers.tsv", r[3]);
    if (!to_number(r[4], w.execs)) return bad_number("workers.tsv", r[4]);
    state.workers.push_back(w);
  }
  rows.clear();
  if (!read_rows(out_dir, "corpus.tsv", 6, rows, error)) return false;
  for (const auto& r : rows) {
    CorpusRow c{r[0], r[1], 0, 0, 0, r[5]};
    if (!to_number(r[2], c.generation)) return bad_number("corpus.tsv", r[2]);
    if (!to_number(r[3], c.inputs)) return bad_number("corpus.tsv", r[3]);
    if (!to_number(r[4], c.pending)) return bad_number("corpus.tsv", r[4]);
    state.corpus.push_back(c);
  }
  rows.clear();
  if (!read_rows(out_dir, "coverage.tsv", 6, rows, error)) return false;
  for (const auto& r : rows) {
    CoverageSample s{r[0], 0, 0, 0, 0, r[5]};
    if (!to_number(r[1], s.elapsed) || !to_number(r[2], s.hit) || !to_number(r[3], s.total) ||
        !to_number(r[4], s.inputs))
      return bad_number("coverage.tsv", r[1] + " " + r[2] + " " + r[3] + " " + r[4]);
    state.coverage.push_back(s);
  }
  rows.clear();
  if (!read_rows(out_dir, "findings.tsv", 6, rows, error)) return false;
  for (const auto& r : rows) {
    FindingRow f{r[0], r[1], 0, r[3], r[4], r[5]};
    if (!to_number(r[2], f.inputs)) return bad_number("findings.tsv", r[2]);
    state.findings.push_back(f);
  }
  std::ifstream errors(out_dir + "/state/errors.txt");
  for (std::string line; std::getline(errors, line);)
    if (!line.empty()) state.errors.push_back(line);
  return true;
}

std::vector<TargetFigures> target_figures(const CampaignState& state) {
  std::vector<TargetFigures> all;
  for (const std::string& target : state.targets) {
    TargetFigures t;
    t.target = target;
    for (const std::string& engine : state.engines) {
      EngineFigures e{engine};
      for (const WorkerRow& w : state.workers) {
        if (w.target != target || w.engine != engine) continue;
        if (w.skipped()) {
          ++e.not_run;
          const std::size_t colon = w.status.find(": ");
          e.not_run_reason = colon == std::string::npos ? "" : w.status.substr(colon + 2);
          continue;
        }
        ++e.workers;
        e.seconds += w.seconds;
        e.execs += w.execs;
      }
      t.engines.push_back(e);
    }
    for (const CorpusRow& c : state.corpus) {
      if (c.target != target) continue;
      (c.when == "before" ? t.before : t.after) = c;
    }
    for (const CoverageSample& s : state.coverage) {
      if (s.target != target) continue;
      t.samples.push_back(s);
      if (s.what == "before") t.coverage_before = Coverage{s.hit, s.total};
      if (s.what == "after merge") t.coverage_after = Coverage{s.hit, s.total};
    }
    std::stable_sort(t.samples.begin(), t.samples.end(),
                     [](const CoverageSample& a, const CoverageSample& b) { return a.elapsed < b.elapsed; });
    for (const FindingRow& f : state.findings)
      if (f.target == target) t.findings_by_status[f.status] += 1;
    all.push_back(std::move(t));
  }
  return all;
}

std::vector<FindingDetail> new_findings(const CampaignState& state) {
  std::vector<FindingDetail> found;
  for (const FindingRow& row : state.findings) {
    if (row.status != "new") continue;
    FindingDetail d;
    d.row = row;
    d.folder = "findings/" + row.target + "/" + row.detail;
    const fs::path folder = fs::path(state.dir) / d.folder;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("input-")) d.raw_input = d.folder + "/" + name;
    }
    d.regression_trace = read_text(folder / "regression.trace");
    d.reproduce = "mfh reproduce --target=" + row.target + " " + (d.raw_input.empty() ? d.folder : d.raw_input);
    found.push_back(std::move(d));
  }
  return found;
}

std::optional<SourceLocation> locate_signature(const std::string& signature, const std::string& source_root) {
  const auto parsed = runner::parse_signature(signature);
  if (!parsed) return std::nullopt;
  const auto code = ops::op_from_name(parsed->op);
  if (!code) return std::nullopt;  // end_of_run: no one function
  const ops::OpInfo& op = ops::info(*code);
  std::string function(op.panic_names.substr(0, op.panic_names.find('|')));
  if (function.empty()) return std::nullopt;  // a control op
  if (ops::uses_checked_alloc_entry(parsed->target) && (*code == ops::OpCode::mem_alloc || *code == ops::OpCode::mem_free))
    function = "__mf_" + function;
  std::error_code ec;
  std::vector<fs::path> sources;
  for (const auto& entry : fs::directory_iterator(fs::path(source_root) / "asm", ec))
    if (entry.path().extension() == ".s") sources.push_back(entry.path());
  std::sort(sources.begin(), sources.end());
  for (const fs::path& source : sources) {
    std::ifstream in(source);
    std::string line;
    for (unsigned number = 1; std::getline(in, line); ++number) {
      if (line.starts_with(function + ":")) return SourceLocation{"asm/" + source.filename().string(), number, function};
    }
  }
  return std::nullopt;
}

}  // namespace mf::mfh::report
