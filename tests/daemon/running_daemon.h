// running_daemon.h - the fixture of the tests that start the real daemon
// (daemon_start forks it from the test process itself, which must be its
// parent to reap it).  The test process therefore carries the kill guard
// against broadcasts, inherited by the daemon; TearDown kills and reaps
// every daemon and anything left in its session, even after a failure.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cleaner_fixture.h"
#include "time_scale.h"

namespace daemon_test {

// The session id of a process (field 6 of /proc/<pid>/stat), if it exists.
std::optional<pid_t> session_of(pid_t pid);
// Every process whose session id is `sid`.
std::vector<pid_t> session_members(pid_t sid);

class RunningDaemonTest : public CleanerTest {
 protected:
  void SetUp() override;
  void TearDown() override;
  ~RunningDaemonTest() override;  // when TearDown did not run

  // daemon_start, with a started daemon remembered for TearDown.
  std::int64_t start();
  // SIGTERM, then its exit status if it ends within `within`.
  std::optional<int> stop(pid_t daemon, std::chrono::milliseconds within = scaled(std::chrono::seconds(5)));
  // Polls until the monitor entry `name` is gone.
  bool becomes_absent(const std::string& name, std::chrono::milliseconds within = scaled(std::chrono::seconds(3)));
  // Polls until the log holds the whole line `line` (plain ASCII).
  bool log_gets(const std::string& line, std::chrono::milliseconds within = scaled(std::chrono::seconds(3)));
  // Puts an expired snapshot and waits for the daemon to remove it: after
  // that, the daemon has run a pass, so its SIGTERM handler is in place.
  bool passes_a_round(const std::string& name);

  std::vector<pid_t> daemons_;

 private:
  void stop_all_daemons();
};

}  // namespace daemon_test
