#include "sim_os.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "sut_state.h"
#include "hex_text.h"

namespace mf::simos {

namespace {


}  // namespace

SimOs& SimOs::instance() {
  static SimOs os;
  return os;
}

long SimOs::mmap(std::uint64_t len) {
  if (!rules_.admit_mmap(len)) return -model::kEnomem;
  std::optional<std::uint64_t> addr = space_.map(len);
  if (!addr) {
    // The rules allowed it, so the model thinks it succeeded: report why not.
    note_anomaly("mmap(" + std::to_string(len) + ") admitted but the simulated address region has no room");
    return -model::kEnomem;
  }
  rules_.commit_mmap(len);
  return static_cast<long>(*addr);
}

long SimOs::munmap(std::uint64_t addr, std::uint64_t len) {
  if (!rules_.admit_munmap()) return -model::kEnomem;
  if (!space_.unmap(addr, len)) {
    note_anomaly("munmap(" + hex(addr) + ", " + std::to_string(len) + ") does not name one whole mapping");
    return -EINVAL;
  }
  rules_.commit_munmap(len);
  return 0;
}

void SimOs::exit(int code) {
  last_exit_code_ = code;
  if (exit_handler_ != nullptr) exit_handler_(code);
  // No runner to return to: behave like the real exit_group, showing what the
  // SUT wrote to stderr first.
  if (stderr_size_ != 0) (void)::write(2, stderr_.data(), stderr_size_);
  _exit(code);
}

long SimOs::write(int fd, const void* buf, std::uint64_t len) {
  if (fd == 1) {
    stdout_bytes_ += len;
    return static_cast<long>(len);
  }
  if (fd != 2) {
    note_anomaly("write to descriptor " + std::to_string(fd));
    return -EBADF;
  }
  const std::size_t room = kStderrCapacity - stderr_size_;
  const std::size_t taken = len < room ? static_cast<std::size_t>(len) : room;
  std::memcpy(stderr_.data() + stderr_size_, buf, taken);
  stderr_size_ += taken;
  return static_cast<long>(len);
}

long SimOs::nanosleep(const void* request) {
  if (request == nullptr) return -EFAULT;
  timespec ts;
  std::memcpy(&ts, request, sizeof ts);
  rules_.set_time(rules_.time() + ts.tv_sec);
  return 0;
}

long SimOs::sigaltstack(const void* stack, void* old) {
  static_assert(sizeof(AltStack) == sizeof(stack_t));
  AltStack next;
  if (stack != nullptr) {
    std::memcpy(&next, stack, sizeof next);
    next.flags &= 0xffffffffu;  // ss_flags is an int: the rest is padding
    // SS_AUTODISARM (1 << 31) is the one flag besides SS_DISABLE a caller may
    // set; 2048 is the kernel's MINSIGSTKSZ.  On failure nothing is written.
    if ((next.flags & ~(std::uint64_t{SS_DISABLE} | (std::uint64_t{1} << 31))) != 0) return -EINVAL;
    if (!(next.flags & SS_DISABLE) && next.size < 2048) return -ENOMEM;
  }
  if (old != nullptr) std::memcpy(old, &alt_stack_, sizeof alt_stack_);
  if (stack != nullptr) alt_stack_ = next;
  return 0;
}

long SimOs::unsupported() const { return -ENOSYS; }

void SimOs::note_anomaly(std::string what) {
  if (anomaly_.empty()) anomaly_ = std::move(what);
}

void SimOs::reset_observations() {
  stderr_size_ = 0;
  stdout_bytes_ = 0;
  anomaly_.clear();
  alt_stack_ = AltStack{};
  files_ = OpenFiles{};
  signals_.clear();
  last_exit_code_ = 0;
}

void SimOs::begin_run(std::uint64_t memory_limit) {
  space_.release_all();
  SutState::restore();
  rules_.reset(memory_limit);
  reset_observations();
}

void SimOs::end_run() {
  space_.release_all();
  SutState::restore();
}

}  // namespace mf::simos
