// world_ops.h - what the daemon target's control ops (harness/ops/op_table.h)
// put in the cleaner's world, written once for the simulated OS and the
// model: every operand is a number, and any number means something.
#pragma once

#include <cstdint>

#include "cleaner_world.h"

namespace mf::model::daemon {

// dir_entry's entry.  `name` % 3 picks the kind of name (snapshot_<s>,
// sandbox_<pid>, or neither) and name / 3 one of a table of each: suffixes
// with spaces, newlines, backslashes, non-ASCII, control bytes (the last
// ones the log escapes, 0x18 and 0x1f) and a 240-byte one; pids of the
// cleaner itself, of a live process of the running user, of another user's,
// of none, of one whose kill fails, 2 (the smallest a pass may signal), and
// texts that are no pid (0, 1, -1, 007, 4294967295, 2^31, pid_max + 1,
// 2^64 + 5, whose digits wrap to 5 in a parser that misses the overflow, ...,
// 2^31 - 1, the largest pid below 2^31, and last 499:, which a parser that
// takes ':' for a digit worth 10 reads as 5000);
// and names of neither kind ("snapshot_", "sandbox", "other", ".hidden",
// ten of 255 bytes, enough to fill a whole batch of the cleaner's
// directory reads, and "snapshots_a", which leaves the prefix "snapshot_" at
// its last byte).  `content` & 7 picks
// the content's form, of the time now - age: plain, with a newline, a
// leading zero, a trailing x, empty, "abc", two newlines, or 25 digits (40
// with bit 3); the
// age is content >> 4, or with bit 3 set the TTL of the name's kind plus
// (content >> 4) % 5 - 2, so that generated ages often fall on the TTL's
// edge.  `shape`'s bits 0-2 pick the kind and the d_type (regular,
// directory, symlink, FIFO, each with its type or unknown), bit 3 makes the
// open fail, bit 4 the read, bit 5 the unlink, bit 6 the fstat, bit 7 every
// read but the first (without bit 4).
Entry entry_for(std::uint64_t name, std::uint64_t content, std::uint64_t shape, std::int64_t now,
                const CleanerWorld& world);

// dir_state: bits 0-1 a directory (0, 3), a symlink to one (1) or nothing
// (2); bit 2 another user's; bit 3 writable by its group, bit 4 by others;
// bit 5 its fstat fails; bit 6 its listing ends with a 20-byte record whose
// name is empty (MonitorDirectory::ends_with_empty_name).
void set_directory_state(CleanerWorld& world, std::uint64_t state);

// daemon_config: `which` % 4 sets the snapshot TTL, the sandbox TTL or
// pid_max to `value` (signed), or (3) the directory's path (daemon_monitor_dir)
// to one of four by `value` % 4: the default, or one of three long enough to
// cut every log line that names them (world_ops.cpp says where).
void configure(CleanerWorld& world, std::uint64_t which, std::uint64_t value);

}  // namespace mf::model::daemon
