// cleaner_model.h - daemon_clean_snapshots and daemon_clean_sandboxes as
// docs/spec.md defines them: which files a pass unlinks, which pids it
// signals, what it returns and logs, given what the directory holds and
// what the OS answers.
//
// The model takes the directory as a list of entries in the order the
// kernel lists them and reports its log in that order; callers that do not
// know the kernel's order compare the lines as a multiset.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cleaner_world.h"

namespace mf::model::daemon {

enum class PassKind { snapshots, sandboxes };

struct CleanerEnvironment {
  std::int64_t now = 0;  // the clock when the pass starts
  std::uint32_t uid = 0;  // the running user
  std::int64_t pid = 0;   // the cleaner's own pid
  std::int64_t snapshot_ttl = 300;
  std::int64_t sandbox_ttl = 60;
  std::int64_t pid_max = 4194304;
  std::map<std::int64_t, std::uint32_t> processes;  // pid -> owner
  std::set<std::int64_t> kill_fails;                // pids whose kill returns an error
};

struct PassOutcome {
  std::int64_t result = 0;            // files unlinked, or -1 (directory refused)
  std::vector<std::string> unlinked;  // names, in pass order
  std::vector<std::int64_t> signalled;  // pids kill(pid, SIGUSR2) was called on, in pass order (a refused kill too)
  std::vector<std::string> log;       // whole lines, newline included
};

PassOutcome clean_pass(PassKind kind, const MonitorDirectory& dir, const CleanerEnvironment& env);

// The value of a canonical decimal below 2^63 (digits only, at least one,
// no leading zero unless it is "0"), or nullopt.
std::optional<std::int64_t> parse_canonical(std::string_view text);

}  // namespace mf::model::daemon
