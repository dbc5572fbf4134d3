#include "call_boundary.h"

namespace mf::runner {

namespace {

constexpr const char* kRegisterNames[6] = {"rbx", "rbp", "r12", "r13", "r14", "r15"};
constexpr std::uint64_t kDirectionFlag = 0x400;

// splitmix64: cheap, and every output differs from the last.
std::uint64_t next_random() {
  static std::uint64_t state = 0x9e3779b97f4a7c15;
  std::uint64_t z = (state += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

// Garbage for a register the callee may not rely on, as real callers leave
// it: uniform bits half the time, else 0 or a small count.  A function that
// reads a register it never set (a deleted load) is then tested against the
// values that make such a read go wrong most often, not only against huge
// ones (uniform bits lie above 2^40 but once in 2^24 draws).
std::uint64_t next_garbage() {
  const std::uint64_t r = next_random();
  switch (r & 3) {
    case 0:
      return 0;
    case 1:
      return (r >> 2) & 0xFFFF;
    default:
      return next_random();
  }
}

// The calls armed so far (unused_argument's turn).
std::uint64_t g_calls = 0;

}  // namespace

std::uint64_t unused_argument(const CallBoundary& check, std::size_t i) {
  return g_calls % 2 == 1 ? (g_calls / 2) % 4 : check.scratch[i];
}

void arm(CallBoundary& check) {
  ++g_calls;
  for (std::uint64_t& c : check.canary) c = next_random();
  for (std::uint64_t& g : check.scratch) g = next_garbage();
  check.after = check.canary;
  check.rsp_before = check.rsp_after = 0;
  check.rflags_after = 0;
}

std::string violation(const CallBoundary& check) {
  std::string registers;
  int clobbered = 0;
  for (std::size_t i = 0; i < check.canary.size(); ++i) {
    if (check.after[i] == check.canary[i]) continue;
    registers += std::string(registers.empty() ? "" : ", ") + kRegisterNames[i];
    ++clobbered;
  }
  std::string out;
  if (clobbered != 0) out = registers + " not preserved";
  if (check.rsp_after != check.rsp_before) {
    const auto moved = static_cast<std::int64_t>(check.rsp_after - check.rsp_before);
    out += std::string(out.empty() ? "" : "; ") + "rsp moved by " + std::to_string(moved);
  }
  if ((check.rflags_after & kDirectionFlag) != 0) {
    out += std::string(out.empty() ? "" : "; ") + "the direction flag left set";
  }
  return out;
}

}  // namespace mf::runner
