// The reports a person opens in a browser: one coverage-over-time plot per
// target (SVG) and report.html, one self-contained page with the tables,
// the plots, every new finding's trace and reproduce command, and links to
// the annotated assembly listings.
#include <algorithm>
#include <cstdio>

#include "campaign_report.h"

namespace mf::mfh::report {

std::string coverage_plot_svg(const TargetFigures& t, std::uint64_t budget_seconds) {
  // Plot area: x from 50 to 590 (time), y from 20 to 220 (directions hit).
  constexpr double left = 50, right = 590, top = 20, bottom = 220;
  std::uint64_t total = 0, last_time = budget_seconds;
  for (const CoverageSample& s : t.samples) {
    total = std::max(total, s.total);
    last_time = std::max(last_time, s.elapsed);
  }
  const auto x = [&](std::uint64_t seconds) { return left + (right - left) * seconds / std::max<std::uint64_t>(last_time, 1); };
  const auto y = [&](std::uint64_t hit) { return bottom - (bottom - top) * hit / std::max<std::uint64_t>(total, 1); };
  char buf[160];
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"620\" height=\"260\" font-family=\"sans-serif\" "
                    "font-size=\"11\">\n";
  svg += "<title>" + html_escape(t.target) + ": assembly branch directions hit over the campaign</title>\n";
  std::snprintf(buf, sizeof buf, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>\n",
                left, top, right - left, bottom - top);
  svg += buf;
  std::snprintf(buf, sizeof buf, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%llu</text>\n", left - 4, top + 4,
                static_cast<unsigned long long>(total));
  svg += buf;
  std::snprintf(buf, sizeof buf, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">0</text>\n", left - 4, bottom + 4);
  svg += buf;
  std::snprintf(buf, sizeof buf, "<text x=\"%.0f\" y=\"%.0f\">0 s</text>\n<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%llu s</text>\n",
                left, bottom + 16, right, bottom + 16, static_cast<unsigned long long>(last_time));
  svg += buf;
  svg += "<text x=\"320\" y=\"252\" text-anchor=\"middle\">" + html_escape(t.target) +
         ": assembly branch directions hit (of " + std::to_string(total) + ") against campaign time</text>\n";
  if (t.samples.empty()) {
    svg += "<text x=\"320\" y=\"120\" text-anchor=\"middle\">no measure</text>\n";
  } else {
    // A step line: coverage holds until the next measure.
    std::string points;
    double previous_y = y(t.samples.front().hit);
    for (const CoverageSample& s : t.samples) {
      std::snprintf(buf, sizeof buf, "%.1f,%.1f %.1f,%.1f ", x(s.elapsed), previous_y, x(s.elapsed), y(s.hit));
      points += buf;
      previous_y = y(s.hit);
    }
    svg += "<polyline fill=\"none\" stroke=\"#2a6fdb\" stroke-width=\"2\" points=\"" + points + "\"/>\n";
    for (const CoverageSample& s : t.samples) {
      std::snprintf(buf, sizeof buf, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#2a6fdb\"><title>", x(s.elapsed), y(s.hit));
      svg += buf;
      svg += html_escape(s.what) + ": " + std::to_string(s.hit) + "/" + std::to_string(s.total) + " at " +
             std::to_string(s.elapsed) + " s, " + std::to_string(s.inputs) + " inputs</title></circle>\n";
    }
  }
  return svg + "</svg>\n";
}

namespace {

std::string html_table(const Table& table) {
  std::string html = "<table>\n<tr>";
  for (const std::string& h : table.header) html += "<th>" + html_escape(h) + "</th>";
  html += "</tr>\n";
  for (const auto& row : table.rows) {
    html += "<tr>";
    for (const TableCell& c : row) {
      html += "<td>" + (c.link.empty() ? html_escape(c.text)
                                       : "<a href=\"" + html_escape(c.link) + "\">" + html_escape(c.text) + "</a>") +
              "</td>";
    }
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

}  // namespace

std::string html_report(const ReportInput& in) {
  const CampaignState& s = in.state;
  std::string h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Morph campaign " +
                  html_escape(s.info_or("started", "")) +
                  "</title>\n<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}"
                  "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
                  "td{text-align:right}td:first-child,td:nth-child(2){text-align:left}"
                  "pre{background:#f4f4f4;padding:8px;overflow-x:auto}.new{color:#b00}</style></head><body>\n";
  h += "<h1>Morph differential campaign</h1>\n<ul>";
  h += "<li>status: <b>" + html_escape(s.info_or("status", "?")) + "</b></li>";
  h += "<li>started " + html_escape(s.info_or("started", "?")) + ", " + html_escape(s.info_or("elapsed_seconds", "?")) +
       " s of a " + html_escape(s.info_or("budget_seconds", "?")) + " s budget, " + html_escape(s.info_or("jobs", "?")) +
       " cores</li>";
  h += "<li>commit " + html_escape(s.info_or("commit", "?")) + "</li>";
  h += "<li>machine-readable: <a href=\"report.json\">report.json</a>, <a href=\"findings.sarif\">findings.sarif</a>; "
       "<a href=\"report.md\">report.md</a></li></ul>\n";
  h += "<h2>Engines</h2>\n" + html_table(engine_table(in));
  h += "<h2>Corpus and assembly branch coverage</h2>\n" + html_table(corpus_table(in));
  for (const TargetFigures& t : in.targets)
    h += "<figure><img src=\"plots/" + html_escape(t.target) + ".svg\" alt=\"" + html_escape(t.target) +
         " coverage over time\"><figcaption><a href=\"coverage/" + html_escape(t.target) +
         ".html\">annotated assembly listing of the merged corpus</a></figcaption></figure>\n";
  h += "<h2>Findings</h2>\n" + html_table(findings_table(in));
  if (in.findings.empty()) h += "<p>No new finding.</p>\n";
  for (const FindingDetail& f : in.findings) {
    h += "<h3 class=\"new\">" + html_escape(f.row.signature) + "</h3>\n<p>" + std::to_string(f.row.inputs) +
         " input(s). Reproduce: <code>" + html_escape(f.reproduce) + "</code>. <a href=\"" + html_escape(f.folder) +
         "/note.md\">note</a>, <a href=\"" + html_escape(f.folder) +
         "/regression.trace\">regression trace</a> (drop it into corpus/regressions/).</p>\n<pre>" +
         html_escape(f.regression_trace) + "</pre>\n";
  }
  bool other = false;
  for (const FindingRow& f : s.findings) {
    if (f.status == "new") continue;
    if (!other) h += "<h3>Known, not reproduced and untriaged</h3>\n<ul>\n";
    other = true;
    h += "<li>" + html_escape(f.target + ", " + f.status + ": " + (f.signature == "-" ? f.input : f.signature) + " (" +
                              f.detail + ")") +
         "</li>\n";
  }
  if (other) h += "</ul>\n";
  h += "<h2>Errors</h2>\n";
  if (s.errors.empty()) h += "<p>None.</p>\n";
  for (const std::string& e : s.errors) h += "<p>" + html_escape(e) + "</p>\n";
  return h + "</body></html>\n";
}

}  // namespace mf::mfh::report
