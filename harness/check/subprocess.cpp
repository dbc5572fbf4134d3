#include "subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>

extern char** environ;

namespace mf::check {

namespace {

struct Running {
  pid_t pid = -1;
  int output_fd = -1;
  ProcessResult result;
};

Running start(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env) {
  Running r;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    r.result.started = false;
    r.result.output = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  for (const std::string& e : extra_env) env_strings.push_back(e);
  std::vector<char*> env;
  for (std::string& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);  // its own group: a timeout kills all of it
  posix_spawnattr_setpgroup(&attributes, 0);
  const int status = argv[0].find('/') == std::string::npos
                         ? posix_spawnp(&r.pid, argv[0].c_str(), &actions, &attributes, args.data(), env.data())
                         : posix_spawn(&r.pid, argv[0].c_str(), &actions, &attributes, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(pipe_fds[1]);
  if (status != 0) {
    ::close(pipe_fds[0]);
    r.result.started = false;
    r.result.output = "cannot run " + argv[0] + ": " + std::strerror(status);
    return r;
  }
  r.output_fd = pipe_fds[0];
  return r;
}

thread_local double cpu_seconds_here = 0;

double seconds_of(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

void finish(Running& r) {
  int status = 0;
  rusage usage{};
  while (::wait4(r.pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  r.result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.result.cpu_seconds = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
  cpu_seconds_here += r.result.cpu_seconds;
}

}  // namespace

double cpu_seconds_of_this_thread() { return cpu_seconds_here; }

ProcessResult run_process(const std::vector<std::string>& argv, double seconds,
                          const std::vector<std::string>& extra_env, double cpu_seconds) {
  Running r = start(argv, extra_env);
  if (!r.result.started) return r.result;
  if (cpu_seconds > 0) {
    // Set from here, just after the spawn: the limit counts all the CPU time
    // the process uses, the few microseconds before this call included.
    // SIGXCPU at the soft limit; SIGKILL a second later if it is caught.
    const auto soft = static_cast<rlim_t>(std::ceil(cpu_seconds));
    const rlimit limit{soft, soft + 1};
    if (::prlimit(r.pid, RLIMIT_CPU, &limit, nullptr) != 0) {
      ::kill(-r.pid, SIGKILL);
      r.result.output = std::string("prlimit: ") + std::strerror(errno) + "\n";
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  char buffer[65536];
  for (;;) {
    int wait_ms = -1;
    if (seconds > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        r.result.timed_out = true;
        ::kill(-r.pid, SIGKILL);
        break;
      }
      wait_ms = static_cast<int>(left.count());
    }
    pollfd p{r.output_fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline is checked above
    const ssize_t n = ::read(r.output_fd, buffer, sizeof buffer);
    if (n <= 0) break;  // every writer is gone
    r.result.output.append(buffer, static_cast<std::size_t>(n));
  }
  // Whatever is left after a kill, then the status.
  for (ssize_t n; (n = ::read(r.output_fd, buffer, sizeof buffer)) > 0;) r.result.output.append(buffer, static_cast<std::size_t>(n));
  ::close(r.output_fd);
  finish(r);
  r.result.out_of_cpu = cpu_seconds > 0 && (r.result.exit_code == 128 + SIGXCPU || r.result.exit_code == 128 + SIGKILL) &&
                        !r.result.timed_out;
  return r.result;
}

std::vector<ProcessResult> run_in_parallel(const std::vector<std::vector<std::string>>& commands) {
  std::vector<Running> running;
  for (const auto& argv : commands) running.push_back(start(argv, {}));
  for (Running& r : running) {
    if (!r.result.started) continue;
    char buffer[65536];
    for (ssize_t n; (n = ::read(r.output_fd, buffer, sizeof buffer)) > 0;) r.result.output.append(buffer, static_cast<std::size_t>(n));
    ::close(r.output_fd);
    finish(r);
  }
  std::vector<ProcessResult> results;
  for (Running& r : running) results.push_back(std::move(r.result));
  return results;
}

}  // namespace mf::check
