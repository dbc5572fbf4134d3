// report.md: the campaign in tables a person reads in a terminal or a CI
// summary page.
#include <cstdio>

#include "campaign_report.h"

namespace mf::mfh::report {

namespace {

std::string coverage_text(const std::optional<Coverage>& c) {
  if (!c) return "?";
  return std::to_string(c->hit) + "/" + std::to_string(c->total) + " (" + percent(c->hit, c->total) + ")";
}

std::string rate(double per_second) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", per_second);
  return text;
}

std::string count_of(const TargetFigures& t, const std::string& status) {
  const auto it = t.findings_by_status.find(status);
  return std::to_string(it == t.findings_by_status.end() ? 0 : it->second);
}

std::string markdown_table(const Table& table) {
  std::string md = "|";
  for (const std::string& h : table.header) md += " " + h + " |";
  md += "\n|";
  for (const bool right : table.right_aligned) md += right ? "---:|" : "---|";
  md += "\n";
  for (const auto& row : table.rows) {
    md += "|";
    for (const TableCell& c : row) md += " " + (c.link.empty() ? c.text : "[" + c.text + "](" + c.link + ")") + " |";
    md += "\n";
  }
  return md;
}

// "1 not run: no time left", or "" when every worker of the engine ran.
std::string not_run_text(const EngineFigures& e) {
  if (e.not_run == 0) return "";
  return std::to_string(e.not_run) + " not run" + (e.not_run_reason.empty() ? "" : ": " + e.not_run_reason);
}

}  // namespace

Table engine_table(const ReportInput& in) {
  Table t{{"target", "engine", "workers", "execs", "exec/s", "seconds", "note"},
          {false, false, true, true, true, true, false},
          {}};
  for (const TargetFigures& target : in.targets)
    for (const EngineFigures& e : target.engines)
      t.rows.push_back({{target.target, ""},
                        {e.engine, ""},
                        {std::to_string(e.workers), ""},
                        {std::to_string(e.execs), ""},
                        {rate(e.execs_per_second()), ""},
                        {std::to_string(e.seconds), ""},
                        {not_run_text(e), ""}});
  return t;
}

Table corpus_table(const ReportInput& in) {
  Table t{{"target", "inputs before", "inputs after merge", "merge", "asm branch directions before", "after merge", "plot",
           "listing"},
          {false, true, true, false, false, false, false, false},
          {}};
  for (const TargetFigures& target : in.targets)
    t.rows.push_back({{target.target, ""},
                      {target.before ? std::to_string(target.before->inputs) : "?", ""},
                      {target.after ? std::to_string(target.after->inputs) : "?", ""},
                      {target.after ? target.after->merge : "not run", ""},
                      {coverage_text(target.coverage_before), ""},
                      {coverage_text(target.coverage_after), ""},
                      {"svg", "plots/" + target.target + ".svg"},
                      {"html", "coverage/" + target.target + ".html"}});
  return t;
}

Table findings_table(const ReportInput& in) {
  Table t{{"target", "new", "known", "do not reproduce", "untriaged"}, {false, true, true, true, true}, {}};
  for (const TargetFigures& target : in.targets)
    t.rows.push_back({{target.target, ""},
                      {count_of(target, "new"), ""},
                      {count_of(target, "known"), ""},
                      {count_of(target, "does-not-reproduce"), ""},
                      {count_of(target, "untriaged"), ""}});
  return t;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return text;
}

std::string markdown_report(const ReportInput& in) {
  const CampaignState& s = in.state;
  std::string md = "# Morph differential campaign\n\n";
  md += "- status: " + s.info_or("status", "?") + "\n";
  md += "- started " + s.info_or("started", "?") + ", ended " + s.info_or("ended", "(still running or killed)") + "; " +
        s.info_or("elapsed_seconds", "?") + " s of a " + s.info_or("budget_seconds", "?") + " s budget\n";
  md += "- commit " + s.info_or("commit", "?") + "; " + s.info_or("jobs", "?") + " cores; engines: " +
        s.info_or("engines", "?") + "\n";
  md += "- kept corpus: " + s.info_or("corpus_dir", "?") + "\n\n";

  md += "## Engines\n\n" + markdown_table(engine_table(in));
  md += "\n## Corpus and assembly branch coverage\n\n" + markdown_table(corpus_table(in));
  md += "\n## Findings\n\n" + markdown_table(findings_table(in));
  md += "\n";
  if (in.findings.empty()) md += "No new finding.\n";
  for (const FindingDetail& f : in.findings) {
    md += "### " + f.row.signature + "\n\n";
    md += "- inputs with this signature: " + std::to_string(f.row.inputs) + "\n";
    md += "- regression trace (drop it into corpus/regressions/): `" + f.folder + "/regression.trace`\n";
    md += "- note: `" + f.folder + "/note.md`\n";
    md += "- reproduce: `" + f.reproduce + "`\n\n```\n" + f.regression_trace + "```\n\n";
  }
  bool other = false;
  for (const FindingRow& f : s.findings) {
    if (f.status == "new") continue;
    if (!other) md += "### Known, not reproduced and untriaged\n\n";
    other = true;
    md += "- " + f.target + ", " + f.status + ": " + (f.signature == "-" ? f.input : f.signature) + " (" + f.detail +
          (f.inputs > 1 ? ", " + std::to_string(f.inputs) + " inputs" : "") + ")\n";
  }
  md += "\n## Errors\n\n";
  if (s.errors.empty()) md += "None.\n";
  for (const std::string& e : s.errors) md += "- " + e + "\n";
  return md;
}

}  // namespace mf::mfh::report
