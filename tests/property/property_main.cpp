// The property tests' main: GoogleTest, plus the line of counts after every
// test (property_stats.h), plus a default RapidCheck budget.
//
// RC_PARAMS, when set, wins: that is how a user reproduces a failure
// (RC_PARAMS="reproduce=...") or a campaign raises the budget.  Otherwise
// MF_PROPERTY_DEFAULT_RC_PARAMS (set per test by ctest) is used, so that the
// default test run stays short.

#include <gtest/gtest.h>

#include <cstdlib>

#include "property_stats.h"

int main(int argc, char** argv) {
  const char* defaults = std::getenv("MF_PROPERTY_DEFAULT_RC_PARAMS");
  // RapidCheck reads RC_PARAMS on first use, which is after this point.
  if (std::getenv("RC_PARAMS") == nullptr && defaults != nullptr) setenv("RC_PARAMS", defaults, 0);
  ::testing::InitGoogleTest(&argc, argv);
  mf::property::install_stats_printer();
  return RUN_ALL_TESTS();
}
