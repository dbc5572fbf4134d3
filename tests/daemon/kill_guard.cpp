#include "kill_guard.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <map>

namespace daemon_test {

namespace {

// The record lives in a MAP_SHARED page so that attempts made in a forked
// child (or in the daemon it forks) are seen by the test process.
constexpr std::uint32_t kMaxAttempts = 64;
struct SharedRecord {
  std::atomic<std::uint32_t> count;
  KillAttempt attempts[kMaxAttempts];
};
SharedRecord* g_record = nullptr;

// The syscalls that send a signal to a pid given as their first argument.
constexpr long kPidSignalSyscalls[] = {SYS_kill, SYS_tkill, SYS_tgkill, SYS_rt_sigqueueinfo,
                                       SYS_rt_tgsigqueueinfo};

// Runs in the trapped thread, at the syscall that was not executed: only
// async-signal-safe work.  REG_RAX is the syscall's return value on resume.
void on_trapped_syscall(int, siginfo_t* info, void* context) {
  auto* registers = static_cast<ucontext_t*>(context)->uc_mcontext.gregs;
  const long number = info->si_syscall;
  const bool signal_in_third = number == SYS_tgkill || number == SYS_rt_tgsigqueueinfo;
  if (g_record != nullptr) {
    const std::uint32_t slot = g_record->count.fetch_add(1);
    if (slot < kMaxAttempts) {
      g_record->attempts[slot].syscall_number = number;
      g_record->attempts[slot].target = static_cast<int>(registers[REG_RDI]);
      g_record->attempts[slot].signal = signal_in_third ? registers[REG_RDX] : registers[REG_RSI];
    }
  }
  registers[REG_RAX] = -EPERM;
}

// A classic-BPF program with forward jumps to named labels, resolved at
// the end (the jump offsets are relative and 8-bit).
class FilterBuilder {
 public:
  void load_word(std::uint32_t offset) { code_.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset)); }
  void ret(std::uint32_t value) { code_.push_back(BPF_STMT(BPF_RET | BPF_K, value)); }
  // if (A <op> k) goto when_true; else goto when_false ("" = next).
  void jump(std::uint16_t op, std::uint32_t k, const std::string& when_true,
            const std::string& when_false = "") {
    fixups_.push_back({code_.size(), when_true, when_false});
    code_.push_back(BPF_JUMP(BPF_JMP | op | BPF_K, k, 0, 0));
  }
  void label(const std::string& name) { labels_[name] = code_.size(); }

  std::vector<sock_filter> finish() {
    for (const Fixup& fixup : fixups_) {
      code_[fixup.at].jt = offset_to(fixup.at, fixup.when_true);
      code_[fixup.at].jf = offset_to(fixup.at, fixup.when_false);
    }
    return code_;
  }

 private:
  struct Fixup {
    std::size_t at;
    std::string when_true, when_false;
  };
  std::uint8_t offset_to(std::size_t from, const std::string& name) {
    if (name.empty()) return 0;
    return static_cast<std::uint8_t>(labels_.at(name) - from - 1);
  }
  std::vector<sock_filter> code_;
  std::vector<Fixup> fixups_;
  std::map<std::string, std::size_t> labels_;
};

constexpr std::uint32_t kArchOffset = offsetof(seccomp_data, arch);
constexpr std::uint32_t kNumberOffset = offsetof(seccomp_data, nr);
// The low half of args[0] (little-endian): the kernel reads pid_t as int.
constexpr std::uint32_t kFirstArgumentLowOffset = offsetof(seccomp_data, args[0]);
constexpr std::uint32_t kX32SyscallBit = 0x40000000;

// allowed == nullptr: the broadcast-only policy.
std::vector<sock_filter> build_filter(const std::vector<pid_t>* allowed) {
  FilterBuilder f;
  f.load_word(kArchOffset);
  f.jump(BPF_JEQ, AUDIT_ARCH_X86_64, "", "kill_process");
  f.load_word(kNumberOffset);
  f.jump(BPF_JGE, kX32SyscallBit, "trap");  // the x32 aliases: never legitimate here
  for (long number : kPidSignalSyscalls) f.jump(BPF_JEQ, static_cast<std::uint32_t>(number), "check_target");
  f.jump(BPF_JEQ, SYS_pidfd_send_signal, "trap");
  f.ret(SECCOMP_RET_ALLOW);

  f.label("check_target");
  f.load_word(kFirstArgumentLowOffset);
  if (allowed == nullptr) {
    f.jump(BPF_JGT, 1, "", "trap");            // 0 and 1 (unsigned)
    f.jump(BPF_JGE, 0x80000000u, "trap", "allow");  // negative as an int
  } else {
    for (pid_t pid : *allowed) {
      if (pid > 1) f.jump(BPF_JEQ, static_cast<std::uint32_t>(pid), "allow");
    }
    f.ret(SECCOMP_RET_TRAP);
  }
  f.label("allow");
  f.ret(SECCOMP_RET_ALLOW);
  f.label("trap");
  f.ret(SECCOMP_RET_TRAP);
  f.label("kill_process");
  f.ret(SECCOMP_RET_KILL_PROCESS);
  return f.finish();
}

std::string install(const std::vector<pid_t>* allowed) {
  if (g_record == nullptr) return "the kill record was not created before the fork";
  struct sigaction action {};
  action.sa_sigaction = on_trapped_syscall;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGSYS, &action, nullptr) != 0) return std::string("sigaction: ") + std::strerror(errno);
  // A SIGSYS that is blocked when the trap fires would kill the process
  // instead of reaching the handler; make sure it is not.
  sigset_t sigsys;
  sigemptyset(&sigsys);
  sigaddset(&sigsys, SIGSYS);
  sigprocmask(SIG_UNBLOCK, &sigsys, nullptr);

  std::vector<sock_filter> code = build_filter(allowed);
  sock_fprog program{};
  program.len = static_cast<unsigned short>(code.size());
  program.filter = code.data();
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return std::string("PR_SET_NO_NEW_PRIVS: ") + std::strerror(errno);
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0) {
    return std::string("PR_SET_SECCOMP: ") + std::strerror(errno);
  }
  return "";
}

}  // namespace

void reset_kill_record() {
  if (g_record == nullptr) {
    void* page = mmap(nullptr, sizeof(SharedRecord), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) std::abort();
    g_record = static_cast<SharedRecord*>(page);
  }
  g_record->count.store(0);
  std::memset(g_record->attempts, 0, sizeof(g_record->attempts));
}

std::vector<KillAttempt> recorded_kill_attempts() {
  std::vector<KillAttempt> out;
  if (g_record == nullptr) return out;
  const std::uint32_t count = g_record->count.load();
  for (std::uint32_t i = 0; i < count && i < kMaxAttempts; ++i) out.push_back(g_record->attempts[i]);
  return out;
}

std::string describe(const std::vector<KillAttempt>& attempts) {
  std::string out;
  for (const KillAttempt& a : attempts) {
    out += "  blocked syscall " + std::to_string(a.syscall_number) + " target " + std::to_string(a.target) +
           " signal " + std::to_string(a.signal) + "\n";
  }
  return out;
}

std::string install_kill_guard_allowing_only(const std::vector<pid_t>& allowed) { return install(&allowed); }

std::string install_kill_guard_against_broadcasts() { return install(nullptr); }

}  // namespace daemon_test
