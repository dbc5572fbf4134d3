#include "time_scale.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace daemon_test {

namespace {

constexpr const char* kVariable = "MF_DAEMON_TEST_TIME_SCALE";
constexpr int kLargest = 20;  // 3 s become a minute: more would hide a hang for long

int read_time_scale() {
  const char* value = std::getenv(kVariable);
  if (value == nullptr || *value == '\0') return 1;
  char* end = nullptr;
  const long factor = std::strtol(value, &end, 10);
  if (*end != '\0' || factor < 1 || factor > kLargest) {
    // A typo must not quietly run the suite unscaled.
    std::fprintf(stderr, "%s=%s: want a whole number from 1 to %d\n", kVariable, value, kLargest);
    std::exit(2);
  }
  return static_cast<int>(factor);
}

// Read during static initialization, before main and any test (and before
// any fork: a guarded child never parses it again).
const int g_time_scale = read_time_scale();

}  // namespace

int time_scale() { return g_time_scale; }

std::chrono::milliseconds scaled(std::chrono::milliseconds base) { return base * g_time_scale; }

}  // namespace daemon_test
