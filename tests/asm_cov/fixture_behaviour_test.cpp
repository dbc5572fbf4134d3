// The instrumented fixtures against the same fixtures as written: identical
// results over many inputs, flags and the red zone intact across probes,
// counters that count exactly the paths taken, and maps naming the right lines.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "cov_map_lookup.h"
#include "fixtures.h"

namespace mf::asm_cov {
namespace {

using test::fallthrough_counter;
using test::label_counter;
using test::unique_line_of;

const std::vector<std::string> kFixtures = {"flags.s", "loops.s", "magic.s",
                                            "redzone.s", "rep.s", "sections.s"};

std::string fixture_source(const std::string& name) {
  return test::read_text_file(std::string(MF_TEST_FIXTURE_SOURCE_DIR) + "/" + name);
}
std::string fixture_instrumented(const std::string& name) {
  return test::read_text_file(std::string(MF_TEST_FIXTURE_MAP_DIR) + "/" + name);
}
CoverageMap fixture_map(const std::string& name) {
  return test::load_map(MF_TEST_FIXTURE_MAP_DIR, name);
}

std::vector<std::uint8_t> counters_of(const std::uint8_t* counters, const CoverageMap& map) {
  return {counters, counters + map.entries.size()};
}

const std::vector<std::uint64_t> kEdgeValues = {0,
                                                1,
                                                2,
                                                0x7fffffffffffffffULL,
                                                0x8000000000000000ULL,
                                                0xfffffffffffffffeULL,
                                                0xffffffffffffffffULL,
                                                0x00000000ffffffffULL};

// Edge values crossed with each other, then random pairs.
std::vector<std::pair<std::uint64_t, std::uint64_t>> value_pairs() {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> pairs;
  for (std::uint64_t a : kEdgeValues)
    for (std::uint64_t b : kEdgeValues) pairs.emplace_back(a, b);
  std::mt19937_64 rng(42);
  for (int i = 0; i < 5000; ++i) {
    std::uint64_t a = rng(), b = rng();
    if (i % 3 == 0) b = a + (rng() % 3) - 1;  // near-equal pairs exercise ZF and CF
    pairs.emplace_back(a, b);
  }
  return pairs;
}

std::vector<std::vector<std::uint8_t>> byte_strings() {
  std::vector<std::vector<std::uint8_t>> out;
  const std::array<std::uint8_t, 8> alphabet = {'M', 'F', 'Z', 'x', 0, 15, 100, 255};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 4000; ++i) {
    std::vector<std::uint8_t> s(rng() % 9);
    for (auto& b : s) b = i % 2 ? alphabet[rng() % alphabet.size()] : static_cast<std::uint8_t>(rng());
    out.push_back(std::move(s));
  }
  for (const char* s : {"", "M", "MF", "MFZ", "MFZ!", "MFz", "xFZ", "MxZ"})
    out.emplace_back(s, s + std::strlen(s));
  return out;
}

TEST(AsmCovFixtures, MagicComputesTheSameResults) {
  for (const auto& s : byte_strings()) {
    std::uint64_t expected = s.size() >= 3 && s[0] == 'M' && s[1] == 'F' && s[2] == 'Z';
    ASSERT_EQ(plain_mf_fx_magic(s.data(), s.size()), expected);
    ASSERT_EQ(mf_fx_magic(s.data(), s.size()), expected);
  }
}

TEST(AsmCovFixtures, MagicCountersCountExactlyThePathsTaken) {
  const CoverageMap map = fixture_map("magic.s");
  const std::string src = fixture_source("magic.s");
  ASSERT_EQ(map.entries.size(), 7u);
  const std::size_t entry = label_counter(map, "mf_fx_magic");
  const std::size_t found = label_counter(map, ".Lmagic_found");
  const std::size_t no = label_counter(map, ".Lmagic_no");
  const std::size_t long_enough = fallthrough_counter(map, unique_line_of(src, "jb      .Lmagic_no"));
  const std::size_t m_matched = fallthrough_counter(map, unique_line_of(src, "cmpb    $'M'") + 1);
  const std::size_t f_matched = fallthrough_counter(map, unique_line_of(src, "cmpb    $'F'") + 1);
  const std::size_t z_matched = fallthrough_counter(map, unique_line_of(src, "cmpb    $'Z'") + 1);

  auto run = [&](const char* input, std::size_t n) {
    std::memset(__mf_asm_cov_magic_counters, 0, map.entries.size());
    mf_fx_magic(reinterpret_cast<const std::uint8_t*>(input), n);
    return counters_of(__mf_asm_cov_magic_counters, map);
  };
  auto expect = [&](std::initializer_list<std::size_t> hit) {
    std::vector<std::uint8_t> v(map.entries.size(), 0);
    for (std::size_t k : hit) v[k] = 1;
    return v;
  };
  EXPECT_EQ(run("xx", 2), expect({entry, no}));
  EXPECT_EQ(run("xFZ", 3), expect({entry, long_enough, no}));
  EXPECT_EQ(run("MxZ", 3), expect({entry, long_enough, m_matched, no}));
  EXPECT_EQ(run("MFx", 3), expect({entry, long_enough, m_matched, f_matched, no}));
  // Found falls through into .Lmagic_no: every counter once.
  EXPECT_EQ(run("MFZ", 3), expect({entry, long_enough, m_matched, f_matched, z_matched, found, no}));
}

TEST(AsmCovFixtures, CountersSaturateAt255) {
  const CoverageMap map = fixture_map("magic.s");
  std::memset(__mf_asm_cov_magic_counters, 0, map.entries.size());
  const auto* input = reinterpret_cast<const std::uint8_t*>("MFZ");
  for (int i = 0; i < 300; ++i) mf_fx_magic(input, 3);
  EXPECT_EQ(__mf_asm_cov_magic_counters[label_counter(map, "mf_fx_magic")], 255);
  EXPECT_EQ(__mf_asm_cov_magic_counters[label_counter(map, ".Lmagic_found")], 255);
  EXPECT_EQ(mf_fx_magic(input, 3), 1u);  // a saturated probe still preserves everything
}

TEST(AsmCovFixtures, LoopsComputeTheSameResults) {
  for (const auto& s : byte_strings()) {
    std::uint64_t sum = 0, classes = 0, zero = s.size();
    for (std::size_t i = 0; i < s.size(); ++i) {
      sum += s[i] >= 128 ? 2u * s[i] : s[i];
      classes += s[i] < 16 ? 1 : s[i] < 64 ? 2 : s[i] < 128 ? 3 : 4;
      if (s[i] == 0 && zero == s.size()) zero = i;
    }
    ASSERT_EQ(plain_mf_fx_sum_bytes(s.data(), s.size()), sum);
    ASSERT_EQ(mf_fx_sum_bytes(s.data(), s.size()), sum);
    ASSERT_EQ(plain_mf_fx_find_zero(s.data(), s.size()), zero);
    ASSERT_EQ(mf_fx_find_zero(s.data(), s.size()), zero);
    ASSERT_EQ(plain_mf_fx_classify(s.data(), s.size()), classes);
    // The instrumented loop body is far beyond loop's 127-byte reach: this
    // links and runs only because of the trampoline.
    ASSERT_EQ(mf_fx_classify(s.data(), s.size()), classes);
  }
}

TEST(AsmCovFixtures, LoopCountersCountIterationsAndBothSidesOfTheLoop) {
  const CoverageMap map = fixture_map("loops.s");
  const std::string src = fixture_source("loops.s");
  const std::array<std::uint8_t, 4> bytes = {5, 20, 100, 200};  // one of each class
  std::memset(__mf_asm_cov_loops_counters, 0, map.entries.size());
  ASSERT_EQ(mf_fx_classify(bytes.data(), bytes.size()), 10u);
  const std::uint8_t* c = __mf_asm_cov_loops_counters;
  EXPECT_EQ(c[label_counter(map, "mf_fx_classify")], 1);
  EXPECT_EQ(c[fallthrough_counter(map, unique_line_of(src, "jrcxz   9f"))], 1);
  EXPECT_EQ(c[label_counter(map, "4")], 1);
  EXPECT_EQ(c[label_counter(map, "5")], 4);  // every iteration ends there
  const std::size_t loop_line = unique_line_of(src, "loop    1b");
  EXPECT_EQ(c[fallthrough_counter(map, loop_line)], 1);  // the loop ends once
  EXPECT_EQ(c[label_counter(map, "9")], 1);

  std::memset(__mf_asm_cov_loops_counters, 0, map.entries.size());
  ASSERT_EQ(mf_fx_classify(bytes.data(), 0), 0u);
  EXPECT_EQ(c[fallthrough_counter(map, unique_line_of(src, "jrcxz   9f"))], 0);  // taken instead
  EXPECT_EQ(c[label_counter(map, "9")], 1);
  EXPECT_EQ(c[label_counter(map, "5")], 0);
}

TEST(AsmCovFixtures, RedZoneSurvivesProbes) {
  for (auto [a, b] : value_pairs()) {
    std::uint64_t slots[16];
    for (int k = 0; k < 16; ++k) slots[k] = a + static_cast<std::uint64_t>(k) * b;
    if (a < b) slots[0] ^= b;
    std::uint64_t r = 0;
    for (std::uint64_t s : slots) r = ((r << 5) | (r >> 59)) ^ s;
    ASSERT_EQ(plain_mf_fx_redzone(a, b), r);
    ASSERT_EQ(mf_fx_redzone(a, b), r) << a << " " << b;
  }
}

TEST(AsmCovFixtures, FlagsSurviveAProbeAfterALabel) {
  const CoverageMap map = fixture_map("flags.s");
  const std::size_t after_cmp = label_counter(map, ".Lflags_after_cmp");
  for (auto [a, b] : value_pairs()) {
    __mf_asm_cov_flags_counters[after_cmp] = 0;
    std::uint64_t flags = mf_fx_flags_across_label(a, b);
    ASSERT_EQ(__mf_asm_cov_flags_counters[after_cmp], 1) << "the probe must run between cmp and pushfq";
    ASSERT_EQ(flags, plain_mf_fx_flags_across_label(a, b)) << a << " " << b;
    ASSERT_EQ((flags & 0x01) != 0, a < b);   // CF
    ASSERT_EQ((flags & 0x40) != 0, a == b);  // ZF
    ASSERT_EQ((flags & 0x80) != 0, static_cast<std::int64_t>(a - b) < 0);  // SF
  }
}

TEST(AsmCovFixtures, FlagsSurviveProbesOnBothSidesOfAJump) {
  for (auto [a, b] : value_pairs()) {
    std::int64_t unsigned_order = a < b ? -1 : a > b ? 1 : 0;
    auto sa = static_cast<std::int64_t>(a), sb = static_cast<std::int64_t>(b);
    std::int64_t signed_order = sa < sb ? -1 : sa > sb ? 1 : 0;
    ASSERT_EQ(plain_mf_fx_compare3(a, b), unsigned_order);
    ASSERT_EQ(mf_fx_compare3(a, b), unsigned_order) << a << " " << b;
    ASSERT_EQ(mf_fx_compare3_signed(sa, sb), signed_order) << sa << " " << sb;
    ASSERT_EQ(mf_fx_carry_across_label(a, b), a + b < a ? 1u : 0u) << a << " " << b;
  }
}

TEST(AsmCovFixtures, DirectionFlagSurvivesAProbe) {
  EXPECT_EQ(plain_mf_fx_direction_across_label(), 0x400u);
  EXPECT_EQ(mf_fx_direction_across_label(), 0x400u);
}

TEST(AsmCovFixtures, RepStosbWorksInEveryForm) {
  using Fill = void* (*)(void*, std::uint64_t, std::uint64_t);
  const std::array<std::pair<Fill, Fill>, 3> forms = {{{mf_fx_fill, plain_mf_fx_fill},
                                                       {mf_fx_fill_split, plain_mf_fx_fill_split},
                                                       {mf_fx_fill_separated, plain_mf_fx_fill_separated}}};
  for (auto [instrumented, plain] : forms) {
    for (std::uint64_t n : {0u, 1u, 7u, 64u, 300u}) {
      std::vector<std::uint8_t> a(n + 16, 0xee), b(n + 16, 0xee), expected(n + 16, 0xee);
      std::fill(expected.begin() + 8, expected.begin() + 8 + static_cast<std::ptrdiff_t>(n), 0x5a);
      ASSERT_EQ(instrumented(a.data() + 8, 0x5a, n), a.data() + 8);
      ASSERT_EQ(plain(b.data() + 8, 0x5a, n), b.data() + 8);
      ASSERT_EQ(a, expected) << "n = " << n;
      ASSERT_EQ(b, expected) << "n = " << n;
    }
  }
  // In the text: the line after a bare `rep` is its instruction.
  std::vector<std::string> lines = test::split_lines(fixture_instrumented("rep.s"));
  int bare = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i] != "        rep") continue;
    ++bare;
    EXPECT_EQ(lines[i + 1], "        stosb");
  }
  EXPECT_EQ(bare, 1);
}

TEST(AsmCovFixtures, SectionsAndMacrosBehaveAndAreInstrumentedOnlyWhereCode) {
  for (std::uint64_t x : kEdgeValues) {
    for (std::uint64_t max : {0ull, 5ull, 0xffffffffffffffffull}) {
      ASSERT_EQ(mf_fx_clamp(x, max), std::min(x, max) + 11);
      ASSERT_EQ(plain_mf_fx_clamp(x, max), std::min(x, max) + 11);
    }
    ASSERT_EQ(mf_fx_extra_section(x), x + 1);
  }
  EXPECT_EQ(mf_fx_read_text_word(), 0x12345678u);
  EXPECT_EQ(plain_mf_fx_read_text_word(), 0x12345678u);
  EXPECT_EQ(mf_fx_after_pop(), 7u);

  const CoverageMap map = fixture_map("sections.s");
  const std::string src = fixture_source("sections.s");
  const std::size_t macro_begin = unique_line_of(src, ".macro CLAMP");
  const std::size_t macro_end = unique_line_of(src, ".endm");
  std::vector<std::string> labels;
  for (const MapEntry& e : map.entries) {
    EXPECT_FALSE(e.line >= macro_begin && e.line <= macro_end) << "counter " << e.index << " in the macro";
    labels.push_back(e.label);
  }
  EXPECT_EQ(labels, (std::vector<std::string>{"mf_fx_clamp", "mf_fx_read_text_word",
                                              "mf_fx_extra_section", "mf_fx_after_pop"}));
}

TEST(AsmCovFixtures, MapsNameTheRightLines) {
  for (const std::string& name : kFixtures) {
    SCOPED_TRACE(name);
    const CoverageMap map = fixture_map(name);
    EXPECT_EQ(map.file, name);
    EXPECT_EQ(map.hash, name_hash(name));
    EXPECT_FALSE(map.entries.empty());
    const std::vector<std::string> lines = test::split_lines(fixture_source(name));
    for (const MapEntry& e : map.entries) {
      ASSERT_GE(e.line, 1u);
      ASSERT_LE(e.line, lines.size());
      const std::string& line = lines[e.line - 1];
      if (e.kind == ProbeKind::Label) {
        EXPECT_NE(line.find(e.label + ":"), std::string::npos) << "counter " << e.index << ": " << line;
      } else {
        EXPECT_NE(line.find(e.mnemonic), std::string::npos) << "counter " << e.index << ": " << line;
        EXPECT_NE(line.find(e.target), std::string::npos) << "counter " << e.index << ": " << line;
        ASSERT_TRUE(e.taken.has_value()) << "every fixture jump stays in its file";
        EXPECT_EQ(map.entries[*e.taken].kind, ProbeKind::Label);
      }
    }
  }
}

TEST(AsmCovFixtures, InstrumentedCopiesKeepSourceLineNumbers) {
  for (const std::string& name : kFixtures) {
    SCOPED_TRACE(name);
    for (const std::string& problem :
         test::line_marker_mismatches(fixture_source(name), fixture_instrumented(name)))
      ADD_FAILURE() << problem;
  }
}

}  // namespace
}  // namespace mf::asm_cov
