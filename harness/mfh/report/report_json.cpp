// report.json (schema "mf-campaign-report/1", docs/guide.md) and
// findings.sarif (SARIF 2.1.0): the campaign for programs.
#include <filesystem>

#include "campaign_report.h"

namespace mf::mfh::report {

namespace {

std::string field(const std::string& name, const std::string& json_value) {
  return json_string(name) + ": " + json_value;
}

std::string number(std::uint64_t n) { return std::to_string(n); }

std::string coverage_json(const std::optional<Coverage>& c) {
  if (!c) return "null";
  return "{" + field("hit", number(c->hit)) + ", " + field("total", number(c->total)) + "}";
}

std::string corpus_json(const std::optional<CorpusRow>& c) {
  if (!c) return "null";
  std::string j = "{" + field("generation", number(c->generation)) + ", " + field("inputs", number(c->inputs)) + ", " +
                  field("pending", number(c->pending));
  if (c->when == "after") j += ", " + field("merge", json_string(c->merge));
  return j + "}";
}

std::string string_array(const std::vector<std::string>& items) {
  std::string j = "[";
  for (std::size_t i = 0; i < items.size(); ++i) j += (i ? ", " : "") + json_string(items[i]);
  return j + "]";
}

// A location for a finding: its function's label, or else its target's file.
std::optional<SourceLocation> location_of(const FindingRow& f, const std::string& source_root) {
  if (auto located = locate_signature(f.signature, source_root)) return located;
  const std::string file = "asm/" + f.target + ".s";
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(source_root) / file, ec)) return SourceLocation{file, 1, ""};
  return std::nullopt;
}

}  // namespace

std::string json_report(const ReportInput& in) {
  const CampaignState& s = in.state;
  std::string j = "{\n  " + field("schema", json_string("mf-campaign-report/1"));
  for (const char* key : {"status", "started", "ended", "commit", "corpus_dir"})
    j += ",\n  " + field(key, s.info.count(key) ? json_string(s.info.at(key)) : "null");
  for (const char* key : {"budget_seconds", "elapsed_seconds", "jobs"}) {
    const std::string value = s.info_or(key, "");
    j += ",\n  " + field(key, value.empty() ? "null" : value);
  }
  j += ",\n  " + field("engines", string_array(s.engines));
  j += ",\n  \"targets\": [";
  for (std::size_t i = 0; i < in.targets.size(); ++i) {
    const TargetFigures& t = in.targets[i];
    j += std::string(i ? "," : "") + "\n    {" + field("target", json_string(t.target)) + ",\n     \"engines\": [";
    for (std::size_t k = 0; k < t.engines.size(); ++k) {
      const EngineFigures& e = t.engines[k];
      j += std::string(k ? ", " : "") + "{" + field("engine", json_string(e.engine)) + ", " +
           field("workers", number(e.workers)) + ", " + field("execs", number(e.execs)) + ", " +
           field("seconds", number(e.seconds)) + ", " + field("not_run", number(e.not_run)) + "}";
    }
    j += "],\n     " + field("corpus_before", corpus_json(t.before)) + ",\n     " +
         field("corpus_after", corpus_json(t.after)) + ",\n     " +
         field("asm_branch_coverage_before", coverage_json(t.coverage_before)) + ",\n     " +
         field("asm_branch_coverage_after", coverage_json(t.coverage_after)) + ",\n     \"coverage_over_time\": [";
    for (std::size_t k = 0; k < t.samples.size(); ++k) {
      const CoverageSample& c = t.samples[k];
      j += std::string(k ? ", " : "") + "{" + field("elapsed_seconds", number(c.elapsed)) + ", " +
           field("hit", number(c.hit)) + ", " + field("total", number(c.total)) + ", " +
           field("inputs", number(c.inputs)) + ", " + field("what", json_string(c.what)) + "}";
    }
    j += "],\n     " + field("plot", json_string("plots/" + t.target + ".svg")) + ", " +
         field("coverage_listing", json_string("coverage/" + t.target + ".html")) + "}";
  }
  j += "\n  ],\n  \"findings\": [";
  bool first = true;
  for (const FindingRow& f : s.findings) {
    j += std::string(first ? "" : ",") + "\n    {" + field("target", json_string(f.target)) + ", " +
         field("status", json_string(f.status)) + ", " + field("inputs", number(f.inputs)) + ", " +
         field("signature", f.signature == "-" ? "null" : json_string(f.signature)) + ", " +
         field("detail", json_string(f.detail)) + ", " + field("input", f.input.empty() ? "null" : json_string(f.input));
    for (const FindingDetail& d : in.findings) {
      if (d.row.target != f.target || d.row.signature != f.signature || f.status != "new") continue;
      j += ", " + field("regression_trace", json_string(d.folder + "/regression.trace")) + ", " +
           field("note", json_string(d.folder + "/note.md")) + ", " +
           field("raw_input", d.raw_input.empty() ? "null" : json_string(d.raw_input)) + ", " +
           field("reproduce", json_string(d.reproduce));
    }
    j += "}";
    first = false;
  }
  j += "\n  ],\n  " + field("errors", string_array(s.errors)) + "\n}\n";
  return j;
}

std::string sarif_report(const ReportInput& in) {
  std::string results;
  for (const FindingRow& f : in.state.findings) {
    if (f.status != "new" && f.status != "known") continue;
    std::string message = f.signature + " (" + std::to_string(f.inputs) + " input" + (f.inputs == 1 ? "" : "s");
    message += f.status == "new" ? "; regression trace in findings/" + f.target + "/" + f.detail + "/)" : "; known: " + f.detail + ")";
    std::string r = "{" + field("ruleId", json_string("MF-DIVERGENCE")) + ", " +
                    field("level", json_string(f.status == "new" ? "error" : "note")) + ", " +
                    field("baselineState", json_string(f.status == "new" ? "new" : "unchanged")) + ", " +
                    field("message", "{" + field("text", json_string(message)) + "}") + ", " +
                    field("partialFingerprints", "{" + field("mfDivergenceSignature/v1", json_string(f.signature)) + "}");
    if (const auto where = location_of(f, in.source_root)) {
      r += ", \"locations\": [{\"physicalLocation\": {" +
           field("artifactLocation", "{" + field("uri", json_string(where->file)) + ", " +
                                         field("uriBaseId", json_string("SRCROOT")) + "}") +
           ", " + field("region", "{" + field("startLine", number(where->line)) + "}") + "}";
      if (!where->function.empty())
        r += ", \"logicalLocations\": [{" + field("name", json_string(where->function)) + ", " +
             field("kind", json_string("function")) + "}]";
      r += "}]";
    }
    results += std::string(results.empty() ? "" : ",\n") + "        " + r + "}";
  }
  return "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
         "  \"runs\": [\n    {\n      \"tool\": {\"driver\": {\"name\": \"mfh\", \"rules\": [{\"id\": \"MF-DIVERGENCE\", "
         "\"shortDescription\": {\"text\": \"The assembly and the reference model disagree\"}, "
         "\"fullDescription\": {\"text\": \"An op's result or the state after it differs between the SUT and the "
         "executable model of the contract (docs/spec.md).\"}}]}},\n"
         "      \"originalUriBaseIds\": {\"SRCROOT\": {\"description\": {\"text\": \"the repository's root\"}}},\n"
         "      \"results\": [\n" +
         results + "\n      ]\n    }\n  ]\n}\n";
}

}  // namespace mf::mfh::report
