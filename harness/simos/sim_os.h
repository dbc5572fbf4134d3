// sim_os.h - the simulated OS: a C++ implementation of every __mf_os_*
// function of harness/sut/morph_os_abi.h, deterministic and observable.
//
//   mmap/munmap  real memory from AddressSpace, under OsRules (fault
//                injection, memory limit), both shared with the model's rules
//   time         a settable clock (OsRules), 0 at the start of a run
//   write        fd 1 and 2 are captured per run, never printed
//   exit         turned into a recorded outcome: the exit handler (the
//                runner's) longjmps back; without one, a real exit
//   nanosleep    advances the clock instead of sleeping
//   rt_sigaction accepted and ignored: the SUT's fault handler must not
//                take over the harness's process
//   sigaltstack  keeps the one simulated thread's alternate stack (none at
//                the start of a run) and reports it, never installs it
//   openat, read, close, fstat, fstatat, getdents64, unlinkat, kill
//                the files and processes of sim_files.cpp: /proc/meminfo,
//                the cleaner's monitor directory and /proc/<pid>, as the
//                OsRules describe them (the meminfo and daemon targets'
//                control ops); kill is recorded, never sent
//   the rest     (fork, setsid, flock, rt_sigprocmask) -ENOSYS: the daemon's
//                loop is not simulated
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "address_space.h"
#include "os_environment.h"
#include "os_rules.h"

namespace mf::simos {

class SimOs final : public OsEnvironment {
 public:
  using ExitHandler = void (*)(int code);  // must not return
  // The simulated process: the cleaner world's own (cleaner_world.h).
  static constexpr long kPid = model::daemon::CleanerWorld::kOwnPid;
  static constexpr long kUid = model::daemon::CleanerWorld::kOwnUid;
  static constexpr std::size_t kStderrCapacity = 4096;
  // The descriptors of what the SUT opens, one of each at a time.
  static constexpr int kMeminfoFd = 3;
  static constexpr int kDirectoryFd = 4;
  static constexpr int kEntryFd = 5;

  static SimOs& instance();

  // ---- the __mf_os_* functions ----
  long mmap(std::uint64_t len);
  long munmap(std::uint64_t addr, std::uint64_t len);
  long time() { return rules_.time(); }
  [[noreturn]] void exit(int code);
  long write(int fd, const void* buf, std::uint64_t len);
  long nanosleep(const void* request);
  long sigaltstack(const void* stack, void* old);
  long openat(int dirfd, const char* path, int flags);
  long read(int fd, void* buf, std::uint64_t len);
  long close(int fd);
  long fstat(int fd, void* stat_buf);
  long fstatat(int dirfd, const char* path, void* stat_buf, int flags);
  long getdents64(int fd, void* buf, std::uint64_t len);
  long unlinkat(int dirfd, const char* path, int flags);
  long kill(long pid, int sig);
  // The pids sent a signal since the last call (the runner's, after each op).
  std::vector<std::int64_t> take_signals() override;
  long pid() const { return kPid; }
  long uid() const { return kUid; }
  long ignored() const { return 0; }
  long unsupported() const;

  // The runner's way back from an exit; nullptr makes exit() end the process.
  void set_exit_handler(ExitHandler handler) { exit_handler_ = handler; }
  int last_exit_code() const { return last_exit_code_; }

  // ---- OsEnvironment ----
  void begin_run(std::uint64_t memory_limit) override;
  void end_run() override;
  model::OsRules& rules() override { return rules_; }
  std::string_view captured_stderr() const override { return {stderr_.data(), stderr_size_}; }
  void forget_stderr() override { stderr_size_ = 0; }
  std::string_view anomaly() const override { return anomaly_; }
  void note_anomaly(std::string what) override;
  // A misuse unless `flags` are the ones docs/spec.md names for that open.
  void check_open_flags(const std::string& what, int flags, int expected);
  // A misuse of a descriptor the SUT does not hold (the call returns EBADF).
  long bad_descriptor(const char* call, int fd);
  std::string open_files() const override;
  bool is_live_mapping(std::uint64_t addr, std::uint64_t len) const override { return space_.is_live(addr, len); }

  const AddressSpace& memory() const { return space_; }
  std::uint64_t stdout_bytes() const { return stdout_bytes_; }

 private:
  SimOs() = default;
  void reset_observations();

  AddressSpace space_;
  model::OsRules rules_;
  std::array<char, kStderrCapacity> stderr_{};
  std::size_t stderr_size_ = 0;
  std::uint64_t stdout_bytes_ = 0;
  std::string anomaly_;
  struct OpenFiles {
    bool meminfo = false;
    bool directory = false;
    bool entry = false;
    std::uint64_t meminfo_offset = 0;
    std::vector<std::string> listing;  // the directory's names when it was opened
    std::size_t listed = 0;            // of them, how many getdents64 returned
    std::size_t dots_listed = 0;       // of ".", the two records without a NUL, "..", listed first
    bool empty_listed = false;         // the 20-byte record with an empty name (MonitorDirectory)
    bool read_cut = false;             // the read failed with a cut or short record: every later call fails
    std::string entry_name;
    std::string entry_content;
    std::uint32_t entry_mode = 0;
    std::uint64_t entry_offset = 0;
    std::uint64_t entry_reads = 0;     // reads of the entry so far
    bool entry_ended = false;          // a read of the entry returned 0 (end of file) or an error
  };
  OpenFiles files_;
  std::vector<std::int64_t> signals_;
  // The simulated thread's alternate stack, as stack_t: sp, flags, size.
  struct AltStack {
    std::uint64_t sp = 0;
    std::uint64_t flags = 2;  // SS_DISABLE
    std::uint64_t size = 0;
  } alt_stack_;
  ExitHandler exit_handler_ = nullptr;
  int last_exit_code_ = 0;
};

}  // namespace mf::simos
