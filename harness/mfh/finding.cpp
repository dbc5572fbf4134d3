#include "finding.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "child_wire.h"
#include "minimizer.h"
#include "observed_trace.h"
#include "text_format.h"

namespace mf::mfh {

namespace {

struct SimulatedRun {
  std::optional<runner::RunResult> result;  // unset: hung or died
  bool hung = false;
  std::string failure;
};

// The simulated run in a forked child, its result back over a pipe.  The
// child is killed when it has not finished within `seconds`.
SimulatedRun run_simulated_guarded(const ops::Trace& trace, unsigned seconds) {
  SimulatedRun out;
  int fds[2];
  if (pipe(fds) != 0) {
    out.failure = std::string("pipe: ") + std::strerror(errno);
    return out;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    out.failure = std::string("fork: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return out;
  }
  if (pid == 0) {
    close(fds[0]);
    runner::RunOptions options;
    options.mode = runner::OsMode::simulated;
    options.record_observed = true;
    options.catch_faults = true;
    const runner::RunResult r = runner::run_trace(trace, options);
    runner::WireOut wire;
    for (std::size_t i = 0; i < r.observed.size(); ++i) runner::put_expectation(wire, i, r.observed[i]);
    runner::put_result(wire, r);
    const std::string& bytes = wire.bytes();
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = write(fds[1], bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) _exit(3);
      done += static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string bytes;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      out.hung = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline check above ends it
    char buf[65536];
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  if (out.hung) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (out.hung) return out;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    out.failure = WIFSIGNALED(status) ? "the simulated run was killed by signal " + std::to_string(WTERMSIG(status))
                                      : "the simulated run exited with status " + std::to_string(WEXITSTATUS(status));
    return out;
  }
  runner::WireIn in(bytes);
  runner::RunResult r;
  bool have_result = false;
  while (in.more() && in.ok()) {
    const std::uint8_t kind = in.u8();
    if (kind == 'O') {
      const std::size_t index = in.u64();
      const ops::Expectation e = runner::get_expectation(in);
      if (r.observed.size() <= index) r.observed.resize(index + 1);
      r.observed[index] = e;
    } else if (kind == 'R') {
      runner::get_result(in, r);
      have_result = in.ok();
    } else {
      break;
    }
  }
  if (!have_result) {
    out.failure = "the simulated run's result could not be read back";
    return out;
  }
  out.result = std::move(r);
  return out;
}

// The ops the contract leaves undefined are skipped by a binary replay but
// make a text trace invalid: a regression trace must not have them.
ops::Trace without_skipped_ops(const ops::Trace& trace, const runner::RunResult& run) {
  ops::Trace kept;
  kept.target = trace.target;
  const std::size_t last = run.divergence ? run.divergence->op_index : trace.ops.size();
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    const bool seen = i < run.observed.size() && run.observed[i].kind != ops::Expectation::Kind::none;
    const bool skipped = !seen && i < last && !trace.ops[i].info().control;
    if (!skipped) kept.ops.push_back(trace.ops[i]);
  }
  return kept;
}

}  // namespace

std::string regression_text(const ops::Trace& trace, const runner::RunResult& run,
                            const runner::DivergenceSignature& signature) {
  std::string text = observed_trace_text(trace, run);
  // After the header line, which must stay first.
  const std::size_t header_end = text.find('\n') + 1;
  text.insert(header_end, "# signature: " + runner::to_string(signature) + "\n");
  return text;
}

Examined examine(const ops::Trace& trace, const ExamineOptions& options) {
  Examined e;
  e.original_ops = trace.ops.size();
  SimulatedRun simulated = run_simulated_guarded(trace, options.seconds);
  e.hung_in_simulation = simulated.hung;
  e.simulation_failure = simulated.failure;
  if (simulated.result) e.run = std::move(*simulated.result);
  const bool diverged_simulated = simulated.result && e.run.verdict == runner::Verdict::diverged;
  if (!diverged_simulated && options.try_native && runner::mode_available(runner::OsMode::native)) {
    runner::RunOptions native;
    native.mode = runner::OsMode::native;
    native.record_observed = true;
    native.child_timeout_seconds = options.seconds;
    runner::RunResult r = runner::run_trace(trace, native);
    if (r.verdict == runner::Verdict::diverged || !simulated.result) {
      e.run = std::move(r);
      e.mode = runner::OsMode::native;
    }
  }
  if (e.run.verdict != runner::Verdict::diverged) return e;
  e.signature = runner::divergence_signature(trace.target, *e.run.divergence);

  // The regression trace: minimised where the divergence shows in simulated
  // mode (the minimiser runs there, in process); otherwise the trace as run.
  ops::Trace cleaned = without_skipped_ops(trace, e.run);
  if (e.mode == runner::OsMode::simulated) {
    std::string error;
    MinimizeLimits limits;
    limits.max_runs = options.max_minimize_runs;
    if (std::optional<Minimized> m = minimize_trace(cleaned, limits, error); m && m->signature == *e.signature) {
      e.regression_trace = regression_text(m->trace, m->run, *e.signature);
      e.regression_ops = m->trace.ops.size();
      e.minimised = true;
    } else {
      e.regression_problem = "not minimised: " + (m ? "the minimiser ended on another signature" : error);
    }
  } else {
    e.regression_problem = "not minimised: the divergence shows only in native mode";
  }
  if (!e.minimised) {
    e.regression_trace = regression_text(cleaned, e.run, *e.signature);
    e.regression_ops = cleaned.ops.size();
  }
  // It must read back as a text trace and diverge the same way, as it will
  // in corpus/regressions/ until the bug is fixed.
  ops::TextReadResult back = ops::read_text_trace(e.regression_trace);
  if (!back.trace) {
    e.regression_problem += (e.regression_problem.empty() ? "" : "; ") +
                            std::string("the regression trace does not read back: ") + ops::to_string(back.error);
    return e;
  }
  runner::RunOptions check;
  check.mode = e.mode;
  check.unsafe_is_invalid = true;
  check.child_timeout_seconds = options.seconds;
  const runner::RunResult again = runner::run_trace(*back.trace, check);
  if (again.verdict != runner::Verdict::diverged ||
      runner::divergence_signature(trace.target, *again.divergence) != *e.signature) {
    e.regression_problem += (e.regression_problem.empty() ? "" : "; ") +
                            std::string("the regression trace does not diverge the same way when replayed");
  }
  return e;
}

}  // namespace mf::mfh
