#include "native_os.h"

#include <cstring>

#include "real_os_calls.h"

namespace mf::simos {

NativeOs& NativeOs::instance() {
  static NativeOs os;
  return os;
}

long NativeOs::mmap(std::uint64_t len) {
  if (!rules_.admit_mmap(len)) return -model::kEnomem;
  const long result = __real___mf_os_mmap(len);
  if (result < 0 && result >= -4095) {
    if (anomaly_.empty()) anomaly_ = "the kernel refused mmap(" + std::to_string(len) + "): errno " + std::to_string(-result);
    return result;
  }
  rules_.commit_mmap(len);
  return result;
}

long NativeOs::munmap(void* addr, std::uint64_t len) {
  if (!rules_.admit_munmap()) return -model::kEnomem;
  const long result = __real___mf_os_munmap(addr, len);
  if (result != 0) {
    if (anomaly_.empty()) anomaly_ = "the kernel refused munmap: errno " + std::to_string(-result);
    return result;
  }
  rules_.commit_munmap(len);
  return 0;
}

long NativeOs::time() {
  (void)__real___mf_os_time();
  return rules_.time();
}

long NativeOs::write(int fd, const void* buf, std::uint64_t len) {
  if (fd == 2) {
    const std::size_t room = stderr_.size() - stderr_size_;
    const std::size_t taken = len < room ? static_cast<std::size_t>(len) : room;
    std::memcpy(stderr_.data() + stderr_size_, buf, taken);
    stderr_size_ += taken;
  }
  return __real___mf_os_write(fd, buf, len);
}

void NativeOs::begin_run(std::uint64_t memory_limit) {
  rules_.reset(memory_limit);
  stderr_size_ = 0;
  anomaly_.clear();
}

}  // namespace mf::simos
