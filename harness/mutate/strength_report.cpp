#include "strength_report.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace mf::mutate {

namespace {

// The order the stages run in (cheapest first).
const std::vector<std::string> kStageOrder = {"corpora", "rapidcheck", "proofs", "fuzz", "daemon"};

std::string fixed(double v, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string percent(std::size_t part, std::size_t whole) {
  return whole == 0 ? "n/a" : fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) + " %";
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double worst(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

// A survivor of a function only the daemon stage runs, checked without it.
bool unreached(const MutantResult& r, const std::map<std::string, std::string>& out_of_reach) {
  return out_of_reach.count(r.function) != 0 && r.detail.find(kDaemonSuitePassed) == std::string::npos;
}

bool is_hole(const MutantResult& r, const AllowList& allow, const std::map<std::string, std::string>& out_of_reach) {
  return r.outcome == Outcome::survived && allow.reason_by_id.count(r.id) == 0 && !unreached(r, out_of_reach);
}

void add(Figures& f, const MutantResult& r, const AllowList& allow,
         const std::map<std::string, std::string>& out_of_reach) {
  ++f.checked;
  switch (r.outcome) {
    case Outcome::killed: ++f.killed; break;
    case Outcome::equivalent: ++f.equivalent; break;
    case Outcome::build_failed: ++f.build_failed; break;
    case Outcome::proved: ++f.proved; break;
    case Outcome::survived:
      if (allow.reason_by_id.count(r.id) != 0) ++f.explained;
      else if (unreached(r, out_of_reach)) ++f.out_of_reach;
      else ++f.holes;
      break;
  }
}

// The first "+" line of a diff, without its '+': what the mutant wrote.
std::string first_added_line(const std::string& diff) {
  const std::size_t at = diff.find("\n+");
  if (at == std::string::npos) return {};
  const std::size_t end = diff.find('\n', at + 1);
  std::string line = diff.substr(at + 2, end == std::string::npos ? std::string::npos : end - at - 2);
  const std::size_t b = line.find_first_not_of(" \t");
  return b == std::string::npos ? line : line.substr(b);
}

std::string fence(const std::string& diff) { return "```diff\n" + diff + (diff.ends_with("\n") ? "" : "\n") + "```\n"; }

}  // namespace

namespace {

// "<key> <reason>" lines, blank lines and "#" comments skipped; a line
// without a reason, or whose key `key_problem` finds fault with, is an error
// naming the file and line.
bool parse_keyed_lines(const std::string& text, const std::string& path, const char* key_name,
                       const std::function<std::string(const std::string&)>& key_problem,
                       std::map<std::string, std::string>& out, std::string& error) {
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const std::size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    const std::size_t e = line.find_first_of(" \t", b);
    const std::size_t r = e == std::string::npos ? std::string::npos : line.find_first_not_of(" \t", e);
    if (r == std::string::npos) {
      error = path + ":" + std::to_string(line_no) + ": '" + line.substr(b) + "' has no reason (<" + key_name +
              "> <reason>)";
      return false;
    }
    const std::string key = line.substr(b, e - b);
    if (const std::string problem = key_problem(key); !problem.empty()) {
      error = path + ":" + std::to_string(line_no) + ": '" + key + "' " + problem;
      return false;
    }
    out[key] = line.substr(r);
  }
  return true;
}

}  // namespace

bool parse_allow_list(const std::string& text, const std::string& path, AllowList& out, std::string& error) {
  auto not_an_id = [](const std::string& id) -> std::string {
    return std::count(id.begin(), id.end(), ':') == 3 ? "" : "is not a mutant id (file:line:operator:index)";
  };
  return parse_keyed_lines(text, path, "mutant id", not_an_id, out.reason_by_id, error);
}

bool parse_out_of_reach(const std::string& text, const std::string& path, std::map<std::string, std::string>& out,
                        std::string& error) {
  return parse_keyed_lines(text, path, "function", [](const std::string&) { return std::string(); }, out, error);
}

Figures figures_of(const std::vector<MutantResult>& results, const AllowList& allow,
                   const std::map<std::string, std::string>& out_of_reach) {
  Figures f;
  for (const MutantResult& r : results) add(f, r, allow, out_of_reach);
  return f;
}

std::string render_report(const ReportInput& in) {
  std::ostringstream md;
  const Figures all = figures_of(in.results, in.allow, in.out_of_reach);
  md << "# Harness strength: mutation testing of the assembly\n\n"
     << "How many of the small bugs that the mutation operators of `mfh mutate` plant in `asm/` the harness "
        "catches, by which stage, and how fast. Regenerate with:\n\n```sh\n"
     << in.command << "\n```\n\n"
     << "Written " << in.date << " from " << all.checked << " checked mutants. " << in.coverage_note << "\n\n"
     << "Each mutant is one textual change of one line (a dropped push/pop pair removes the pops too), checked "
        "by assembling it on the spot (`mfh check`'s build, no CMake step) and running, cheapest first, until one "
        "stage diverges: the regression and seed corpora, RapidCheck rounds with fixed seeds, the code proof of "
        "its function (where `proofs/code/specs/code_proofs.list` has one), a short libFuzzer run from the "
        "seed corpus, and for `daemon_cleaner.s` the real-OS suite of `tests/daemon` linked with the mutant (the only "
        "stage that runs the functions of `harness/mutate/out_of_reach.list`, which fork, sleep and take signals; the "
        "simulated stages never call them and are skipped for them). A mutant whose assembled code (bytes and relocations) equals the original's is equivalent by "
        "construction; one that does not assemble is counted apart; one whose function's proof still holds meets "
        "the spec (proved). The kill rate is over the rest: killed / (killed + holes), where a hole is a survivor "
        "that is neither explained as equivalent (`harness/mutate/equivalent.list`, with the reason) nor out of reach "
        "(in a function of `harness/mutate/out_of_reach.list`, checked without the daemon stage); "
        "`harness/mutate/holes.list` holds "
        "notes on the holes, shown with them.\n\n";

  // Per file.
  std::set<std::string> files;
  for (const MutantResult& r : in.results) files.insert(r.file);
  for (const auto& [f, n] : in.generated) files.insert(f);
  md << "## Kill rate per file\n\n"
     << "| file | generated | checked | same code | build failed | proved | explained survivors | out of reach | killed "
        "| holes | kill rate |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const std::string& file : files) {
    std::vector<MutantResult> of;
    for (const MutantResult& r : in.results) {
      if (r.file == file) of.push_back(r);
    }
    const Figures f = figures_of(of, in.allow, in.out_of_reach);
    const auto g = in.generated.find(file);
    md << "| " << file << " | " << (g == in.generated.end() ? std::string("?") : std::to_string(g->second)) << " | "
       << f.checked << " | " << f.equivalent << " | " << f.build_failed << " | " << f.proved << " | " << f.explained
       << " | " << f.out_of_reach << " | " << f.killed << " | " << f.holes << " | "
       << percent(f.killed, f.killed + f.holes) << " |\n";
  }
  md << "| **all** | | " << all.checked << " | " << all.equivalent << " | " << all.build_failed << " | " << all.proved
     << " | " << all.explained << " | " << all.out_of_reach << " | " << all.killed << " | " << all.holes << " | **"
     << percent(all.killed, all.killed + all.holes) << "** |\n\n";

  // Per stage, and the time to kill.
  std::vector<double> to_kill, in_stage_all, cpu_to_kill, cpu_in_stages;
  // CPU times are known for results of v2 on (mutant_results.h); a "-"
  // where none of them is.
  auto cpu_figure = [](const std::vector<double>& times, bool the_worst) {
    return times.empty() ? std::string("-") : fixed(the_worst ? worst(times) : median(times)) + " s";
  };
  md << "## Kills per stage\n\nTime to kill is from the start of the mutant's check (its build included: about "
        "half a second) to the stage's verdict, in wall-clock time and in CPU time (user plus system time of "
        "every program the check ran: the build, the replays, the prover, the fuzzer, the tests; what the "
        "mutant costs whatever else the machine runs); executions are the stage's own (traces replayed, "
        "RapidCheck cases, fuzz runs, tests of `tests/daemon`) up to the kill.\n\n"
     << "| stage | killed | share of kills | median time to kill | worst | median CPU time to kill | worst | "
        "median executions |\n"
     << "|---|---|---|---|---|---|---|---|\n";
  for (const std::string& stage : kStageOrder) {
    std::vector<double> times, cpu_times, execs;
    for (const MutantResult& r : in.results) {
      if (r.outcome != Outcome::killed || r.stage != stage) continue;
      times.push_back(r.seconds);
      if (r.cpu_seconds >= 0) cpu_times.push_back(r.cpu_seconds);
      execs.push_back(static_cast<double>(r.executions));
    }
    to_kill.insert(to_kill.end(), times.begin(), times.end());
    cpu_to_kill.insert(cpu_to_kill.end(), cpu_times.begin(), cpu_times.end());
    md << "| " << stage << " | " << times.size() << " | " << percent(times.size(), all.killed) << " | "
       << fixed(median(times)) << " s | " << fixed(worst(times)) << " s | " << cpu_figure(cpu_times, false) << " | "
       << cpu_figure(cpu_times, true) << " | " << fixed(median(execs), 0) << " |\n";
  }
  for (const MutantResult& r : in.results) {
    if (r.outcome != Outcome::killed) continue;
    in_stage_all.push_back(r.seconds - r.build_seconds);
    if (r.cpu_seconds >= 0 && r.build_cpu_seconds >= 0) cpu_in_stages.push_back(r.cpu_seconds - r.build_cpu_seconds);
  }
  md << "\nOver every kill: median time to kill **" << fixed(median(to_kill)) << " s**, worst " << fixed(worst(to_kill))
     << " s (without the build: median " << fixed(median(in_stage_all)) << " s, worst " << fixed(worst(in_stage_all))
     << " s); median CPU time to kill **" << cpu_figure(cpu_to_kill, false) << "**, worst "
     << cpu_figure(cpu_to_kill, true) << " (without the build: median " << cpu_figure(cpu_in_stages, false)
     << ", worst " << cpu_figure(cpu_in_stages, true) << ")";
  if (!cpu_to_kill.empty() && cpu_to_kill.size() < to_kill.size())
    md << " (of the " << cpu_to_kill.size() << " kills whose CPU time was recorded)";
  md << ".\n\n";

  // Per operator.
  std::set<std::string> ops;
  for (const MutantResult& r : in.results) ops.insert(r.op);
  md << "## Per operator\n\n| operator | checked | same code | build failed | proved | killed | survivors | "
        "kill rate |\n|---|---|---|---|---|---|---|---|\n";
  for (const std::string& op : ops) {
    std::vector<MutantResult> of;
    for (const MutantResult& r : in.results) {
      if (r.op == op) of.push_back(r);
    }
    const Figures f = figures_of(of, in.allow, in.out_of_reach);
    md << "| " << op << " | " << f.checked << " | " << f.equivalent << " | " << f.build_failed << " | " << f.proved
       << " | " << f.killed << " | " << f.holes + f.explained + f.out_of_reach << " | "
       << percent(f.killed, f.killed + f.holes)
       << " |\n";
  }

  // Survivors.
  md << "\n## Survivors that are holes (not explained)\n\n";
  std::size_t n = 0;
  for (const MutantResult& r : in.results) {
    if (!is_hole(r, in.allow, in.out_of_reach)) continue;
    ++n;
    md << "### `" << r.id << "` (" << (r.function.empty() ? "outside a function" : r.function) << ")\n\n"
       << fence(r.diff) << "\n" << (r.detail.empty() ? "" : "Checks: " + r.detail + ".\n\n");
    if (const auto note = in.hole_notes.reason_by_id.find(r.id); note != in.hole_notes.reason_by_id.end()) {
      md << "Analysis: " << note->second << "\n\n";
    }
  }
  if (n == 0) md << "None.\n\n";
  md << "## Survivors explained as equivalent (`harness/mutate/equivalent.list`)\n\n";
  n = 0;
  for (const MutantResult& r : in.results) {
    if (r.outcome != Outcome::survived || in.allow.reason_by_id.count(r.id) == 0) continue;
    ++n;
    md << "### `" << r.id << "` (" << (r.function.empty() ? "outside a function" : r.function) << ")\n\n"
       << in.allow.reason_by_id.at(r.id) << "\n\n" << fence(r.diff) << "\n";
  }
  if (n == 0) md << "None.\n\n";
  md << "## Survivors out of the stages' reach (`harness/mutate/out_of_reach.list`)\n\n";
  n = 0;
  for (const auto& [function, why] : in.out_of_reach) {
    std::vector<std::string> ids;
    for (const MutantResult& r : in.results) {
      if (r.outcome == Outcome::survived && r.function == function && in.allow.reason_by_id.count(r.id) == 0 &&
          unreached(r, in.out_of_reach)) {
        ids.push_back(r.id);
      }
    }
    if (ids.empty()) continue;
    ++n;
    md << "- `" << function << "` (" << why << "): " << ids.size() << " survivors:";
    for (const std::string& id : ids) md << " `" << id << "`";
    md << "\n";
  }
  md << (n == 0 ? "None.\n\n" : "\n");
  md << "## Proved to meet the spec\n\nSurvivors of the dynamic stages whose function's code proof still holds. "
        "The proof shows they meet the function's spec, which can say less than the contract: code that its "
        "precondition makes unreachable (a failure path for a corrupt heap) or state it does not follow proves "
        "whatever it does, so a mutant here may still be a bug no check sees.\n\n";
  n = 0;
  for (const MutantResult& r : in.results) {
    if (r.outcome != Outcome::proved) continue;
    ++n;
    md << "- `" << r.id << "` (" << r.function << "): `" << first_added_line(r.diff) << "`\n";
  }
  if (n == 0) md << "None.\n";
  std::vector<std::string> stale;
  std::set<std::string> seen;
  for (const MutantResult& r : in.results) seen.insert(r.id);
  for (const auto& [id, reason] : in.allow.reason_by_id) {
    if (seen.count(id) == 0) stale.push_back(id);
  }
  if (!stale.empty()) {
    md << "\n## Allow-list entries not checked in this campaign\n\n";
    for (const std::string& id : stale) md << "- `" << id << "`\n";
  }
  return md.str();
}

}  // namespace mf::mutate
