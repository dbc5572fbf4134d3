// kill_guard.h - a seccomp filter that stops the code under test from
// signalling processes the test did not mean it to.
//
// The cleaner sends SIGUSR2 to the pid a file name holds, and the tests run
// as root: a wrong implementation that turns `sandbox_4294967295` into
// kill(-1, SIGUSR2) would signal every process on the machine.  So every
// call that could signal runs in a process that first installs this guard.
// A guarded kill/tkill/tgkill/rt_(tg)sigqueueinfo/pidfd_send_signal is not
// executed: it traps (SIGSYS), the handler records the attempt in memory
// shared with the test process and makes the call return -EPERM.  The test
// then fails on any recorded attempt it did not expect.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace daemon_test {

struct KillAttempt {
  long syscall_number = 0;
  long target = 0;  // the first argument, as the kernel's 32-bit pid_t
  long signal = 0;
};

// Creates the shared record (once per process, before any fork: the
// mapping must be inherited) and empties it.
void reset_kill_record();

// Every attempt recorded since the last reset, by this process or any
// process forked from it after the record was created.
std::vector<KillAttempt> recorded_kill_attempts();

// One line per attempt, for failure messages.
std::string describe(const std::vector<KillAttempt>& attempts);

// Installs the guard in the calling process, irreversibly (it is inherited
// by every child).  Signals go through only to the pids in `allowed`; every
// other target (a pid <= 1, a process group, an unlisted pid) is recorded
// and refused.  Returns an error message, empty on success.
std::string install_kill_guard_allowing_only(const std::vector<pid_t>& allowed);

// The weaker guard for a process that must keep signalling its own
// children (the daemon_start tests): refuses and records only the targets
// that reach more than one process or init, i.e. a first argument that as
// a 32-bit int is <= 1 (0: the caller's group, -1: everyone, -n: group n).
std::string install_kill_guard_against_broadcasts();

}  // namespace daemon_test
