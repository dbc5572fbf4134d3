#include "daemon_stage.h"

#include <sstream>

namespace mf::mutate {

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

constexpr const char* kRun = "[ RUN      ] ";
constexpr const char* kOk = "[       OK ] ";
constexpr const char* kFailed = "[  FAILED  ] ";

// The test's name in an end line: "T (N ms)", or for a parameterized test
// "T, where GetParam() = ... (N ms)".  Empty for the summary's lines, which
// have no time.
std::string ended_name(const std::string& line, const char* prefix) {
  if (!starts_with(line, prefix) || !line.ends_with(" ms)")) return {};
  std::string name = line.substr(std::string(prefix).size());
  name = name.substr(0, name.rfind(" ("));
  if (const std::size_t where = name.find(", where "); where != std::string::npos) name.resize(where);
  return name;
}

bool failed(const DaemonRunResult& r) { return r.exit_code != 0 || r.timed_out; }

}  // namespace

std::string failing_test(const std::string& gtest_output) {
  std::istringstream in(gtest_output);
  std::string running;  // started, not yet ended
  for (std::string line; std::getline(in, line);) {
    if (const std::string f = ended_name(line, kFailed); !f.empty()) return f;
    if (starts_with(line, kRun)) running = line.substr(std::string(kRun).size());
    if (!ended_name(line, kOk).empty()) running.clear();
  }
  return running;
}

unsigned long long ended_tests(const std::string& gtest_output) {
  std::istringstream in(gtest_output);
  unsigned long long n = 0;
  for (std::string line; std::getline(in, line);) {
    if (!ended_name(line, kOk).empty() || !ended_name(line, kFailed).empty()) ++n;
  }
  return n;
}

std::string run_failure(const DaemonRunResult& result) {
  if (result.timed_out) {
    const std::string test = failing_test(result.output);
    return test.empty() ? "timed out" : "timed out in " + test;
  }
  std::istringstream in(result.output);
  for (std::string line; std::getline(in, line);) {
    if (starts_with(line, kFailed)) return line.substr(0, 300);
  }
  return "exit status " + std::to_string(result.exit_code);
}

DaemonPartVerdict judge_daemon_part(const DaemonRunner& run, const std::string& filter, double seconds,
                                    double part_seconds, const DaemonConfirmation& confirmation) {
  DaemonPartVerdict v;
  auto run_logged = [&](DaemonRun r) {
    v.runs.push_back(r);
    return run(r);
  };
  const DaemonRunResult first = run_logged({filter, 1, seconds});
  v.tests = ended_tests(first.output);
  if (!failed(first)) return v;

  const std::string scale = "waits x" + std::to_string(confirmation.time_scale);
  const std::string what = run_failure(first);
  const std::string test = failing_test(first.output);
  if (!test.empty()) {
    const DaemonRunResult alone =
        run_logged({test, confirmation.time_scale, confirmation.time_scale * confirmation.test_seconds});
    if (failed(alone)) {
      v.killed = true;
      v.detail = (what + "; again alone with " + scale + ": " + run_failure(alone)).substr(0, 400);
      return v;
    }
  }
  const DaemonRunResult whole = run_logged({filter, confirmation.time_scale, confirmation.time_scale * part_seconds});
  if (failed(whole)) {
    v.killed = true;
    v.detail = (what + "; " + (test.empty() ? "" : "passed alone, ") + "the part again with " + scale + ": " +
                run_failure(whole))
                   .substr(0, 400);
    return v;
  }
  // A failure that did not repeat with the waits multiplied: load, not the mutant.
  v.detail = ("not repeated with " + scale + ": " + what).substr(0, 300);
  return v;
}

}  // namespace mf::mutate
