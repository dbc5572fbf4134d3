// meminfo_model.h - daemon_monitor_memory as docs/spec.md defines it: the
// used percentage from a /proc/meminfo-like text, and the log line it
// writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mf::model::daemon {

struct MeminfoInput {
  std::string path;                 // daemon_meminfo_path, for the log
  std::optional<std::string> text;  // the file's bytes; nullopt: cannot be opened or read
  std::int64_t threshold = 0;       // daemon_mem_threshold
};

struct MeminfoOutcome {
  std::int64_t result = -1;
  std::vector<std::string> log;  // whole lines, newline included
};

// The percentage alone (0..100), or -1.
std::int64_t used_percent(std::string_view text);
MeminfoOutcome monitor_memory(const MeminfoInput& input);

}  // namespace mf::model::daemon
