#include "forked_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "child_wire.h"
#include "exit_message.h"
#include "os_binding.h"
#include "session_impl.h"
#include "text_format.h"

namespace mf::runner {

namespace {

// Written by the child, read by the parent after the child is gone: where
// the run was when the SUT ended the process.
struct Progress {
  volatile std::uint64_t op_index;
  volatile std::int32_t in_sut;         // 1 from just before a SUT call until its op is recorded
  volatile std::int32_t expected_exit;  // the model's exit code for that call, -1 for "returns"
  volatile std::uint64_t ops_run;
  volatile std::uint64_t ops_skipped;
};

void write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the parent is gone: nobody to tell
    done += static_cast<std::size_t>(n);
  }
}

// The child's side: progress into shared memory, outcomes down the pipe in
// batches.  A batch is flushed before every call the model expects to exit,
// so that the outcomes before it survive the exit.
class PipeChannel final : public ChildChannel {
 public:
  PipeChannel(int fd, Progress* progress, bool send_observed)
      : fd_(fd), progress_(progress), send_observed_(send_observed) {}

  void before_sut(std::size_t index, int expected_exit) override {
    if (expected_exit >= 0) flush();
    progress_->op_index = index;
    progress_->expected_exit = expected_exit;
    progress_->in_sut = 1;
  }
  void observed(std::size_t index, const ops::Expectation& what) override {
    progress_->in_sut = 0;
    if (what.kind == ops::Expectation::Kind::none) {
      progress_->ops_skipped = progress_->ops_skipped + 1;
    } else {
      progress_->ops_run = progress_->ops_run + 1;
    }
    if (!send_observed_) return;
    put_expectation(out_, index, what);
    if (out_.bytes().size() > 16384) flush();
  }
  void finish(const RunResult& result) {
    put_result(out_, result);
    flush();
  }

 private:
  void flush() {
    write_all(fd_, out_.bytes());
    out_.bytes().clear();
  }
  int fd_;
  Progress* progress_;
  bool send_observed_;
  WireOut out_;
};

[[noreturn]] void child_main(const ops::Trace& trace, const RunOptions& options, int result_fd, int stderr_fd,
                             Progress* progress) {
  dup2(stderr_fd, 2);
  close(stderr_fd);
  PipeChannel channel(result_fd, progress, options.record_observed);
  RunResult result;
  try {
    Session::Impl session(trace.target, options, &channel);
    for (const ops::Op& op : trace.ops) {
      const StepStatus status = session.step(op);
      if (status != StepStatus::ok && status != StepStatus::skipped) break;
    }
    result = session.finish();
  } catch (const std::exception& e) {
    result.verdict = Verdict::invalid;
    result.invalid_reason = std::string("native run failed: ") + e.what();
  }
  result.observed.clear();  // already sent one by one
  channel.finish(result);
  _exit(0);
}

// Reads both pipes to their end (the child may fill either first), or until
// the deadline; returns false when the deadline passed first.
bool drain(int result_fd, int stderr_fd, std::string& results, std::string& captured, unsigned timeout_seconds) {
  constexpr std::size_t kStderrCap = 64 * 1024;
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  pollfd fds[2] = {{result_fd, POLLIN, 0}, {stderr_fd, POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    const int ready = poll(fds, 2, static_cast<int>(left));
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (ready == 0) return false;
    for (pollfd& p : fds) {
      if (p.fd < 0 || p.revents == 0) continue;
      const ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        p.fd = -1;
        --open_fds;
        continue;
      }
      std::string& sink = p.fd == result_fd ? results : captured;
      if (&sink == &results || captured.size() < kStderrCap) sink.append(buf, static_cast<std::size_t>(n));
    }
  }
  return true;
}

std::string signal_name(int sig) {
  const char* name = strsignal(sig);
  return "signal " + std::to_string(sig) + (name != nullptr ? std::string(" (") + name + ")" : "");
}

// The SUT ended the child (or never returned): decide from the progress record.
void judge_child_end(const ops::Trace& trace, const Progress& progress, int status, bool timed_out,
                     unsigned timeout_seconds, const std::string& captured, RunResult& result) {
  result.ops_run = progress.ops_run;
  result.ops_skipped = progress.ops_skipped;
  if (timed_out) {
    if (progress.in_sut == 0) {
      result.verdict = Verdict::invalid;
      result.invalid_reason = "the run took over " + std::to_string(timeout_seconds) + " s outside the SUT";
      return;
    }
    Divergence d;
    d.op_index = progress.op_index;
    d.op_text = ops::format_op(trace.ops[progress.op_index]);
    d.what = "the SUT did not return within " + std::to_string(timeout_seconds) + " s";
    d.expected = progress.expected_exit < 0 ? "returns" : "exit " + std::to_string(progress.expected_exit);
    d.actual = "still running; killed";
    result.verdict = Verdict::diverged;
    result.divergence = std::move(d);
    return;
  }
  if (progress.in_sut == 0) {
    result.verdict = Verdict::invalid;
    result.invalid_reason = "the native child ended outside a SUT call (" +
                            (WIFSIGNALED(status) ? signal_name(WTERMSIG(status))
                                                 : "exit status " + std::to_string(WEXITSTATUS(status))) +
                            "): a harness failure";
    return;
  }
  const std::size_t index = progress.op_index;
  const ops::Op& op = trace.ops[index];
  const int expected = progress.expected_exit;
  std::string actual;
  if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    if (code == expected) {
      std::optional<std::string> problem = exit_message_problem(captured, code, op.info().panic_names);
      if (!problem) {
        result.ops_run = progress.ops_run + 1;
        result.exit_code = code;
        result.exit_op = index;
        if (result.observed.size() <= index) result.observed.resize(index + 1);
        result.observed[index] = ops::Expectation::exits(code);
        return;
      }
      actual = *problem;
    } else {
      actual = "exit " + std::to_string(code);
    }
  } else {
    actual = "killed by " + signal_name(WTERMSIG(status));
  }
  if (!captured.empty()) actual += ", stderr: " + captured.substr(0, 200);
  while (!actual.empty() && actual.back() == '\n') actual.pop_back();
  Divergence d;
  d.op_index = index;
  d.op_text = ops::format_op(op);
  d.what = expected < 0 ? "the SUT ended the process where the contract says it returns"
                        : (WIFEXITED(status) && WEXITSTATUS(status) == expected ? "the exit message is wrong"
                                                                                : "the SUT did not exit as the contract says");
  d.expected = expected < 0 ? "returns" : "exit " + std::to_string(expected);
  d.actual = actual;
  d.sut_state = "  (the process has ended; no state to show)\n";
  result.verdict = Verdict::diverged;
  result.divergence = std::move(d);
}

RunResult invalid_result(std::string reason) {
  RunResult r;
  r.verdict = Verdict::invalid;
  r.invalid_reason = std::move(reason);
  return r;
}

}  // namespace

RunResult run_forked(const ops::Trace& trace, const RunOptions& options) {
  if (!mode_available(options.mode)) {
    return invalid_result("this mode is not linked into this program (native mode needs mf_sut_switch)");
  }
  void* shared = mmap(nullptr, sizeof(Progress), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) return invalid_result("cannot map the progress record");
  auto* progress = new (shared) Progress{0, 0, -1, 0, 0};
  int result_pipe[2];
  int stderr_pipe[2];
  if (pipe2(result_pipe, O_CLOEXEC) != 0 || pipe2(stderr_pipe, O_CLOEXEC) != 0) {
    munmap(shared, sizeof(Progress));
    return invalid_result("cannot create pipes");
  }
  std::fflush(nullptr);  // or the child's _exit path could duplicate buffered output
  const pid_t pid = fork();
  if (pid == 0) {
    close(result_pipe[0]);
    close(stderr_pipe[0]);
    child_main(trace, options, result_pipe[1], stderr_pipe[1], progress);
  }
  close(result_pipe[1]);
  close(stderr_pipe[1]);
  RunResult result;
  if (pid < 0) {
    close(result_pipe[0]);
    close(stderr_pipe[0]);
    munmap(shared, sizeof(Progress));
    return invalid_result("fork failed");
  }
  std::string messages;
  std::string captured;
  const bool in_time = drain(result_pipe[0], stderr_pipe[0], messages, captured, options.child_timeout_seconds);
  if (!in_time) kill(pid, SIGKILL);
  close(result_pipe[0]);
  close(stderr_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  bool finished = false;
  WireIn in(messages);
  while (in.more() && in.ok()) {
    const std::uint8_t kind = in.u8();
    if (kind == 'O') {
      const std::uint64_t index = in.u64();
      ops::Expectation e = get_expectation(in);
      if (!in.ok() || index >= trace.ops.size()) break;
      if (result.observed.size() <= index) result.observed.resize(index + 1);
      result.observed[index] = e;
    } else if (kind == 'R') {
      get_result(in, result);
      finished = in.ok();
    } else {
      break;
    }
  }
  const bool clean_end = in_time && WIFEXITED(status) && WEXITSTATUS(status) == 0 && finished;
  if (!clean_end) {
    judge_child_end(trace, *progress, status, !in_time, options.child_timeout_seconds, captured, result);
  }
  if (!options.record_observed) result.observed.clear();
  munmap(shared, sizeof(Progress));
  return result;
}

}  // namespace mf::runner
