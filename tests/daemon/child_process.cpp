#include "child_process.h"

#include <grp.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>

namespace daemon_test {

namespace {

// Written by the guarded child, read by the test after the child ended.
struct SharedOutcome {
  int finished;
  std::int64_t result;
  char note[4096];
};

std::string status_text(int status) {
  if (WIFEXITED(status)) return "exited " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
                                  strsignal(WTERMSIG(status)) + ")";
  return "status " + std::to_string(status);
}

// Ends the child at once if the test process dies first, so that no test
// leaves a process behind; then checks the parent did not die before that.
void die_with_parent(pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);
}

[[noreturn]] void pause_forever() {
  for (;;) pause();
}

}  // namespace

std::string GuardedCall::describe() const {
  std::string out = "guarded call: ";
  if (timed_out) {
    out += "timed out (blocked?)";
  } else {
    out += status_text(wait_status);
  }
  out += completed ? ", completed, result " + std::to_string(result) : ", did not complete";
  if (!note.empty()) out += ", note: " + note;
  if (!blocked_kills.empty()) out += "\n" + daemon_test::describe(blocked_kills);
  return out;
}

GuardedCall call_guarded(const GuardedBody& body, const std::vector<pid_t>& may_signal,
                         std::chrono::milliseconds timeout) {
  GuardedCall call;
  reset_kill_record();
  void* page = mmap(nullptr, sizeof(SharedOutcome), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) {
    call.note = "mmap failed";
    return call;
  }
  auto* outcome = static_cast<SharedOutcome*>(page);
  std::memset(outcome, 0, sizeof(*outcome));

  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child == 0) {
    die_with_parent(parent);
    const std::string error = install_kill_guard_allowing_only(may_signal);
    if (!error.empty()) {
      std::snprintf(outcome->note, sizeof(outcome->note), "kill guard: %s", error.c_str());
      _exit(2);  // never run the body unguarded
    }
    std::string note;
    outcome->result = body(note);
    std::snprintf(outcome->note, sizeof(outcome->note), "%s", note.c_str());
    outcome->finished = 1;
    _exit(0);  // not exit(): no atexit handlers of gtest in the child
  }
  if (child < 0) {
    call.note = std::string("fork: ") + std::strerror(errno);
    munmap(page, sizeof(SharedOutcome));
    return call;
  }

  const std::optional<int> status = wait_for_exit(child, timeout);
  if (status) {
    call.wait_status = *status;
  } else {
    call.timed_out = true;
    kill_and_reap(child);
  }
  call.completed = status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0 && outcome->finished == 1;
  call.result = outcome->result;
  call.note = outcome->note;
  call.blocked_kills = recorded_kill_attempts();
  munmap(page, sizeof(SharedOutcome));
  return call;
}

pid_t spawn_pausing_child() {
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child == 0) {
    die_with_parent(parent);
    pause_forever();
  }
  return child;
}

pid_t spawn_pausing_child_as(uid_t uid, gid_t gid) {
  int ready[2];
  if (pipe(ready) != 0) return -1;
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child == 0) {
    close(ready[0]);
    const bool changed = setgroups(0, nullptr) == 0 && setresgid(gid, gid, gid) == 0 &&
                         setresuid(uid, uid, uid) == 0 && prctl(PR_SET_DUMPABLE, 1) == 0;
    // Changing credentials cleared the parent-death signal: set it now.
    die_with_parent(parent);
    const char answer = changed ? 'y' : 'n';
    if (write(ready[1], &answer, 1) != 1 || !changed) _exit(1);
    close(ready[1]);
    pause_forever();
  }
  close(ready[1]);
  char answer = 0;
  const bool ok = child > 0 && read(ready[0], &answer, 1) == 1 && answer == 'y';
  close(ready[0]);
  if (!ok) {
    if (child > 0) kill_and_reap(child);
    return -1;
  }
  return child;
}

pid_t pid_of_no_process() {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    if (child < 0) return -1;
    int status = 0;
    waitpid(child, &status, 0);
    if (proc_owner(child) == -1) return child;
  }
  return -1;
}

std::optional<int> wait_for_exit(pid_t pid, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    int status = 0;
    const pid_t got = waitpid(pid, &status, WNOHANG);
    if (got == pid) return status;
    if (got < 0 && errno != EINTR) return std::nullopt;  // not our child, or already reaped
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void kill_and_reap(pid_t pid) {
  if (pid <= 1) return;  // never a broadcast, whatever a caller passes
  // Only a child not yet reaped: its pid cannot have been reused, while a
  // reaped one's may belong to anybody by now.
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return;
  if (info.si_pid != pid) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

bool drop_all_capabilities() {
  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  return syscall(SYS_capset, &header, data) == 0;
}

long proc_owner(pid_t pid) {
  struct stat st {};
  const std::string path = "/proc/" + std::to_string(pid);
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<long>(st.st_uid);
}

}  // namespace daemon_test
