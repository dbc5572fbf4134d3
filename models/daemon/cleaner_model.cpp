#include "cleaner_model.h"

#include <limits>
#include <string_view>

#include "cleaner_log.h"
#include "layout.h"

namespace mf::model::daemon {

namespace {

constexpr std::string_view kSnapshotPrefix = "snapshot_";
constexpr std::string_view kSandboxPrefix = "sandbox_";
constexpr std::int64_t kPidIntMax = std::numeric_limits<std::int32_t>::max();

std::optional<std::string_view> refusal(const MonitorDirectory& dir, const CleanerEnvironment& env) {
  if (!dir.opens || dir.fstat_fails) return "cannot open as a directory without following a link";
  if (dir.uid != env.uid) return "not owned by the running user";
  if ((dir.mode & 022) != 0) return "writable by group or others";
  return std::nullopt;
}

// The timestamp a file holds, or nullopt: at most 20 bytes, one optional
// trailing newline, a canonical decimal.  Only the first DAEMON_CONTENT_MAX
// bytes are ever read.
std::optional<std::int64_t> timestamp_of(std::string_view content) {
  content = content.substr(0, layout::DAEMON_CONTENT_MAX);
  if (content.empty() || content.size() > layout::DAEMON_TIMESTAMP_MAX_LEN) return std::nullopt;
  if (content.back() == '\n') content.remove_suffix(1);
  return parse_canonical(content);
}

// Why an entry's content cannot be judged (a skip reason), or nothing.
std::optional<std::string_view> unreadable(const Entry& entry) {
  const bool type_known = entry.d_type != DirentType::unknown;
  if (type_known && entry.d_type != DirentType::regular) return "not a regular file";
  // O_NOFOLLOW refuses a symlink; a FIFO or directory opens but fstat says
  // what it is.
  if (entry.open_fails || entry.fstat_fails || entry.kind == FileKind::symlink) return "not a regular file";
  if (entry.kind != FileKind::regular) return "not a regular file";
  return std::nullopt;
}

class Pass {
 public:
  Pass(PassKind kind, const MonitorDirectory& dir, const CleanerEnvironment& env)
      : kind_(kind), dir_(dir), env_(env) {}

  PassOutcome run() {
    if (std::optional<std::string_view> why = refusal(dir_, env_)) {
      out_.result = -1;
      out_.log.push_back(log_about("refused ", dir_.path, ": ", *why));
      return out_;
    }
    for (std::size_t i = 0; i < dir_.entries.size(); ++i) {
      if (dir_.unreadable_after && i == *dir_.unreadable_after) {
        out_.log.push_back(log_about("cannot read ", dir_.path));
        return out_;
      }
      visit(dir_.entries[i]);
    }
    if (dir_.unreadable_after && *dir_.unreadable_after == dir_.entries.size())
      out_.log.push_back(log_about("cannot read ", dir_.path));
    return out_;
  }

 private:
  void skip(const Entry& entry, std::string_view reason) {
    out_.log.push_back(log_about("skipped ", entry.name, ": ", reason));
  }

  void visit(const Entry& entry) {
    const std::string_view name = entry.name;
    std::int64_t pid = 0;
    if (kind_ == PassKind::snapshots) {
      if (name.size() <= kSnapshotPrefix.size() || !name.starts_with(kSnapshotPrefix)) return;
    } else {
      if (!name.starts_with(kSandboxPrefix)) return;
      const std::optional<std::int64_t> parsed = parse_canonical(name.substr(kSandboxPrefix.size()));
      if (!parsed || *parsed < 2 || *parsed > kPidIntMax || *parsed > env_.pid_max) return skip(entry, "invalid pid");
      pid = *parsed;
    }
    if (std::optional<std::string_view> why = unreadable(entry)) return skip(entry, *why);
    const std::optional<std::int64_t> time = entry.read_fails ? std::nullopt : timestamp_of(entry.content);
    if (!time) return skip(entry, "no valid timestamp");
    if (*time > env_.now) return skip(entry, "timestamp in the future");
    const std::int64_t ttl = kind_ == PassKind::snapshots ? env_.snapshot_ttl : env_.sandbox_ttl;
    if (env_.now - *time <= ttl) return;
    if (kind_ == PassKind::sandboxes) signal(entry, pid);
    if (entry.unlink_fails) {
      out_.log.push_back(log_about("cannot unlink ", entry.name));
      return;
    }
    ++out_.result;
    out_.unlinked.push_back(entry.name);
    out_.log.push_back(log_about("unlinked ", entry.name));
  }

  void signal(const Entry& entry, std::int64_t pid) {
    std::string_view why;
    const auto process = env_.processes.find(pid);
    if (pid == env_.pid) {
      why = "the cleaner itself";
    } else if (process == env_.processes.end()) {
      why = "no such process";
    } else if (process->second != env_.uid) {
      why = "owned by another user";
    } else if (env_.kill_fails.contains(pid)) {
      why = "kill failed";
      out_.signalled.push_back(pid);  // called, and refused
    } else {
      out_.signalled.push_back(pid);
    }
    LogLine line;
    line.text(why.empty() ? "signalled " : "not signalled ").decimal(pid).text(" for ").escaped(entry.name);
    if (!why.empty()) line.text(": ").text(why);
    out_.log.push_back(line.finish());
  }

  PassKind kind_;
  const MonitorDirectory& dir_;
  const CleanerEnvironment& env_;
  PassOutcome out_;
};

}  // namespace

std::optional<std::int64_t> parse_canonical(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const std::int64_t digit = c - '0';
    if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

PassOutcome clean_pass(PassKind kind, const MonitorDirectory& dir, const CleanerEnvironment& env) {
  return Pass(kind, dir, env).run();
}

}  // namespace mf::model::daemon
