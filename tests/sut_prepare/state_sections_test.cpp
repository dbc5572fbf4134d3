// mf-sut-prepare's rewrite (tools/sut_prepare/state_sections.h): every way
// gas puts a mutable global somewhere ends in morph_state, nothing else
// changes, and what cannot be reset is refused.
#include <gtest/gtest.h>

#include "state_sections.h"

namespace mf::sut_prepare {
namespace {

TEST(StateSections, DataAndBssSwitchesGoToMorphState) {
  const StateRewrite r = move_state_into_morph_state(
      "        .data\n"
      "counter: .quad 5\n"
      "        .bss 1\n"
      "buf:    .skip 16\n"
      "        .text\n"
      "f:      ret\n");
  EXPECT_EQ(r.text,
            "        .section morph_state, \"aw\", @progbits\n"
            "counter: .quad 5\n"
            "        .section morph_state, \"aw\", @progbits\n"
            "buf:    .skip 16\n"
            "        .text\n"
            "f:      ret\n");
  ASSERT_EQ(r.moved.size(), 2u);
  EXPECT_EQ(r.moved[0], "line 1: .data");
  EXPECT_TRUE(r.errors.empty());
}

TEST(StateSections, NamedWritableSectionsMoveAndCodeAndConstantsStay) {
  const StateRewrite r = move_state_into_morph_state(
      ".section .data.rel.local, \"aw\"\n"
      ".section .bss.counters,\"aw\",@nobits\n"
      ".pushsection .mine, \"aw\", @progbits\n"
      ".popsection\n"
      ".section .rodata\n"
      ".section .text.hot, \"ax\", @progbits\n"
      ".section .note.GNU-stack,\"\",@progbits\n");
  EXPECT_EQ(r.text,
            ".section morph_state, \"aw\", @progbits\n"
            ".section morph_state, \"aw\", @progbits\n"
            ".pushsection morph_state, \"aw\", @progbits\n"
            ".popsection\n"
            ".section .rodata\n"
            ".section .text.hot, \"ax\", @progbits\n"
            ".section .note.GNU-stack,\"\",@progbits\n");
  EXPECT_EQ(r.moved.size(), 3u);
}

TEST(StateSections, OurOwnNobitsStateBecomesProgbitsWithoutCountingAsMoved) {
  const StateRewrite r = move_state_into_morph_state("        .section morph_state, \"aw\", @nobits\n");
  EXPECT_EQ(r.text, "        .section morph_state, \"aw\", @progbits\n");
  EXPECT_TRUE(r.moved.empty());
}

TEST(StateSections, CommonSymbolsBecomeDefinitionsWithTheirSizeAndAlignment) {
  const StateRewrite r = move_state_into_morph_state(
      "        .comm shared, 8, 8\n"
      "        .lcomm local, 24\n");
  EXPECT_EQ(r.text,
            "        .pushsection morph_state, \"aw\", @progbits; .balign 8; .globl shared; .type shared, @object; "
            ".size shared, 8; shared: .zero 8; .popsection\n"
            "        .pushsection morph_state, \"aw\", @progbits; .balign 16; .type local, @object; "
            ".size local, 24; local: .zero 24; .popsection\n");
  EXPECT_EQ(r.moved.size(), 2u);
}

TEST(StateSections, CommentsStringsAndOtherStatementsOnTheLineAreKept) {
  const StateRewrite r = move_state_into_morph_state(
      "x: .bss  # was: .data\n"
      "        .text; nop; .data; msg: .asciz \".bss ; .data\"\n");
  EXPECT_EQ(r.text,
            "x: .section morph_state, \"aw\", @progbits  # was: .data\n"
            "        .text; nop; .section morph_state, \"aw\", @progbits; msg: .asciz \".bss ; .data\"\n");
}

TEST(StateSections, ThreadLocalDataIsRefused) {
  EXPECT_EQ(move_state_into_morph_state(".section .tbss,\"awT\",@nobits\n").errors.size(), 1u);
  EXPECT_EQ(move_state_into_morph_state(".section .mytls,\"awT\"\n").errors.size(), 1u);
}

TEST(StateSections, AFileWithoutMutableDataIsUnchanged) {
  const std::string source = "        .text\n        .globl f\nf:      movq $1, %rax\n        ret\n";
  const StateRewrite r = move_state_into_morph_state(source);
  EXPECT_EQ(r.text, source);
  EXPECT_EQ(describe("f.s", r), "f.s: no mutable data outside morph_state");
}

}  // namespace
}  // namespace mf::sut_prepare
