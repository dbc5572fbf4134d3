// native_os.h - native mode's OS: the real os.s does every system call, and
// the harness adds only what the model needs to predict the run:
//
//   * OsRules (models/os_rules.h, the same rules as the model's): injected
//     mmap/munmap failures and the memory limit refuse a call before it
//     reaches the kernel, exactly as in the simulation (without the limit, a 2 GiB request the model refuses
//     would succeed under the kernel's overcommit);
//   * the clock: the real time system call is made (so that it is
//     exercised) but the run's virtual clock is returned, so page timestamps
//     are predictable;
//   * a copy of what the SUT writes to stderr, which still reaches the real
//     descriptor.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "os_environment.h"
#include "os_rules.h"

namespace mf::simos {

class NativeOs final : public OsEnvironment {
 public:
  static NativeOs& instance();

  long mmap(std::uint64_t len);
  long munmap(void* addr, std::uint64_t len);
  long time();
  long write(int fd, const void* buf, std::uint64_t len);

  void begin_run(std::uint64_t memory_limit) override;
  void end_run() override {}
  model::OsRules& rules() override { return rules_; }
  std::string_view captured_stderr() const override { return {stderr_.data(), stderr_size_}; }
  void forget_stderr() override { stderr_size_ = 0; }
  std::string_view anomaly() const override { return anomaly_; }
  void note_anomaly(std::string what) override {
    if (anomaly_.empty()) anomaly_ = std::move(what);
  }
  bool is_live_mapping(std::uint64_t, std::uint64_t) const override { return true; }

 private:
  NativeOs() = default;
  model::OsRules rules_;
  std::array<char, 4096> stderr_{};
  std::size_t stderr_size_ = 0;
  std::string anomaly_;
};

}  // namespace mf::simos
