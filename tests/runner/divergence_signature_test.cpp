// The one-line signature every engine and `mfh triage` group findings by: equal for the same
// kind of disagreement whatever the handle numbers and values, different for
// different ops or fields.
#include "divergence_signature.h"

#include <gtest/gtest.h>

namespace {

using mf::runner::divergence_signature;
using mf::runner::field_of;
using mf::runner::op_kind_of;
using mf::runner::parse_signature;
using mf::ops::Target;

TEST(DivergenceSignature, NamesTheOpByItsFirstWord) {
  EXPECT_EQ(op_kind_of("pool_free p0 p0.start+16"), "pool_free");
  EXPECT_EQ(op_kind_of("arena_usage\ta1"), "arena_usage");
  EXPECT_EQ(op_kind_of("(end of run)"), "end_of_run");
  EXPECT_EQ(op_kind_of(""), "end_of_run");
}

TEST(DivergenceSignature, FieldIgnoresNumbersAndPunctuation) {
  EXPECT_EQ(field_of("p3 header: free_count differs"), "pN_header_free_count_differs");
  EXPECT_EQ(field_of("page 12 bitmap: bit of block 7 differs"), "page_N_bitmap_bit_of_block_N_differs");
  EXPECT_EQ(field_of("the SUT's new list head is not a mapping"), "the_sut_s_new_list_head_is_not_a_mapping");
  EXPECT_EQ(field_of("..."), "unknown");
}

TEST(DivergenceSignature, SameBugSameLineOtherBugOtherLine) {
  const auto a = divergence_signature(Target::pool, "pool_free p0 p0.start+8", "p0 header: free_count differs");
  const auto b = divergence_signature(Target::pool, "pool_free p7 p7.start+96", "p7 header: free_count differs");
  const auto c = divergence_signature(Target::pool, "pool_alloc p0", "p0 header: free_count differs");
  EXPECT_EQ(to_string(a), "MF-DIVERGENCE target=pool op=pool_free field=pN_header_free_count_differs");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(DivergenceSignature, ReadsBackWhatItWrites) {
  const auto a = divergence_signature(Target::builtins, "(end of run)", "block b2: pattern byte 17 differs");
  EXPECT_EQ(parse_signature(to_string(a)), a);
  EXPECT_EQ(parse_signature("# signature: " + to_string(a) + "  "), a);
  EXPECT_EQ(mf::runner::file_stem(a), "builtins-end_of_run-block_bN_pattern_byte_N_differs");
}

TEST(DivergenceSignature, RejectsALineThatIsNotOne) {
  EXPECT_FALSE(parse_signature("MF-DIVERGENCE target=pool op=pool_free"));
  EXPECT_FALSE(parse_signature("MF-DIVERGENCE target=heap op=x field=y"));
  EXPECT_FALSE(parse_signature("divergence at op 3"));
  EXPECT_FALSE(parse_signature(""));
}

}  // namespace
