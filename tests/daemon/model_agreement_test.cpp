// model_agreement_test.cpp - the reference model of the cleaner and of the
// meminfo parser (models/daemon/) against the assembly, on a real
// directory: RapidCheck generates what the directory holds (names, kinds,
// contents, times around the TTL), the configuration and the processes the
// names point to; the assembly runs its pass there, the model predicts it,
// and the two must agree on the result, on every file unlinked, on every
// process signalled and on every log line.
//
// The kernel lists a directory in an order the model does not know, so
// names and log lines are compared as sorted lists.  The clock is real: a
// case in which it ticked during the pass is discarded, since the model
// would judge it at the wrong second.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "cleaner_fixture.h"
#include "daemon/cleaner_model.h"
#include "daemon/meminfo_model.h"
#include "layout.h"
#include "morph_abi.h"
#include "time_scale.h"

namespace daemon_test {
namespace {

namespace model = mf::model::daemon;
using rc::Gen;
namespace gen = rc::gen;

// ---- what a generated directory is made of ----

// Where a sandbox name's pid comes from: one of the case's own children,
// the child of another user, a pid no process has, or text that is no pid.
enum class PidSource { own_child, other_user, no_process, literal };

struct SandboxName {
  PidSource source = PidSource::literal;
  std::string literal;  // for PidSource::literal
};

struct EntrySpec {
  bool sandbox = false;
  std::string suffix;      // after "snapshot_" (or the whole name when !prefixed)
  bool prefixed = true;    // false: a name of neither kind
  SandboxName pid;
  model::FileKind kind = model::FileKind::regular;
  bool timestamp = true;   // a timestamp relative to now, or `junk`
  std::int64_t offset = 0;  // the timestamp is now + offset
  bool newline = false;
  std::string junk;
};

Gen<std::string> snapshot_suffix() {
  return gen::oneOf(gen::element<std::string>("a", "x.y", "with space", "nl\nin", "back\\slash", "\x01\x7f\xff",
                                              "-", "snapshot_", "0"),
                    gen::map(gen::inRange(1, 240), [](int n) { return std::string(static_cast<std::size_t>(n), 'z'); }));
}

Gen<SandboxName> sandbox_pid() {
  return gen::oneOf(
      gen::just(SandboxName{PidSource::own_child, ""}), gen::just(SandboxName{PidSource::other_user, ""}),
      gen::just(SandboxName{PidSource::no_process, ""}),
      gen::map(gen::element<std::string>("0", "1", "-1", "abc", "007", "4294967295", "2147483648", "42x", "", "+5",
                                         "99999999999999999999"),
               [](std::string text) { return SandboxName{PidSource::literal, text}; }));
}

// Offsets around the TTL's edge, and far on either side.
Gen<std::int64_t> offset_around(std::int64_t ttl) {
  return gen::element<std::int64_t>(-ttl - 1000, -ttl - 1, -ttl, -ttl + 1, -1, 0, 1, 1000);
}

Gen<std::string> junk_content() {
  return gen::oneOf(gen::element<std::string>("", "abc", "12abc", "0012", " 12", "+12", "-12", "12\n\n", "12\r\n",
                                              "\n", "9223372036854775808", "99999999999999999999",
                                              "123456789012345678901234567890"),
                    gen::container<std::string>(gen::inRange<char>(0, 127)));
}

Gen<EntrySpec> entry_spec(bool sandbox_pass, std::int64_t ttl) {
  return gen::exec([=] {
    EntrySpec e;
    // Mostly names of the pass's kind, some of the other kind and of neither.
    const int which = *gen::inRange(0, 10);
    e.sandbox = which < 8 ? sandbox_pass : !sandbox_pass;
    e.prefixed = which != 9;
    if (e.sandbox) {
      e.pid = *sandbox_pid();
    } else {
      e.suffix = *snapshot_suffix();
    }
    e.kind = *gen::weightedElement<model::FileKind>({{12, model::FileKind::regular},
                                                     {1, model::FileKind::directory},
                                                     {1, model::FileKind::symlink},
                                                     {1, model::FileKind::fifo}});
    e.timestamp = *gen::weightedElement<bool>({{4, true}, {1, false}});
    e.offset = *offset_around(ttl);
    e.newline = *gen::arbitrary<bool>();
    e.junk = *junk_content();
    return e;
  });
}

// ---- one case on the real directory ----

class ModelAgreement : public CleanerTest {
 protected:
  // The processes a case's names may point to, made once per case.
  struct Processes {
    pid_t own = -1;
    pid_t other_user = -1;  // root only
    pid_t no_process = -1;
  };

  Processes make_processes() {
    Processes p;
    p.own = pausing_child();
    if (running_as_root()) p.other_user = pausing_child_of_another_user();
    p.no_process = pid_of_no_process();
    return p;
  }

  static std::string pid_text(const SandboxName& name, const Processes& p) {
    switch (name.source) {
      case PidSource::own_child: return std::to_string(p.own);
      case PidSource::other_user: return p.other_user > 0 ? std::to_string(p.other_user) : "abc";
      case PidSource::no_process: return std::to_string(p.no_process);
      case PidSource::literal: return name.literal;
    }
    return name.literal;
  }

  static std::string name_of(const EntrySpec& e, const Processes& p) {
    if (!e.prefixed) return e.sandbox ? "sandbox" + e.suffix : "other_" + std::to_string(e.suffix.size());
    return e.sandbox ? "sandbox_" + pid_text(e.pid, p) : "snapshot_" + e.suffix;
  }

  // Writes the entry and returns it as the model sees it.
  model::Entry materialise(const EntrySpec& e, const std::string& name, std::int64_t now, int index) {
    model::Entry entry;
    entry.name = name;
    entry.kind = e.kind;
    entry.content = e.timestamp ? std::to_string(now + e.offset) + (e.newline ? "\n" : "") : e.junk;
    const std::string path = in_monitor(name);
    switch (e.kind) {
      case model::FileKind::regular:
        entry.d_type = model::DirentType::regular;
        write_file(path, entry.content);
        break;
      case model::FileKind::directory:
        entry.d_type = model::DirentType::directory;
        mkdir(path.c_str(), 0700);
        break;
      case model::FileKind::symlink: {
        entry.d_type = model::DirentType::symlink;
        const std::string target = outside("target_" + std::to_string(index));
        write_file(target, entry.content);  // a valid, expired content: a followed link would act
        symlink(target.c_str(), path.c_str());
        break;
      }
      case model::FileKind::fifo:
        entry.d_type = model::DirentType::fifo;
        mkfifo(path.c_str(), 0600);
        break;
    }
    return entry;
  }

  // The kernel's log, split into whole lines (newline kept), sorted.
  std::vector<std::string> sorted_log() const {
    std::vector<std::string> lines;
    const std::string text = log_text();
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      const std::size_t stop = end == std::string::npos ? text.size() : end + 1;
      lines.push_back(text.substr(start, stop - start));
      start = stop;
    }
    return sorted(lines);
  }

  // Whether the child died of SIGUSR2; the pass has ended, so a signal it
  // sent is delivered by now: waiting long only when one is expected keeps
  // the other cases fast.
  static bool died_of_sigusr2(pid_t pid, bool expected) {
    const auto within = scaled(expected ? std::chrono::milliseconds(2000) : std::chrono::milliseconds(20));
    const std::optional<int> status = wait_for_exit(pid, within);
    return status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGUSR2;
  }
};

RC_GTEST_FIXTURE_PROP(ModelAgreement, CleanerPassesAgreeWithTheModel, ()) {
  const bool sandbox_pass = *gen::arbitrary<bool>();
  const std::int64_t ttl = *gen::element<std::int64_t>(0, 1, 60, 300, -1);
  const std::vector<EntrySpec> specs = *gen::resize(12, gen::container<std::vector<EntrySpec>>(entry_spec(sandbox_pass, ttl)));
  const bool small_pid_max = *gen::weightedElement<bool>({{4, false}, {1, true}});

  const Processes processes = make_processes();
  RC_PRE(processes.own > 0 && processes.no_process > 0);
  model::CleanerEnvironment env;
  env.uid = static_cast<std::uint32_t>(getuid());
  env.snapshot_ttl = sandbox_pass ? 300 : ttl;
  env.sandbox_ttl = sandbox_pass ? ttl : 60;
  env.pid_max = small_pid_max ? processes.own - 1 : mf::layout::DAEMON_PID_MAX;
  env.processes[processes.own] = env.uid;
  if (processes.other_user > 0) env.processes[processes.other_user] = kOtherUid;
  daemon_snapshot_ttl = env.snapshot_ttl;
  daemon_sandbox_ttl = env.sandbox_ttl;
  daemon_pid_max = env.pid_max;

  model::MonitorDirectory dir;
  dir.path = monitor_;
  dir.uid = env.uid;
  env.now = now();
  std::map<std::string, bool> taken;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const std::string name = name_of(specs[i], processes);
    if (name.size() > 255 || taken[name]) continue;  // one entry per name
    taken[name] = true;
    dir.entries.push_back(materialise(specs[i], name, env.now, static_cast<int>(i)));
  }
  std::vector<pid_t> may_signal = {processes.own};

  const GuardedCall pass = sandbox_pass ? clean_sandboxes(may_signal) : clean_snapshots();
  RC_PRE(now() == env.now);  // the clock ticked: the model would judge the wrong second
  RC_ASSERT(ran_cleanly(pass));

  // The pass ran in a guarded child: that child is the cleaner.
  const model::PassOutcome expected =
      model::clean_pass(sandbox_pass ? model::PassKind::sandboxes : model::PassKind::snapshots, dir, env);
  RC_ASSERT(pass.result == expected.result);

  std::vector<std::string> remaining_expected;
  for (const model::Entry& entry : dir.entries) {
    if (std::find(expected.unlinked.begin(), expected.unlinked.end(), entry.name) == expected.unlinked.end())
      remaining_expected.push_back(entry.name);
  }
  RC_ASSERT(monitor_entries() == sorted(remaining_expected));
  RC_ASSERT(sorted_log() == sorted(expected.log));

  const bool own_signalled = std::count(expected.signalled.begin(), expected.signalled.end(), processes.own) > 0;
  RC_ASSERT(died_of_sigusr2(processes.own, own_signalled) == own_signalled);
  RC_ASSERT(expected.signalled.size() == (own_signalled ? 1u : 0u));  // nothing else may ever be signalled
}

// ---- meminfo ----

Gen<std::string> meminfo_line() {
  return gen::exec([] {
    std::string line = *gen::weightedElement<std::string>({{4, "MemTotal:"},
                                                           {4, "MemAvailable:"},
                                                           {4, "MemFree:"},
                                                           {1, "Memtotal:"},
                                                           {1, " MemTotal:"},
                                                           {1, "MemTotal"},
                                                           {2, "Buffers:"},
                                                           {1, ""}});
    line += *gen::element<std::string>("", " ", "\t", "   \t ");
    line += *gen::oneOf(gen::map(gen::inRange<std::uint64_t>(0, 100000000), [](std::uint64_t v) { return std::to_string(v); }),
                        gen::element<std::string>("0", "18446744073709551615", "18446744073709551616",
                                                  "99999999999999999999999", "", "abc", "-5", "007"));
    line += *gen::element<std::string>(" kB", "", "kB trailing words", "x");
    return line;
  });
}

RC_GTEST_FIXTURE_PROP(ModelAgreement, MeminfoAgreesWithTheModel, ()) {
  const std::vector<std::string> lines = *gen::resize(10, gen::container<std::vector<std::string>>(meminfo_line()));
  // Filler before the lines puts them around the 8192-byte limit.
  const std::size_t filler = *gen::element<std::size_t>(0, 0, 8100, 8150, 8180, 8191, 9000);
  const bool final_newline = *gen::arbitrary<bool>();
  std::string text;
  while (text.size() + 16 <= filler) text += "Filler:  1 kB\n";
  text.append(filler > text.size() ? filler - text.size() : 0, 'f');
  if (filler != 0) text += "\n";
  for (std::size_t i = 0; i < lines.size(); ++i) text += lines[i] + (i + 1 < lines.size() || final_newline ? "\n" : "");
  const std::int64_t threshold = *gen::element<std::int64_t>(-1, 0, 50, 80, 100);

  const std::string path = outside("meminfo");
  write_file(path, text);
  use_meminfo(path);
  daemon_mem_threshold = threshold;
  const GuardedCall call = monitor_memory();
  RC_ASSERT(ran_cleanly(call));

  const model::MeminfoOutcome expected = model::monitor_memory({path, text, threshold});
  RC_ASSERT(call.result == expected.result);
  RC_ASSERT(sorted_log() == expected.log);
}

}  // namespace
}  // namespace daemon_test
