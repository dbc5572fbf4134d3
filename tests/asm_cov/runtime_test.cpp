// mf_asm_cov_runtime over the instrumented fixtures: enumeration through the
// linker's section bracket, reset, snapshot, and the fold into an AFL++ map.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "asm_cov_runtime.h"
#include "cov_map_lookup.h"
#include "fixtures.h"

extern "C" {
extern std::uint8_t __start___libfuzzer_extra_counters[] __attribute__((weak));
extern std::uint8_t __stop___libfuzzer_extra_counters[] __attribute__((weak));
}

namespace mf::asm_cov {
namespace {

const auto* kMagicInput = reinterpret_cast<const std::uint8_t*>("MFZ");

TEST(AsmCovRuntime, EnumeratesEveryInstrumentedFileWithItsMap) {
  std::set<std::string> names;
  ASSERT_EQ(mf_asm_cov_file_count(), 6u);
  std::size_t total = 0;
  for (std::size_t i = 0; i < mf_asm_cov_file_count(); ++i) {
    const mf_asm_cov_file* f = mf_asm_cov_file_at(i);
    ASSERT_NE(f, nullptr);
    names.insert(f->name);
    const CoverageMap map = test::load_map(MF_TEST_FIXTURE_MAP_DIR, f->name);
    EXPECT_EQ(f->count, map.entries.size()) << f->name;
    EXPECT_EQ(f->name_hash, map.hash) << f->name;
    EXPECT_EQ(f->name_hash, name_hash(f->name)) << f->name;
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(f->counters) % 64, 0u) << f->name;
    total += f->count;
  }
  EXPECT_EQ(names, (std::set<std::string>{"flags.s", "loops.s", "magic.s", "redzone.s", "rep.s",
                                          "sections.s"}));
  EXPECT_EQ(mf_asm_cov_total_counters(), total);
  EXPECT_EQ(mf_asm_cov_file_at(mf_asm_cov_file_count()), nullptr);
  ASSERT_NE(mf_asm_cov_find_file("magic.s"), nullptr);
  EXPECT_EQ(mf_asm_cov_find_file("magic.s")->counters, __mf_asm_cov_magic_counters);
  EXPECT_EQ(mf_asm_cov_find_file("magic"), nullptr);
}

TEST(AsmCovRuntime, CountersLieWhereLibFuzzerReadsThem) {
  ASSERT_NE(__start___libfuzzer_extra_counters, nullptr);
  auto begin = reinterpret_cast<std::uintptr_t>(__start___libfuzzer_extra_counters);
  auto end = reinterpret_cast<std::uintptr_t>(__stop___libfuzzer_extra_counters);
  for (std::size_t i = 0; i < mf_asm_cov_file_count(); ++i) {
    const mf_asm_cov_file* f = mf_asm_cov_file_at(i);
    auto at = reinterpret_cast<std::uintptr_t>(f->counters);
    EXPECT_GE(at, begin) << f->name;
    EXPECT_LE(at + f->count, end) << f->name;
  }
}

TEST(AsmCovRuntime, ResetSnapshotAndNonzeroCount) {
  mf_asm_cov_reset();
  EXPECT_EQ(mf_asm_cov_nonzero_count(), 0u);
  ASSERT_EQ(mf_fx_magic(kMagicInput, 3), 1u);
  const mf_asm_cov_file* magic = mf_asm_cov_find_file("magic.s");
  EXPECT_EQ(mf_asm_cov_nonzero_count(), magic->count);  // "MFZ" passes every probe of magic.s

  const std::size_t total = mf_asm_cov_total_counters();
  std::vector<std::uint8_t> snap(total + 4, 0xcc);
  ASSERT_EQ(mf_asm_cov_snapshot(snap.data(), total), total);
  EXPECT_EQ(snap[total], 0xcc);  // nothing written past the capacity
  std::size_t offset = 0;
  for (std::size_t i = 0; mf_asm_cov_file_at(i) != magic; ++i) offset += mf_asm_cov_file_at(i)->count;
  for (std::size_t k = 0; k < total; ++k) {
    bool in_magic = k >= offset && k < offset + magic->count;
    EXPECT_EQ(snap[k], in_magic ? 1 : 0) << k;
  }
  std::vector<std::uint8_t> small(3, 0xcc);
  EXPECT_EQ(mf_asm_cov_snapshot(small.data(), 2), total);
  EXPECT_EQ(small[2], 0xcc);

  mf_asm_cov_reset();
  EXPECT_EQ(mf_asm_cov_nonzero_count(), 0u);
  ASSERT_EQ(mf_asm_cov_snapshot(snap.data(), total), total);
  for (std::size_t k = 0; k < total; ++k) EXPECT_EQ(snap[k], 0) << k;
}

TEST(AsmCovRuntime, FoldAddsIntoTheAflMapAndClearsTheCounters) {
  mf_asm_cov_reset();
  ASSERT_EQ(mf_fx_magic(kMagicInput, 3), 1u);
  mf_fx_magic(kMagicInput, 3);
  const mf_asm_cov_file* magic = mf_asm_cov_find_file("magic.s");
  std::vector<std::uint8_t> area(1 << 16, 0);
  mf_asm_cov_fold_into_afl(area.data(), area.size());
  unsigned sum = 0;
  for (std::uint8_t cell : area) sum += cell;
  EXPECT_EQ(sum, 2 * magic->count);  // every probe of magic.s ran twice
  for (std::uint64_t k = 0; k < magic->count; ++k)
    EXPECT_GE(area[mf_asm_cov_afl_index(magic->name_hash, k, area.size())], 2) << k;
  EXPECT_EQ(mf_asm_cov_nonzero_count(), 0u);  // ready for the next iteration

  // Saturating, like the counters.
  magic->counters[0] = 200;
  const std::size_t cell = mf_asm_cov_afl_index(magic->name_hash, 0, area.size());
  area[cell] = 100;
  mf_asm_cov_fold_into_afl(area.data(), area.size());
  EXPECT_EQ(area[cell], 255);
  EXPECT_EQ(magic->counters[0], 0);
}

TEST(AsmCovRuntime, AflIndexIsStableAndSpread) {
  const std::uint64_t hash = name_hash("alloc.s");
  std::set<std::size_t> cells;
  for (std::uint64_t k = 0; k < 1000; ++k) {
    std::size_t cell = mf_asm_cov_afl_index(hash, k, 65536);
    ASSERT_LT(cell, 65536u);
    ASSERT_EQ(cell, mf_asm_cov_afl_index(hash, k, 65536));
    cells.insert(cell);
  }
  EXPECT_GT(cells.size(), 980u);  // ~8 collisions expected among 1000 of 65536
  EXPECT_NE(mf_asm_cov_afl_index(hash, 0, 65536), mf_asm_cov_afl_index(name_hash("pool.s"), 0, 65536));
  // Pinned (values from an independent computation of the documented
  // formula): a change would make every saved AFL++ queue look new.
  EXPECT_EQ(hash, 0x14af4b1b8ca401a1u);
  EXPECT_EQ(mf_asm_cov_afl_index(hash, 0, 65536), 54539u);
  EXPECT_EQ(mf_asm_cov_afl_index(hash, 7, 65536), 14716u);
}

}  // namespace
}  // namespace mf::asm_cov
