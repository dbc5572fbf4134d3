// cleaner_world.h - the monitor directory and the processes as the OS shows
// them to the daemon cleaner.  The simulated OS serves it and the model
// reads it (each keeps one in its OsRules); the daemon target's control ops
// build it, and a successful unlink removes an entry from it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "layout.h"

namespace mf::model::daemon {

// What an entry is on disk.  Its d_type is what getdents64 reports, which a
// file system may leave unknown (then the open and fstat decide).
enum class FileKind { regular, directory, symlink, fifo };
enum class DirentType { unknown, regular, directory, symlink, fifo };

struct Entry {
  std::string name;
  FileKind kind = FileKind::regular;
  DirentType d_type = DirentType::regular;
  std::string content;        // what a read returns (a symlink's: its target's, a regular file)
  bool open_fails = false;    // the open is refused whatever the kind
  bool fstat_fails = false;   // fstat of the opened entry returns an error
  bool read_fails = false;    // a read returns an error
  // With read_fails: the first read that fails, 0 or 1 (then every later
  // one fails too).  The model need not tell them apart: after a first read
  // that succeeds the cleaner reads again and meets the error, unless that
  // read gave end of file (an empty file) or DAEMON_CONTENT_MAX bytes (too
  // long for a timestamp): no valid timestamp in every case.
  std::uint64_t read_fails_from = 0;
  bool unlink_fails = false;  // unlinkat returns an error
};

struct MonitorDirectory {
  std::string path;          // daemon_monitor_dir, for the log
  bool opens = true;         // exists, is a directory, is no symlink
  std::uint32_t uid = 0;     // its owner
  std::uint32_t mode = 0700;
  bool fstat_fails = false;  // fstat of the opened directory returns an error
  std::vector<Entry> entries;  // in the order getdents64 lists them
  // The directory read fails once this many entries have been listed
  // (getdents64 error); never when there are fewer entries.
  std::optional<std::size_t> unreadable_after;
  // getdents64 lists, after the last entry, a record of 20 bytes (the least
  // docs/spec.md accepts) whose name is empty: a name of neither kind, so the
  // model, which sees only entries, ignores it as the contract does.
  bool ends_with_empty_name = false;
};

// The simulated OS's cleaner world: the directory at the default path, and
// the processes /proc shows.
struct CleanerWorld {
  static constexpr std::int64_t kOwnPid = 4242;        // the cleaner: the simulated process
  static constexpr std::uint32_t kOwnUid = 1000;       // the running user
  static constexpr std::uint32_t kOtherUid = 1001;
  static constexpr std::int64_t kLiveProcess = 5000;   // the running user's
  static constexpr std::int64_t kForeignProcess = 5001;  // another user's
  static constexpr std::int64_t kNoProcess = 5002;
  static constexpr std::int64_t kUnkillableProcess = 5003;  // the running user's; kill fails
  static constexpr const char* kDefaultDirPath = "/tmp/morph_swap_monitor";  // daemon_monitor_dir's default
  // The running user's, with seven digits (the default pid_max is 4194304):
  // the others have four, so a /proc/<pid> path cut short or run on past
  // its digits names no process only for this one.
  static constexpr std::int64_t kLongPidProcess = 4194303;

  CleanerWorld();
  MonitorDirectory dir;
  bool dir_is_symlink = false;  // a symlink to a directory of dir's owner and mode: opens only when followed
  std::map<std::int64_t, std::uint32_t> processes;  // pid -> owner
  std::set<std::int64_t> kill_fails;
  std::uint64_t batch = 0;  // entries per getdents64 call at most (0: as many as fit)
  // The cleaner's configuration globals the harness sets before each pass
  // (daemon_config): the defaults of asm/layout.inc until then.
  std::int64_t snapshot_ttl = layout::DAEMON_SNAPSHOT_TTL;
  std::int64_t sandbox_ttl = layout::DAEMON_SANDBOX_TTL;
  std::int64_t pid_max = layout::DAEMON_PID_MAX;
  // daemon_log_fd: stderr (DAEMON_LOG_FD, 2), whose lines the simulated OS
  // keeps, or a negative value: no log, and no write at all.
  std::int64_t log_fd = layout::DAEMON_LOG_FD;
  // daemon_mem_threshold, set before each memory check (meminfo_threshold).
  std::int64_t mem_threshold = layout::DAEMON_MEM_THRESHOLD;
  // The stack below each memory check holds zeros, as a new process's
  // stack does, instead of the call boundary's pattern (zeroed_stack): a
  // slot the monitor reads before it writes it must not decide anything
  // over either.  The model's answer does not depend on it.
  bool zeroed_stack = false;
  // Or, when not 0, every quad below each memory check holds the address
  // this many bytes below the call (stack_addresses): the stack an earlier,
  // deeper call left full of pointers into its own frame, so that a slot
  // read before it is written holds a plausible pointer, for one depth
  // exactly the monitor's own buffer.  A multiple of 16 below 1 MiB.
  std::uint64_t stack_address_depth = 0;

  // The entry of that name, or nullptr.
  Entry* find(const std::string& name);
  const Entry* find(const std::string& name) const;
  // Adds the entry, or replaces the one of its name (in its place).
  void put(Entry entry);
  bool erase(const std::string& name);
};

}  // namespace mf::model::daemon
