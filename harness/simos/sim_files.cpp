// sim_files.cpp - the simulated OS's files and processes, as the OsRules
// describe them: /proc/meminfo (the meminfo target), the cleaner's monitor
// directory with its entries, and /proc/<pid> of the cleaner world's
// processes (the daemon target).  They behave as Linux's do where the
// cleaner's contract depends on it: O_NOFOLLOW refuses a symlink (ELOOP),
// a FIFO opened without O_NONBLOCK would block (reported as a misuse, since
// a simulation cannot block), getdents64 lists "." and ".." first and then
// the entries as they were when the directory was opened, in batches the
// rules may limit, and a successful unlinkat removes the entry.  Where the
// contract names the exact flags of an open, or the signal of a kill, any
// other value is reported as a misuse, and so is the open of an entry whose
// d_type is known and not DT_REG (docs/spec.md skips it unopened).
//
// Where docs/spec.md states how the cleaner treats input a well-behaved
// kernel never gives, the simulation gives it, so that the contract's rule
// is checked: getdents64 lists two records whose name has no NUL within
// the record ("skipped unseen", so the model never sees them) between "."
// and "..", and a
// directory read that fails after an odd count of entries fails with a
// record that runs past the bytes returned (a count of 1 mod 4) or one whose
// length is below the contract's 20 bytes (3 mod 4) instead of an error (the
// three end the pass alike); a directory may end its listing with a record
// of exactly 20 bytes whose name is empty (MonitorDirectory), which the
// contract reads and ignores.  Permission bits the contract does not look at are
// set (r-x for group and others), so that a check looking at them shows.
//
// Where docs/spec.md names the size of a buffer the cleaner hands the OS,
// any other size is a misuse: getdents64's DAEMON_DIRENT_BUF, and the reads
// of an entry, which go on until end of file or DAEMON_CONTENT_MAX bytes
// (so no read asks past them, none asks for 0 bytes, whose answer 0 cannot
// be told from end of file, and an entry whose reading began is closed only
// at end of file, after an error or with DAEMON_CONTENT_MAX bytes read).
// So is every use of a descriptor the cleaner does not hold (EBADF).

#include <dirent.h>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "layout.h"
#include "sim_os.h"

namespace mf::simos {

namespace {

using model::daemon::CleanerWorld;
using model::daemon::DirentType;
using model::daemon::Entry;
using model::daemon::FileKind;

constexpr int kAtFdcwd = AT_FDCWD;  // layout.inc's LINUX_AT_FDCWD_INT (tests/unit/layout_test.cpp)
constexpr std::string_view kProcPrefix = "/proc/";

// The sizes docs/spec.md names, written from it, not taken from
// asm/layout.inc (as the open flags below): the asserts say they agree.
constexpr std::uint64_t kDirentBuffer = 4096;  // "a batch buffer holds DAEMON_DIRENT_BUF (4096) bytes"
constexpr std::uint64_t kContentMax = 32;      // "until DAEMON_CONTENT_MAX (32) bytes are in hand"
static_assert(kDirentBuffer == layout::DAEMON_DIRENT_BUF);
static_assert(kContentMax == layout::DAEMON_CONTENT_MAX);
// The least record length docs/spec.md accepts; the short record is one less.
constexpr std::size_t kMinRecord = 20;

// struct stat as the cleaner reads it: st_mode and st_uid, the rest zero.
void write_stat(void* buf, std::uint32_t mode, std::uint32_t uid) {
  std::memset(buf, 0, layout::LINUX_STAT_SIZE);
  std::memcpy(static_cast<char*>(buf) + layout::LINUX_STAT_MODE, &mode, sizeof mode);
  std::memcpy(static_cast<char*>(buf) + layout::LINUX_STAT_UID, &uid, sizeof uid);
}

std::uint8_t dirent_type(DirentType type) {
  switch (type) {
    case DirentType::regular: return DT_REG;
    case DirentType::directory: return DT_DIR;
    case DirentType::symlink: return DT_LNK;
    case DirentType::fifo: return DT_FIFO;
    case DirentType::unknown: return DT_UNKNOWN;
  }
  return DT_UNKNOWN;
}

std::uint32_t mode_of(FileKind kind) {
  switch (kind) {
    // rwxr-xr-x: "a regular file" is S_IFMT's business alone (docs/spec.md),
    // so the bits around it must not change the verdict.
    case FileKind::regular: return S_IFREG | 0755;
    case FileKind::directory: return S_IFDIR | 0700;
    case FileKind::symlink: return S_IFLNK | 0777;
    case FileKind::fifo: return S_IFIFO | 0600;
  }
  return 0;
}

// Writes one linux_dirent64 record of `length` bytes (d_off = d_ino) if it
// fits in [at, end); returns its size, or 0.  Bytes past the name are zero.
std::size_t write_record(char* at, const char* end, std::uint64_t ino, std::string_view name, std::uint8_t type,
                         std::size_t length) {
  if (static_cast<std::size_t>(end - at) < length) return 0;
  std::memset(at, 0, length);
  std::memcpy(at, &ino, sizeof ino);
  std::memcpy(at + 8, &ino, sizeof ino);
  const std::uint16_t reclen = static_cast<std::uint16_t>(length);
  std::memcpy(at + layout::LINUX_DIRENT_RECLEN, &reclen, sizeof reclen);
  at[layout::LINUX_DIRENT_TYPE] = static_cast<char>(type);
  std::memcpy(at + layout::LINUX_DIRENT_NAME, name.data(), name.size());
  return length;
}

// Appends one record, its name NUL-terminated and padded to 8 bytes.
std::size_t put_record(char* at, const char* end, std::uint64_t ino, std::string_view name, std::uint8_t type) {
  return write_record(at, end, ino, name, type, (layout::LINUX_DIRENT_NAME + name.size() + 1 + 7) & ~std::size_t{7});
}

// Appends a record whose name fills it with no NUL (`name` is sized so that
// the record needs no padding).
std::size_t put_unterminated_record(char* at, const char* end, std::uint64_t ino, std::string_view name,
                                    std::uint8_t type) {
  return write_record(at, end, ino, name, type, layout::LINUX_DIRENT_NAME + name.size());
}

// A record of kMinRecord bytes, the least the contract accepts: its one
// byte of name is the NUL, an empty name, of neither kind.
std::size_t put_empty_record(char* at, const char* end, std::uint64_t ino) {
  return write_record(at, end, ino, "", DT_REG, kMinRecord);
}

// The two records without a NUL, listed between "." and "..": names
// the cleaner would act on if it read them past their record (13 bytes:
// records of 32 bytes, no padding).  The second's d_ino is 256, so the byte
// right after the first record is a 0: a reader that looks one byte past
// the record finds "snapshot_junk" there, a name of no entry, and logs it.
constexpr std::string_view kUnterminatedNames[2] = {"snapshot_junk", "sandbox_jjjjj"};
constexpr std::uint64_t kUnterminatedInos[2] = {0x4a, 0x100};
static_assert((layout::LINUX_DIRENT_NAME + kUnterminatedNames[0].size()) % 8 == 0);
static_assert((layout::LINUX_DIRENT_NAME + kUnterminatedNames[1].size()) % 8 == 0);

}  // namespace

namespace {

// The flags docs/spec.md names for each of the cleaner's opens, written
// from the system's <fcntl.h>, not from asm/layout.inc: a wrong constant
// there must not pass for the contract.
constexpr int kMeminfoOpenFlags = O_RDONLY | O_CLOEXEC;
constexpr int kDirectoryOpenFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
constexpr int kEntryOpenFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

}  // namespace

void SimOs::check_open_flags(const std::string& what, int flags, int expected) {
  if (flags == expected) return;
  char text[96];
  std::snprintf(text, sizeof text, " with flags %#o where docs/spec.md names %#o", static_cast<unsigned>(flags),
                static_cast<unsigned>(expected));
  note_anomaly("opened " + what + text);
}

long SimOs::openat(int dirfd, const char* path, int flags) {
  if (path == nullptr) return -EFAULT;
  CleanerWorld& world = rules_.cleaner();
  if (dirfd == kAtFdcwd && path == model::kMeminfoPath) {
    check_open_flags(path, flags, kMeminfoOpenFlags);
    if (rules_.meminfo_failure() == model::OsRules::FileFailure::open) return -EACCES;
    if (files_.meminfo) return -EMFILE;
    files_.meminfo = true;
    files_.meminfo_offset = 0;
    return kMeminfoFd;
  }
  if (dirfd == kAtFdcwd && path == world.dir.path) {
    check_open_flags("the monitor directory " + world.dir.path, flags, kDirectoryOpenFlags);
    if (!world.dir.opens && !world.dir_is_symlink) return -ENOENT;
    if (world.dir_is_symlink && (flags & O_NOFOLLOW) != 0) return -ELOOP;
    if (files_.directory) return -EMFILE;
    files_.directory = true;
    files_.listing.clear();
    for (const Entry& e : world.dir.entries) files_.listing.push_back(e.name);
    files_.listed = 0;
    files_.dots_listed = 0;
    files_.read_cut = false;
    files_.empty_listed = false;
    return kDirectoryFd;
  }
  if (dirfd != kDirectoryFd || !files_.directory) return -ENOENT;
  check_open_flags(std::string("the entry ") + path, flags, kEntryOpenFlags);
  const Entry* entry = world.find(path);
  if (entry == nullptr) return -ENOENT;
  // docs/spec.md: an entry whose d_type is known and not DT_REG is skipped;
  // only the others are opened.  (getdents64 listed it with this type.)
  if (const std::uint8_t type = dirent_type(entry->d_type); type != DT_REG && type != DT_UNKNOWN) {
    note_anomaly(std::string("opened the entry ") + path + " of d_type " + std::to_string(type) +
                 ", which docs/spec.md skips unopened (its type is known and not DT_REG)");
  }
  if (entry->open_fails) return -EACCES;
  if (entry->kind == FileKind::symlink && (flags & O_NOFOLLOW) != 0) return -ELOOP;
  if (entry->kind == FileKind::fifo && (flags & O_NONBLOCK) == 0) {
    note_anomaly(std::string("opened the FIFO ") + path + " without O_NONBLOCK: on Linux that blocks until a writer comes");
    return -EINTR;
  }
  if (files_.entry) return -EMFILE;
  files_.entry = true;
  files_.entry_name = entry->name;
  files_.entry_content = entry->content;
  // A followed symlink leads to a regular file holding the entry's content.
  files_.entry_mode = mode_of(entry->kind == FileKind::symlink ? FileKind::regular : entry->kind);
  files_.entry_offset = 0;
  files_.entry_reads = 0;
  files_.entry_ended = false;
  return kEntryFd;
}

long SimOs::read(int fd, void* buf, std::uint64_t len) {
  std::uint64_t* offset = nullptr;
  const std::string* text = nullptr;
  if (fd == kMeminfoFd && files_.meminfo) {
    offset = &files_.meminfo_offset;
    text = &rules_.meminfo();
    // Reads fail from the rules' byte on, except at the end of the file;
    // one that starts before that byte stops at it.
    if (rules_.meminfo_failure() == model::OsRules::FileFailure::read) {
      const std::uint64_t fails_at = rules_.meminfo_read_fails_at();
      if (*offset >= fails_at && *offset < text->size()) return -EIO;
      if (*offset < fails_at) len = std::min(len, fails_at - *offset);
    }
  } else if (fd == kEntryFd && files_.entry) {
    // The offset is the bytes the cleaner has in hand (docs/spec.md: read
    // until end of file or DAEMON_CONTENT_MAX bytes, into a buffer of that
    // size).  Written so that no len wraps the sum.
    if (len == 0 || files_.entry_offset > kContentMax || len > kContentMax - files_.entry_offset) {
      note_anomaly("read " + std::to_string(len) + " bytes of the entry " + files_.entry_name + " with " +
                   std::to_string(files_.entry_offset) + " in hand, where docs/spec.md reads until " +
                   std::to_string(kContentMax) + " bytes are in hand (and a read of 0 bytes answers as end of file)");
    }
    const Entry* entry = rules_.cleaner().find(files_.entry_name);
    const std::uint64_t this_read = files_.entry_reads++;
    if ((entry != nullptr && entry->read_fails && this_read >= entry->read_fails_from) ||
        (files_.entry_mode & S_IFMT) == S_IFDIR) {
      files_.entry_ended = true;
      return (files_.entry_mode & S_IFMT) == S_IFDIR ? -EISDIR : -EIO;
    }
    offset = &files_.entry_offset;
    text = &files_.entry_content;
  } else {
    return bad_descriptor("read", fd);
  }
  std::uint64_t n = std::min<std::uint64_t>(len, text->size() - *offset);
  if (rules_.read_chunk() != 0) n = std::min(n, rules_.read_chunk());
  std::memcpy(buf, text->data() + *offset, n);
  *offset += n;
  if (fd == kEntryFd && n == 0) files_.entry_ended = true;
  return static_cast<long>(n);
}

long SimOs::close(int fd) {
  bool* open = fd == kMeminfoFd ? &files_.meminfo : fd == kDirectoryFd ? &files_.directory
                                                   : fd == kEntryFd     ? &files_.entry
                                                                        : nullptr;
  if (open == nullptr || !*open) return bad_descriptor("close", fd);
  if (fd == kEntryFd && files_.entry_reads != 0 && !files_.entry_ended && files_.entry_offset < kContentMax) {
    note_anomaly("closed the entry " + files_.entry_name + " with " + std::to_string(files_.entry_offset) +
                 " bytes in hand, where docs/spec.md reads until end of file or " + std::to_string(kContentMax) +
                 " bytes");
  }
  *open = false;
  return 0;
}

std::string SimOs::open_files() const {
  std::string names;
  const auto add = [&names](bool open, std::string_view name) {
    if (open) names += (names.empty() ? "" : ", ") + std::string(name);
  };
  add(files_.meminfo, model::kMeminfoPath);
  add(files_.directory, rules_.cleaner().dir.path);
  add(files_.entry, files_.entry_name);
  return names;
}

// A descriptor the SUT does not hold (never opened, closed already, or an
// error code taken for one) is refused as Linux refuses it, and reported as
// a misuse: the SUT reads, closes and fstat's only what it opened, and on a real
// system a descriptor of that number may be the program's own.
long SimOs::bad_descriptor(const char* call, int fd) {
  note_anomaly(std::string(call) + " of the descriptor " + std::to_string(fd) + ", which the SUT does not hold");
  return -EBADF;
}

// A failing fstat still fills the buffer as a success would: POSIX leaves a
// failed call's buffer unspecified, and a stale answer of an earlier call is
// what a reader that ignores the error finds there in practice (the
// harness's stack pattern would read as no directory and no regular file,
// and hide it).
long SimOs::fstat(int fd, void* stat_buf) {
  if (stat_buf == nullptr) return -EFAULT;
  if (fd == kDirectoryFd && files_.directory) {
    const CleanerWorld& world = rules_.cleaner();
    // The world's mode says who may write (docs/spec.md refuses mode & 022);
    // r-x for group and others, which the contract ignores, are added.
    write_stat(stat_buf, S_IFDIR | world.dir.mode | 055, world.dir.uid);
    return world.dir.fstat_fails ? -EIO : 0;
  }
  if (fd == kEntryFd && files_.entry) {
    const Entry* entry = rules_.cleaner().find(files_.entry_name);
    write_stat(stat_buf, files_.entry_mode, CleanerWorld::kOwnUid);
    return entry != nullptr && entry->fstat_fails ? -EIO : 0;
  }
  return bad_descriptor("fstat", fd);
}

long SimOs::fstatat(int dirfd, const char* path, void* stat_buf, int) {
  if (path == nullptr || stat_buf == nullptr) return -EFAULT;
  const std::string_view p(path);
  if (dirfd != kAtFdcwd || !p.starts_with(kProcPrefix)) return -ENOENT;
  const std::string_view digits = p.substr(kProcPrefix.size());
  if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string_view::npos)
    return -ENOENT;
  const auto process = rules_.cleaner().processes.find(std::stoll(std::string(digits)));
  if (process == rules_.cleaner().processes.end()) return -ENOENT;
  write_stat(stat_buf, S_IFDIR | 0555, process->second);
  return 0;
}

long SimOs::getdents64(int fd, void* buf, std::uint64_t len) {
  if (fd != kDirectoryFd || !files_.directory) return bad_descriptor("getdents64", fd);
  if (len != kDirentBuffer) {
    note_anomaly("getdents64 into " + std::to_string(len) + " bytes, where docs/spec.md's batch buffer holds " +
                 std::to_string(kDirentBuffer));
  }
  const CleanerWorld& world = rules_.cleaner();
  char* at = static_cast<char*>(buf);
  const char* end = at + len;
  std::size_t emitted = 0;
  if (files_.read_cut) return -EIO;  // the cut or short record ended the listing
  // ".", the two records without a NUL, "..": ".." (24 bytes, the
  // shortest record) still ends the first batch when the rules limit it.
  while (files_.dots_listed < 4) {
    const std::size_t i = files_.dots_listed;
    std::size_t n = 0;
    if (i == 0 || i == 3) {
      n = put_record(at, end, i == 0 ? 1 : 2, i == 0 ? "." : "..", DT_DIR);
    } else {
      n = put_unterminated_record(at, end, kUnterminatedInos[i - 1], kUnterminatedNames[i - 1], DT_REG);
    }
    if (n == 0) return emitted == 0 ? -EINVAL : static_cast<long>(at - static_cast<char*>(buf));
    at += n;
    ++files_.dots_listed;
    ++emitted;
  }
  while (files_.listed < files_.listing.size()) {
    if (world.dir.unreadable_after && files_.listed >= *world.dir.unreadable_after) {
      // After an odd count, the read fails with the next entry's record
      // cut by one byte (a count of 1 mod 4): it runs past the bytes
      // returned; or (3 mod 4) with its length field set to 19, below the
      // least the contract accepts.  Either ends the pass as an error does
      // (docs/spec.md, "The directory").  The record is written whole, so
      // a reader that does not check finds a complete name in it.  After
      // an even count, the next call's error below.
      if (*world.dir.unreadable_after % 2 == 1) {
        const Entry* entry = world.find(files_.listing[files_.listed]);
        const std::uint8_t type = entry != nullptr ? dirent_type(entry->d_type) : DT_UNKNOWN;
        const std::size_t n = put_record(at, end, files_.listed + 3, files_.listing[files_.listed], type);
        if (n == 0 && emitted == 0) return -EINVAL;
        if (n != 0) {
          files_.read_cut = true;
          if (*world.dir.unreadable_after % 4 == 1) return static_cast<long>(at + n - 1 - static_cast<char*>(buf));
          const std::uint16_t short_length = kMinRecord - 1;
          std::memcpy(at + layout::LINUX_DIRENT_RECLEN, &short_length, sizeof short_length);
          return static_cast<long>(at + n - static_cast<char*>(buf));
        }
      }
      break;
    }
    if (world.batch != 0 && emitted >= world.batch) break;
    // An entry unlinked since the open would be listed with an unknown type
    // (only the SUT unlinks, and only what it has seen: not in a pass).
    const Entry* entry = world.find(files_.listing[files_.listed]);
    const std::uint8_t type = entry != nullptr ? dirent_type(entry->d_type) : DT_UNKNOWN;
    const std::size_t n = put_record(at, end, files_.listed + 3, files_.listing[files_.listed], type);
    if (n == 0) {
      if (emitted == 0) return -EINVAL;  // the buffer holds not even one record
      break;
    }
    at += n;
    ++files_.listed;
    ++emitted;
  }
  // The empty name's record, after the last entry when the read does not
  // fail there, counted as an entry by the rules' batch limit: the last of
  // its batch, alone in the next one when it does not fit or the limit is
  // reached.
  const bool read_fails_at_end = world.dir.unreadable_after && files_.listed >= *world.dir.unreadable_after;
  if (world.dir.ends_with_empty_name && files_.listed == files_.listing.size() && !read_fails_at_end &&
      !files_.empty_listed && (world.batch == 0 || emitted < world.batch)) {
    const std::size_t n = put_empty_record(at, end, files_.listed + 3);
    if (n != 0) {
      at += n;
      files_.empty_listed = true;
    }
  }
  const long bytes = static_cast<long>(at - static_cast<char*>(buf));
  // The read fails once the rules' count of entries has been listed.
  if (bytes == 0 && world.dir.unreadable_after && files_.listed == *world.dir.unreadable_after) return -EIO;
  return bytes;
}

long SimOs::unlinkat(int dirfd, const char* path, int flags) {
  if (path == nullptr) return -EFAULT;
  if (dirfd != kDirectoryFd || !files_.directory || flags != 0) return -EINVAL;
  CleanerWorld& world = rules_.cleaner();
  const Entry* entry = world.find(path);
  if (entry == nullptr) return -ENOENT;
  if (entry->unlink_fails) return -EACCES;
  world.erase(path);
  return 0;
}

long SimOs::kill(long pid, int sig) {
  signals_.push_back(pid);
  if (sig != SIGUSR2) {
    note_anomaly("sent signal " + std::to_string(sig) + " to pid " + std::to_string(pid) +
                 " where docs/spec.md sends SIGUSR2 only");
  }
  const CleanerWorld& world = rules_.cleaner();
  if (world.processes.find(pid) == world.processes.end()) return -ESRCH;
  if (world.kill_fails.contains(pid)) return -EPERM;
  return 0;
}

std::vector<std::int64_t> SimOs::take_signals() {
  std::vector<std::int64_t> taken;
  taken.swap(signals_);
  return taken;
}

}  // namespace mf::simos
