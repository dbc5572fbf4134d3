#include "sut_state.h"

#include <cstring>
#include <vector>

extern "C" {
extern char __start_morph_state[] __attribute__((weak));
extern char __stop_morph_state[] __attribute__((weak));
}

namespace mf::simos {

namespace {

std::vector<char>& pristine() {
  static std::vector<char> bytes;
  return bytes;
}

// Runs at load time, before main and so before any SUT code can have run:
// the copy is the state of a freshly loaded SUT.
__attribute__((constructor)) void save_pristine_state() {
  if (SutState::available()) pristine().assign(__start_morph_state, __stop_morph_state);
}

}  // namespace

bool SutState::available() {
  const char* start = __start_morph_state;
  const char* stop = __stop_morph_state;
  return start != nullptr && stop > start;
}

std::size_t SutState::size() { return available() ? static_cast<std::size_t>(__stop_morph_state - __start_morph_state) : 0; }

void SutState::restore() {
  if (!available()) return;
  std::memcpy(__start_morph_state, pristine().data(), pristine().size());
}

}  // namespace mf::simos
