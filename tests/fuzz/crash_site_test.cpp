// Each divergence signature crashes through its own chain of frames
// (harness/fuzz/crash_site.h), so that stack-based deduplication keeps
// distinct bugs apart: every signature known today gets a site of its own,
// the same one every time, and the chain does abort.
#include "crash_site.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace {

using mf::fuzz::crash_site;

std::string signature_of(const std::filesystem::path& trace) {
  std::ifstream in(trace);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("# signature: ")) return line.substr(13);
  }
  return "";
}

TEST(CrashSite, EverySignatureOfTheRegressionsHasItsOwnSite) {
  std::map<std::array<unsigned, 3>, std::string> sites;
  std::size_t signatures = 0;
  for (const auto& entry : std::filesystem::directory_iterator(MF_REGRESSIONS_DIR)) {
    const std::string signature = signature_of(entry.path());
    ASSERT_FALSE(signature.empty()) << entry.path() << " names no signature";
    ++signatures;
    const auto [it, added] = sites.emplace(crash_site(signature), signature);
    EXPECT_TRUE(added || it->second == signature) << signature << " crashes where " << it->second << " does";
  }
  EXPECT_GE(signatures, 11u);
}

TEST(CrashSite, IsStable) {
  const std::string line = "MF-DIVERGENCE target=pool op=pool_free field=pN_header_free_count_differs";
  EXPECT_EQ(crash_site(line), crash_site(std::string(line)));
  EXPECT_NE(crash_site(line), crash_site(line + "x"));
  for (unsigned frame : crash_site(line)) EXPECT_LT(frame, 16u);
}

TEST(CrashSiteDeathTest, Aborts) {
  EXPECT_DEATH(mf::fuzz::crash_for_signature("MF-DIVERGENCE target=arena op=arena_alloc field=x"), "");
}

}  // namespace
