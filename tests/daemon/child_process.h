// child_process.h - the processes the daemon tests make: a guarded child
// that runs a call of the code under test (so that a stray signal, a crash
// or a pass that blocks cannot take the test process with it), and the
// pausing children that stand for sandboxes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kill_guard.h"
#include "time_scale.h"

namespace daemon_test {

// What became of a call run by call_guarded.
struct GuardedCall {
  bool completed = false;  // the body returned and the child exited by itself
  bool timed_out = false;  // killed after the timeout
  int wait_status = 0;
  std::int64_t result = 0;  // the body's return value
  std::string note;         // what the body wrote for the test (a violation, say)
  std::vector<KillAttempt> blocked_kills;
  std::string describe() const;
};

// The body runs in a forked child with the kill guard installed (signals
// reach only `may_signal`); it must not use gtest assertions, only report
// through its result and `note`.  A child still running after the timeout
// is killed (SIGKILL) and reported as timed out.
using GuardedBody = std::function<std::int64_t(std::string& note)>;
GuardedCall call_guarded(const GuardedBody& body, const std::vector<pid_t>& may_signal = {},
                         std::chrono::milliseconds timeout = scaled(std::chrono::seconds(10)));

// A child of the test process that waits in pause() until a signal ends it
// (SIGUSR2 keeps its default action: terminate).  It dies with the test
// process (PR_SET_PDEATHSIG) if that ends first.
pid_t spawn_pausing_child();

// The same, running as uid:gid (root only); returns once the child has
// changed user and made itself dumpable, so that /proc/<pid> is owned by
// uid (a process that changed its euid is otherwise not dumpable, and the
// kernel then shows its /proc directory as root's).  -1 on failure.
pid_t spawn_pausing_child_as(uid_t uid, gid_t gid);

// A pid that no process holds right now: the pid of a child just reaped.
pid_t pid_of_no_process();

// The exit status of child `pid` if it ends within `within` (reaped), or
// nothing (still running).
std::optional<int> wait_for_exit(pid_t pid, std::chrono::milliseconds within);

// SIGKILL and reap, for cleanup; a pid already reaped is ignored.
void kill_and_reap(pid_t pid);

// Clears the calling process's capability sets (root then obeys file
// permissions like anyone else).  False on failure.
bool drop_all_capabilities();

// The owner of /proc/<pid>, or -1 when there is no such directory.
long proc_owner(pid_t pid);

}  // namespace daemon_test
