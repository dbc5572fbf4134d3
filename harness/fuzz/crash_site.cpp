#include "crash_site.h"

#include <cstdint>
#include <cstdlib>

namespace mf::fuzz {

namespace {

// FNV-1a, 32 bits: stable across compilers and runs (std::hash is not).
std::uint32_t fnv1a(std::string_view text) {
  std::uint32_t h = 2166136261u;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

using Frame = void (*)(std::uint32_t digits, int left);

template <unsigned Digit>
[[gnu::noinline]] void crash_frame(std::uint32_t digits, int left);

constexpr Frame kFrames[16] = {
    &crash_frame<0>,  &crash_frame<1>,  &crash_frame<2>,  &crash_frame<3>,  &crash_frame<4>,  &crash_frame<5>,
    &crash_frame<6>,  &crash_frame<7>,  &crash_frame<8>,  &crash_frame<9>,  &crash_frame<10>, &crash_frame<11>,
    &crash_frame<12>, &crash_frame<13>, &crash_frame<14>, &crash_frame<15>};

template <unsigned Digit>
void crash_frame(std::uint32_t digits, int left) {
  if (left == 0) std::abort();
  kFrames[digits & 15u](digits >> 4, left - 1);
  // Never reached; stops the call above from becoming a tail jump, which
  // would take this frame off the stack.
  asm volatile("" ::: "memory");
}

}  // namespace

std::array<unsigned, 3> crash_site(std::string_view signature_line) {
  const std::uint32_t h = fnv1a(signature_line);
  return {h & 15u, (h >> 4) & 15u, (h >> 8) & 15u};
}

void crash_for_signature(std::string_view signature_line) {
  const std::uint32_t h = fnv1a(signature_line);
  kFrames[h & 15u](h >> 4, 2);
  std::abort();
}

}  // namespace mf::fuzz
