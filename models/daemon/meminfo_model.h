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

// The line a meminfo_line op appends (harness/ops/op_table.h): the key
// (key % 8 picks MemTotal:, MemAvailable:, MemFree:, Buffers:, Memtotal:,
// " MemTotal:", MemTotal without its colon, or nothing), then the value in
// decimal, shaped by the bits of `format`: bits 0-1 the separator ("", " ",
// "\t", six spaces), bit 2 a " kB" suffix, bit 3 no newline at the end,
// bit 4 an "x" before the digits, bit 5 ten zeros after them (a value
// times 10^10, which may no longer fit in 64 bits), bit 6 a '-' before the
// digits (a byte below '0' where a digit must come), bit 7 no digits at all
// (a key followed by blanks only; with bit 3, at the very end of the file,
// where a parser that reads past the text finds whatever its buffer held),
// bit 8 a ':' right after the digits, or where they would be (the byte
// just above '9', as '-' is a byte below '0': a digit test that is one too
// wide takes it for a digit).
std::string meminfo_line(std::uint64_t key, std::uint64_t value, std::uint64_t format);
// A filler line of `bytes % 9000` bytes and its newline, to move the lines
// after it across the DAEMON_MEMINFO_MAX limit.
std::string meminfo_filler(std::uint64_t bytes);

// The percentage alone (0..100), or -1.
std::int64_t used_percent(std::string_view text);
MeminfoOutcome monitor_memory(const MeminfoInput& input);

}  // namespace mf::model::daemon
