// The mutation operators of `mfh mutate` (harness/mutate/asm_mutants.h) on
// small sources written for the test, and on asm/ itself.
#include "asm_mutants.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "mutant_selection.h"

namespace mf::mutate {
namespace {

const char* kSource =
    "        .text\n"
    "        .globl f\n"
    "        .type f, @function\n"
    "f:\n"
    "        pushq   %rbx                    # saved\n"
    "        testq   %rdi, %rdi\n"
    "        ja      .Lout                   # a comment\n"
    "        addq    $ARENA_HDR_SIZE, %rdi\n"
    "        movq    8(%rdi), %rax\n"
    "        andq    $-8, %rax\n"
    "        movq    %rdi, %rbx\n"
    ".Lout:  popq    %rbx\n"
    "        ret\n"
    "        .size f, . - f\n";

std::vector<Mutant> of_line(const std::vector<Mutant>& all, int line, Operator op) {
  std::vector<Mutant> out;
  for (const Mutant& m : all) {
    if (m.line == line && m.op == op) out.push_back(m);
  }
  return out;
}

std::string after(const Mutant& m) { return m.edits.at(0).after; }

// The text with every run of blanks made one space: a changed mnemonic may
// move the operands to keep their column.
std::string squeezed(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

TEST(AsmMutants, ConditionalJumpNegatedAndSignSwapped) {
  const std::vector<Mutant> all = generate_mutants("f.s", kSource);
  const std::vector<Mutant> neg = of_line(all, 7, Operator::negate_jcc);
  ASSERT_EQ(neg.size(), 1u);
  EXPECT_EQ(after(neg[0]), "        jbe     .Lout                   # a comment");
  const std::vector<Mutant> sign = of_line(all, 7, Operator::sign_jcc);
  ASSERT_EQ(sign.size(), 1u);
  EXPECT_EQ(after(sign[0]), "        jg      .Lout                   # a comment");
  EXPECT_EQ(sign[0].id(), "f.s:7:sign_jcc:0");
  EXPECT_EQ(sign[0].function, "f");
}

TEST(AsmMutants, EveryJumpFormHasANegationAndTheUnsignedOnesASignedTwin) {
  const std::pair<const char*, const char*> negations[] = {{"je", "jne"}, {"jz", "jnz"}, {"jb", "jae"},
                                                          {"jc", "jnc"}, {"jl", "jge"}, {"js", "jns"}};
  for (const auto& [a, b] : negations) {
    for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
      const std::vector<Mutant> all = generate_mutants("g.s", std::string("        ") + from + " .L1\n");
      const std::vector<Mutant> neg = of_line(all, 1, Operator::negate_jcc);
      ASSERT_EQ(neg.size(), 1u) << from;
      EXPECT_EQ(squeezed(after(neg[0])), std::string(" ") + to + " .L1") << from;
    }
  }
  const std::pair<const char*, const char*> signs[] = {{"ja", "jg"}, {"jb", "jl"}, {"jae", "jge"}, {"jbe", "jle"}};
  for (const auto& [u, s] : signs) {
    const std::vector<Mutant> to_signed = of_line(generate_mutants("g.s", std::string(" ") + u + " x\n"), 1, Operator::sign_jcc);
    const std::vector<Mutant> to_unsigned = of_line(generate_mutants("g.s", std::string(" ") + s + " x\n"), 1, Operator::sign_jcc);
    ASSERT_EQ(to_signed.size(), 1u);
    ASSERT_EQ(to_unsigned.size(), 1u);
    EXPECT_EQ(squeezed(after(to_signed[0])), std::string(" ") + s + " x");
    EXPECT_EQ(squeezed(after(to_unsigned[0])), std::string(" ") + u + " x");
  }
  // je has no signed form.
  EXPECT_TRUE(of_line(generate_mutants("g.s", " je x\n"), 1, Operator::sign_jcc).empty());
}

TEST(AsmMutants, ImmediatesAndDisplacementsMovedByOneAndEight) {
  const std::vector<Mutant> all = generate_mutants("f.s", kSource);
  std::vector<std::string> imm;
  for (const Mutant& m : of_line(all, 8, Operator::imm)) imm.push_back(after(m));
  EXPECT_EQ(imm, (std::vector<std::string>{"        addq    $(ARENA_HDR_SIZE)+1, %rdi",
                                           "        addq    $(ARENA_HDR_SIZE)-1, %rdi",
                                           "        addq    $(ARENA_HDR_SIZE)+8, %rdi",
                                           "        addq    $(ARENA_HDR_SIZE)-8, %rdi"}));
  std::vector<std::string> literal;
  for (const Mutant& m : of_line(all, 10, Operator::imm)) literal.push_back(after(m));
  EXPECT_EQ(literal, (std::vector<std::string>{"        andq    $-7, %rax", "        andq    $-9, %rax",
                                               "        andq    $0, %rax", "        andq    $-16, %rax"}));
  std::vector<std::string> disp;
  for (const Mutant& m : of_line(all, 9, Operator::disp)) disp.push_back(after(m));
  EXPECT_EQ(disp, (std::vector<std::string>{"        movq    9(%rdi), %rax", "        movq    7(%rdi), %rax",
                                            "        movq    16(%rdi), %rax", "        movq    0(%rdi), %rax"}));
  // A symbolic displacement, and one that is absent (0).
  const std::vector<Mutant> sym = of_line(generate_mutants("g.s", " movq HDR(%rax,%rcx,8), %rdx\n"), 1, Operator::disp);
  ASSERT_EQ(sym.size(), 4u);
  EXPECT_EQ(after(sym[3]), " movq HDR-8(%rax,%rcx,8), %rdx");
  const std::vector<Mutant> none = of_line(generate_mutants("g.s", " movq (%rax), %rdx\n"), 1, Operator::disp);
  ASSERT_EQ(none.size(), 4u);
  EXPECT_EQ(after(none[1]), " movq -1(%rax), %rdx");
  // The ids tell the four apart.
  EXPECT_EQ(none[2].id(), "g.s:1:disp:2");
}

TEST(AsmMutants, AddSubAndOrSwappedDeletionAndRegisterSwap) {
  const std::vector<Mutant> all = generate_mutants("f.s", kSource);
  ASSERT_EQ(of_line(all, 8, Operator::add_sub).size(), 1u);
  EXPECT_EQ(after(of_line(all, 8, Operator::add_sub)[0]), "        subq    $ARENA_HDR_SIZE, %rdi");
  ASSERT_EQ(of_line(all, 10, Operator::and_or).size(), 1u);
  EXPECT_EQ(after(of_line(all, 10, Operator::and_or)[0]), "        orq     $-8, %rax");
  const std::vector<Mutant> swap = of_line(all, 11, Operator::swap_regs);
  ASSERT_EQ(swap.size(), 1u);
  EXPECT_EQ(after(swap[0]), "        movq    %rbx, %rdi");
  // The same register twice: no swap.
  EXPECT_TRUE(of_line(all, 6, Operator::swap_regs).empty());
  // A deletion keeps the line's label.
  const std::vector<Mutant> del = of_line(all, 12, Operator::delete_insn);
  ASSERT_EQ(del.size(), 1u);
  EXPECT_EQ(after(del[0]), ".Lout:  # MUTANT deleted: popq    %rbx");
}

TEST(AsmMutants, CalleeSavedPushDroppedWithItsPops) {
  const std::vector<Mutant> all = generate_mutants("f.s", kSource);
  const std::vector<Mutant> drop = of_line(all, 5, Operator::drop_push_pop);
  ASSERT_EQ(drop.size(), 1u);
  ASSERT_EQ(drop[0].edits.size(), 2u);
  EXPECT_EQ(drop[0].edits[1].line, 12);
  const std::optional<std::string> text = apply_mutant(kSource, drop[0]);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->find("pushq   %rbx                    # saved"), std::string::npos);
  EXPECT_NE(text->find("# MUTANT deleted: pushq   %rbx"), std::string::npos);
  EXPECT_NE(text->find(".Lout:  # MUTANT deleted: popq    %rbx"), std::string::npos);
  // A caller-saved register's push is no such pair.
  EXPECT_TRUE(of_line(generate_mutants("g.s", "  .type g, @function\ng:\n pushq %rax\n popq %rax\n .size g, 1\n"), 3,
                      Operator::drop_push_pop)
                  .empty());
}

TEST(AsmMutants, DirectivesCommentsLabelsAndMacroUsesAreNotInstructions) {
  const std::string text =
      "# movq %rax, %rbx\n"
      "        .p2align 4\n"
      "lbl:\n"
      ".macro TWICE r\n"
      "        addq \\r, \\r\n"
      ".endm\n"
      "        TWICE %rax\n"
      "        .asciz \"# not a comment\"\n";
  const std::vector<Mutant> all = generate_mutants("m.s", text);
  std::set<int> lines;
  for (const Mutant& m : all) lines.insert(m.line);
  EXPECT_EQ(lines, std::set<int>{5});  // only the macro's body
  EXPECT_EQ(all.at(0).function, "macro TWICE");
}

TEST(AsmMutants, ApplyRefusesAnotherText) {
  const std::vector<Mutant> all = generate_mutants("f.s", kSource);
  ASSERT_FALSE(all.empty());
  std::string changed = kSource;
  changed.replace(changed.find("testq"), 5, "cmpq ");
  const Mutant m = of_line(all, 6, Operator::delete_insn).at(0);
  EXPECT_FALSE(apply_mutant(changed, m).has_value());
  const std::optional<std::string> applied = apply_mutant(kSource, m);
  ASSERT_TRUE(applied.has_value());
  EXPECT_NE(applied->find("\n        # MUTANT deleted: testq   %rdi, %rdi\n"), std::string::npos);
  EXPECT_EQ(applied->find("\n        testq"), std::string::npos);
}

TEST(AsmMutants, IdsRoundTripAndAreUnique) {
  const std::vector<Mutant> all = generate_mutants("f.s", kSource);
  std::set<std::string> ids;
  for (const Mutant& m : all) {
    EXPECT_TRUE(ids.insert(m.id()).second) << m.id();
    const std::optional<MutantId> id = parse_mutant_id(m.id());
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(id->file, "f.s");
    EXPECT_EQ(id->line, m.line);
    EXPECT_EQ(id->op, m.op);
    EXPECT_EQ(id->index, m.index);
  }
  EXPECT_FALSE(parse_mutant_id("f.s:7:sign_jcc").has_value());
  EXPECT_FALSE(parse_mutant_id("f.s:x:sign_jcc:0").has_value());
  EXPECT_FALSE(parse_mutant_id("f.s:7:no_such_op:0").has_value());
  EXPECT_FALSE(parse_mutant_id("f.s:0:imm:0").has_value());
}

TEST(AsmMutants, SampleIsDeterministicAndFiltersApply) {
  const std::vector<Mutant> all = generate_mutants("f.s", kSource);
  Selection s;
  s.sample = 5;
  s.seed = 7;
  const std::vector<Mutant> a = select_mutants(all, s), b = select_mutants(all, s);
  ASSERT_EQ(a.size(), 5u);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].id(), b[i].id());
  s.seed = 8;
  const std::vector<Mutant> c = select_mutants(all, s);
  bool differs = false;
  for (std::size_t i = 0; i < c.size(); ++i) differs |= c[i].id() != a[i].id();
  EXPECT_TRUE(differs);
  // A larger sample with the same seed holds the smaller one: a campaign
  // extended from --sample 3 to --sample 5 keeps the results it has.
  Selection small = s, large = s;
  small.sample = 3;
  large.sample = 6;
  std::set<std::string> in_large;
  for (const Mutant& m : select_mutants(all, large)) in_large.insert(m.id());
  for (const Mutant& m : select_mutants(all, small)) EXPECT_TRUE(in_large.count(m.id()) != 0) << m.id();
  Selection only_imm;
  only_imm.operators = {"imm"};
  for (const Mutant& m : select_mutants(all, only_imm)) EXPECT_EQ(m.op, Operator::imm);
  Selection other_function;
  other_function.functions = {"g"};
  EXPECT_TRUE(select_mutants(all, other_function).empty());
}

// The real files: every operator the issue asks for occurs, and the counts
// stay in step with the text (a change of the generator shows up here).
TEST(AsmMutants, ArenaFileHasEveryOperator) {
  std::ifstream in(std::string(MF_MUTATE_TEST_SOURCE_DIR) + "/asm/arena.s");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  std::set<Operator> ops;
  for (const Mutant& m : generate_mutants("arena.s", text.str())) {
    ops.insert(m.op);
    ASSERT_TRUE(apply_mutant(text.str(), m).has_value()) << m.id();
  }
  EXPECT_EQ(ops.size(), all_operators().size());
}

}  // namespace
}  // namespace mf::mutate
