#include "world_ops.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mf::model::daemon {

namespace {

const std::array<std::string, 11>& snapshot_suffixes() {
  static const std::array<std::string, 11> suffixes = {
      "a", "b", "c", "x.y", "with space", "nl\nin", "back\\slash", "\x01\x7f\xff", "0", std::string(240, 'z'),
      "\x18\x1f"};
  return suffixes;
}

const std::array<std::string, 20>& sandbox_pids() {
  static const std::array<std::string, 20> pids = {std::to_string(CleanerWorld::kOwnPid),
                                                   std::to_string(CleanerWorld::kLiveProcess),
                                                   std::to_string(CleanerWorld::kForeignProcess),
                                                   std::to_string(CleanerWorld::kNoProcess),
                                                   std::to_string(CleanerWorld::kUnkillableProcess),
                                                   "0",
                                                   "1",
                                                   "-1",
                                                   "abc",
                                                   "007",
                                                   "4294967295",
                                                   "2147483648",
                                                   "",
                                                   "5000x",
                                                   "4194305",
                                                   "4194304",
                                                   "2",
                                                   "18446744073709551621",
                                                   "2147483647",
                                                   // ':' follows '9': a parser that takes it for a
                                                   // digit worth 10 reads 5000, a live process.
                                                   "499:"};
  return pids;
}

constexpr std::array<std::string_view, 4> kOtherNames = {"snapshot_", "sandbox", "other", ".hidden"};
// And ten of 255 bytes, the longest a name can be, each of its own letter:
// with them the directory can fill a whole getdents64 batch of the
// cleaner's 4096-byte buffer (every other name together makes about 1.3 KB
// of records).
constexpr std::uint64_t kLongNames = 10;
constexpr std::size_t kNameMax = 255;
// And, after them (so that the indices before keep their names), names that
// start as a kind's prefix does but leave it before its end.
constexpr std::array<std::string_view, 1> kNearMisses = {"snapshots_a"};

std::string other_name(std::uint64_t index) {
  const std::uint64_t i = index % (kOtherNames.size() + kLongNames + kNearMisses.size());
  if (i < kOtherNames.size()) return std::string(kOtherNames[i]);
  if (i >= kOtherNames.size() + kLongNames) return std::string(kNearMisses[i - kOtherNames.size() - kLongNames]);
  return std::string(kNameMax, static_cast<char>('a' + (i - kOtherNames.size())));
}

std::string name_for(std::uint64_t choice) {
  const std::uint64_t index = choice / 3;
  switch (choice % 3) {
    case 0:
      return "snapshot_" + snapshot_suffixes()[index % snapshot_suffixes().size()];
    case 1:
      return "sandbox_" + sandbox_pids()[index % sandbox_pids().size()];
    default:
      return other_name(index);
  }
}

std::string content_for(std::uint64_t choice, std::int64_t now, std::int64_t ttl) {
  const std::uint64_t rest = choice >> 4;
  const std::uint64_t age = (choice & 8) != 0 ? static_cast<std::uint64_t>(ttl) + rest % 5 - 2 : rest;
  // Wrapping arithmetic: a time before 0 is written with its sign, which
  // makes no timestamp.
  const std::int64_t time = static_cast<std::int64_t>(static_cast<std::uint64_t>(now) - age);
  const std::string digits = std::to_string(time);
  switch (choice & 7) {
    case 0: return digits;
    case 1: return digits + "\n";
    case 2: return "0" + digits;
    case 3: return digits + "x";
    case 4: return "";
    case 5: return "abc";
    case 6: return digits + "\n\n";
    // 25 digits, more than a timestamp but fewer than DAEMON_CONTENT_MAX;
    // with bit 3 (no age to set) 40, more than DAEMON_CONTENT_MAX.
    default: return (choice & 8) != 0 ? "1234567890123456789012345678901234567890" : "1234567890123456789012345";
  }
}

// daemon_config 3's paths of the monitor directory.  docs/spec.md lets the
// path have any length and cuts its log line at DAEMON_LOG_LINE_MAX, so
// besides the default there are three paths long enough that every line
// naming them ("refused <path>: <reason>", "cannot read <path>") is cut
// inside them.  Each is a path Linux could open: components of at most 255
// bytes, far below PATH_MAX.  After "morph-cleaner: refused " (23 bytes) or
// "morph-cleaner: cannot read " (27) a line has 1512 or 1508 bytes of room
// for the path, both multiples of 4, so a run of 4-byte escapes that starts
// after P plain bytes meets the cut with (-P) mod 4 bytes of room left.
std::string monitor_path(std::uint64_t choice) {
  const std::string a(250, 'a');
  const std::string b(250, 'b');
  const std::string escapes(255, '\xff');  // a last component logged as \xff each
  switch (choice % 4) {
    case 0: return CleanerWorld::kDefaultDirPath;
    // 1517 plain bytes, the tilde (the last printable byte, logged as it
    // is) early: the cut falls in the last component.
    case 1: return "/tmp/~morph/" + a + "/" + b + "/" + std::string(250, 'c') + "/" + std::string(250, 'd') + "/" +
                   std::string(250, 'e') + "/" + std::string(250, 'f');
    // 509 plain bytes, then escapes: the last one that is tried has 3 bytes
    // of room, one too few.
    case 2: return "/tmp/" + a + "/" + b + "bb/" + escapes;
    // 508 plain bytes, then escapes: the last one fits exactly, in 4 bytes.
    default: return "/tmp/" + a + "/" + b + "b/" + escapes;
  }
}

}  // namespace

Entry entry_for(std::uint64_t name, std::uint64_t content, std::uint64_t shape, std::int64_t now,
                const CleanerWorld& world) {
  static constexpr std::array<FileKind, 4> kKinds = {FileKind::regular, FileKind::directory, FileKind::symlink,
                                                     FileKind::fifo};
  static constexpr std::array<DirentType, 4> kTypes = {DirentType::regular, DirentType::directory,
                                                       DirentType::symlink, DirentType::fifo};
  Entry entry;
  entry.name = name_for(name);
  const bool sandbox = name % 3 == 1;
  entry.content = content_for(content, now, sandbox ? world.sandbox_ttl : world.snapshot_ttl);
  const std::uint64_t kind = (shape & 7) >> 1;
  entry.kind = kKinds[kind];
  entry.d_type = (shape & 1) != 0 ? DirentType::unknown : kTypes[kind];
  entry.open_fails = (shape & 8) != 0;
  entry.read_fails = (shape & 16) != 0 || (shape & 128) != 0;
  entry.read_fails_from = (shape & 16) != 0 ? 0 : 1;
  entry.unlink_fails = (shape & 32) != 0;
  entry.fstat_fails = (shape & 64) != 0;
  return entry;
}

void set_directory_state(CleanerWorld& world, std::uint64_t state) {
  const std::uint64_t kind = state & 3;
  world.dir.opens = kind == 0 || kind == 3;
  world.dir_is_symlink = kind == 1;
  world.dir.uid = (state & 4) != 0 ? CleanerWorld::kOtherUid : CleanerWorld::kOwnUid;
  world.dir.mode = 0700 | ((state & 8) != 0 ? 020u : 0u) | ((state & 16) != 0 ? 002u : 0u);
  world.dir.fstat_fails = (state & 32) != 0;
  world.dir.ends_with_empty_name = (state & 64) != 0;
}

void configure(CleanerWorld& world, std::uint64_t which, std::uint64_t value) {
  const std::int64_t v = static_cast<std::int64_t>(value);
  switch (which % 4) {
    case 0: world.snapshot_ttl = v; break;
    case 1: world.sandbox_ttl = v; break;
    case 2: world.pid_max = v; break;
    default: world.dir.path = monitor_path(value); break;
  }
}

}  // namespace mf::model::daemon
