// The instrumenter on small texts: where probes go and where they must not,
// the map it writes, and the line markers that keep line numbers right.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "asm_lexer.h"
#include "cov_map.h"
#include "cov_map_lookup.h"
#include "instrumenter.h"

namespace mf::asm_cov {
namespace {

using test::is_generated_line;
using test::split_lines;

Instrumented run(const std::string& source) { return instrument(source, {"t.s", "t"}); }

std::vector<std::string> output_lines(const Instrumented& r) { return split_lines(r.text); }

std::size_t probe_count(const Instrumented& r) {
  const std::vector<std::string> lines = output_lines(r);
  return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find("# mf-asm-cov probe") != std::string::npos;
  }));
}

// Index of the first output line containing `needle`.
std::size_t find_line(const std::vector<std::string>& lines, const std::string& needle) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].find(needle) != std::string::npos) return i;
  ADD_FAILURE() << "no output line contains " << needle;
  return lines.size();
}

TEST(AsmLexer, SplitsStatementsButNotInsideCharactersStringsOrComments) {
  bool in_comment = false;
  LexedLine line = lex_line("1: cmpb $';', %al; jne 2f  # x; jne 3f", in_comment);
  ASSERT_EQ(line.statements.size(), 2u);
  EXPECT_EQ(line.statements[0].labels.size(), 1u);
  EXPECT_EQ(line.statements[0].labels[0].name, "1");
  EXPECT_EQ(line.statements[0].word, "cmpb");
  EXPECT_EQ(line.statements[1].word, "jne");
  EXPECT_EQ(line.statements[1].operands, "2f");

  line = lex_line("        .ascii \"a;b#c\"; ret", in_comment);
  ASSERT_EQ(line.statements.size(), 2u);
  EXPECT_EQ(line.statements[0].kind, StatementKind::Directive);
  EXPECT_EQ(line.statements[1].word, "ret");

  line = lex_line("  /* jne 1f */ ret /* open", in_comment);
  EXPECT_TRUE(in_comment);
  EXPECT_TRUE(line.ends_in_block_comment);
  ASSERT_EQ(line.statements.size(), 1u);
  EXPECT_EQ(line.statements[0].word, "ret");
  line = lex_line(" jne 1f */ JNE,pt 1b", in_comment);
  EXPECT_FALSE(in_comment);
  ASSERT_EQ(line.statements.size(), 1u);
  EXPECT_EQ(line.statements[0].word, "jne");  // lower case, hint dropped
}

TEST(AsmLexer, ClassifiesPrefixesAssignmentsAndDirectives) {
  bool in_comment = false;
  EXPECT_EQ(lex_line("  rep", in_comment).statements[0].kind, StatementKind::BarePrefix);
  Statement st = lex_line("  rep stosb", in_comment).statements[0];
  EXPECT_EQ(st.kind, StatementKind::Instruction);
  EXPECT_EQ(st.word, "stosb");
  st = lex_line("  bnd jne 1f", in_comment).statements[0];
  EXPECT_EQ(st.word, "jne");
  EXPECT_EQ(lex_line("x = 3", in_comment).statements[0].kind, StatementKind::Assignment);
  st = lex_line("  .Section .data", in_comment).statements[0];
  EXPECT_EQ(st.kind, StatementKind::Directive);
  EXPECT_EQ(st.word, ".section");
  st = lex_line("a: b:  movq %fs:0, %rax", in_comment).statements[0];
  ASSERT_EQ(st.labels.size(), 2u);
  EXPECT_EQ(st.labels[1].name, "b");
  EXPECT_EQ(st.word, "movq");
}

TEST(AsmLexer, KnowsTheConditionalJumps) {
  for (const char* j : {"ja", "jnbe", "jz", "jrcxz", "jecxz", "loop", "loopne", "js", "jpo"})
    EXPECT_TRUE(is_conditional_jump(j)) << j;
  for (const char* j : {"jmp", "call", "ret", "jmpq", "cmovne", "setne"})
    EXPECT_FALSE(is_conditional_jump(j)) << j;
}

TEST(Instrumenter, ProbesEveryCodeLabelAndEveryFallthrough) {
  Instrumented r = run(
      "        .text\n"
      "f:\n"
      "        cmpq %rsi, %rdi\n"
      "        jb 1f\n"
      "        movl $2, %eax\n"
      "1:      ret\n");
  ASSERT_EQ(r.map.entries.size(), 3u);
  EXPECT_EQ(r.map.entries[0].kind, ProbeKind::Label);
  EXPECT_EQ(r.map.entries[0].label, "f");
  EXPECT_EQ(r.map.entries[0].line, 2u);
  EXPECT_EQ(r.map.entries[1].kind, ProbeKind::Fallthrough);
  EXPECT_EQ(r.map.entries[1].line, 4u);
  EXPECT_EQ(r.map.entries[1].mnemonic, "jb");
  EXPECT_EQ(r.map.entries[1].target, "1f");
  ASSERT_TRUE(r.map.entries[1].taken.has_value());
  EXPECT_EQ(*r.map.entries[1].taken, 2u);
  EXPECT_EQ(r.map.entries[2].label, "1");
  EXPECT_EQ(r.map.entries[2].line, 6u);
  EXPECT_EQ(probe_count(r), 3u);

  // Each probe sits between its label or jump and the next instruction.
  std::vector<std::string> out = output_lines(r);
  std::size_t jb = find_line(out, "jb 1f");
  std::size_t probe1 = find_line(out, "probe 1");
  std::size_t mov = find_line(out, "movl $2");
  EXPECT_LT(jb, probe1);
  EXPECT_LT(probe1, mov);
  std::size_t label1 = find_line(out, "1:");
  std::size_t probe2 = find_line(out, "probe 2");
  std::size_t ret = find_line(out, "ret");
  EXPECT_LT(label1, probe2);
  EXPECT_LT(probe2, ret);
}

TEST(Instrumenter, ProbePreservesRegistersFlagsAndRedZone) {
  Instrumented r = run("f: ret\n");
  std::string probe = output_lines(r)[find_line(output_lines(r), "probe 0")];
  probe = probe.substr(0, probe.find('#'));
  // The red zone is stepped over before anything is pushed, and given back
  // last; rax, the only register used, is saved inside that.
  EXPECT_EQ(probe.find("leaq -128(%rsp), %rsp; pushq %rax; lahf; seto %al;"), 8u) << probe;
  EXPECT_NE(probe.find("; addb $127, %al; sahf; popq %rax; leaq 128(%rsp), %rsp"), std::string::npos)
      << probe;
  // The counter is addressed rip-relative, bumped and saturated.
  EXPECT_NE(probe.find("addb $1, .L__mf_asm_cov_counters+0(%rip); sbbb $0, .L__mf_asm_cov_counters+0(%rip)"),
            std::string::npos)
      << probe;
  for (const char* reg : {"%rcx", "%rdx", "%rbx", "%rsi", "%rdi", "%r8", "%r11", "%eax", "%xmm"})
    EXPECT_EQ(probe.find(reg), std::string::npos) << reg;
  for (const char* insn : {"pushf", "popf", "cld", "std", "call"})
    EXPECT_EQ(probe.find(insn), std::string::npos) << insn;
}

TEST(Instrumenter, NoProbeInDataSectionsOrBeforeDataInText) {
  Instrumented r = run(
      "        .data\n"
      "d1:     .quad 1\n"
      "        .section .rodata, \"a\"\n"
      "d2:     .byte 1\n"
      "        .pushsection .bss\n"
      "d3:     .zero 8\n"
      "        .popsection\n"
      "d4:     .asciz \"x\"\n"
      "        .text\n"
      "d5:     .long 5\n"
      "f:      ret\n"
      "        .section .text.hot\n"
      "g:      ret\n"
      "        .section mycode, \"ax\", @progbits\n"
      "h:      ret\n"
      "        .previous\n"
      "d6:     .quad 2\n"
      "        .section .text.cold, \"a\"\n"
      "d7:     ret\n");
  std::vector<std::string> labels;
  for (const MapEntry& e : r.map.entries) labels.push_back(e.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"f", "g", "h"}));
}

TEST(Instrumenter, NoProbeAtTheEndOfAFunctionOrFile) {
  Instrumented r = run(
      "f:      ret\n"
      ".Lend_f:\n"
      "        .size f, . - f\n"
      "        .globl g\n"
      "        .type g, @function\n"
      "        .p2align 4\n"
      "g:      ret\n"
      ".Lend:\n");
  std::vector<std::string> labels;
  for (const MapEntry& e : r.map.entries) labels.push_back(e.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"f", "g"}));
}

TEST(Instrumenter, MacroBodiesAreLeftAsTheyAre) {
  const std::string macro =
      ".macro CLAMP reg, max\n"
      "        cmpq \\max, \\reg\n"
      "        jbe 1f\n"
      "        movq \\max, \\reg\n"
      "1:\n"
      ".endm\n";
  const std::string repeat =
      "        .rept 2\n"
      "2:      jne 2b\n"
      "        .endr\n";
  Instrumented r = run(macro + repeat +
                       "f:      CLAMP %rax, %rsi\n"
                       "        ret\n");
  // Only f: its probe goes before the macro's expansion.
  ASSERT_EQ(r.map.entries.size(), 1u);
  EXPECT_EQ(r.map.entries[0].label, "f");
  EXPECT_NE(r.text.find(macro + repeat), std::string::npos) << r.text;
  std::vector<std::string> out = output_lines(r);
  EXPECT_LT(find_line(out, "probe 0"), find_line(out, "CLAMP %rax"));
}

TEST(Instrumenter, NothingBetweenABarePrefixAndItsInstruction) {
  Instrumented r = run(
      "f:      movq %rdx, %rcx\n"
      "        rep\n"
      "        stosb\n"
      "        rep; stosb\n"
      "        rep\n"
      "1:      stosb\n"
      "        ret\n");
  std::vector<std::string> out = output_lines(r);
  int bare = 0;
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] != "        rep") continue;
    ++bare;
    EXPECT_FALSE(is_generated_line(out[i + 1])) << out[i + 1];
    EXPECT_EQ(out[i + 1].rfind("# ", 0), std::string::npos) << "not even a line marker";
  }
  EXPECT_EQ(bare, 2);
  ASSERT_EQ(r.map.entries.size(), 1u);  // f only: label 1 follows a bare prefix
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("line 6"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.text.find("        rep; stosb\n"), std::string::npos);
}

TEST(Instrumenter, ResolvesTheTakenSideOfNumericAndNamedTargets) {
  Instrumented r = run(
      "f:\n"                 // 0 label f
      "1:      decq %rcx\n"  // 1 label 1 (first)
      "        jne 1b\n"     // 2 taken 1
      "        jne 1f\n"     // 3 taken 5
      "        jne .Lx\n"    // 4 taken 6
      "1:      incq %rax\n"  // 5 label 1 (second)
      ".Lx:    jne 1b\n"     // 6 label .Lx, 7 taken 5
      "        jne g\n"      // 8 taken: another file's symbol
      "        ret\n");
  ASSERT_EQ(r.map.entries.size(), 9u);
  auto taken = [&](std::size_t i) { return r.map.entries[i].taken; };
  EXPECT_EQ(taken(2), std::optional<std::size_t>(1));
  EXPECT_EQ(taken(3), std::optional<std::size_t>(5));
  EXPECT_EQ(taken(4), std::optional<std::size_t>(6));
  EXPECT_EQ(taken(7), std::optional<std::size_t>(5));
  EXPECT_EQ(taken(8), std::nullopt);
}

TEST(Instrumenter, ShortRangeJumpsGoThroughATrampoline) {
  Instrumented r = run(
      "f:\n"
      "1:      loopne 1b   # keep\n"
      "        jrcxz 2f\n"
      "2:      ret\n");
  EXPECT_NE(r.text.find("loopne .L__mf_asm_cov_taken_2; jmp .L__mf_asm_cov_fall_2"), std::string::npos)
      << r.text;
  EXPECT_NE(r.text.find(".L__mf_asm_cov_taken_2: jmp 1b\n.L__mf_asm_cov_fall_2:\n"), std::string::npos);
  EXPECT_NE(r.text.find("jrcxz .L__mf_asm_cov_taken_3;"), std::string::npos);
  EXPECT_NE(r.text.find(".L__mf_asm_cov_taken_3: jmp 2f\n"), std::string::npos);
  EXPECT_NE(r.text.find("# keep"), std::string::npos);  // the comment survives
  EXPECT_EQ(r.map.entries[2].mnemonic, "loopne");
  EXPECT_EQ(r.map.entries[2].taken, std::optional<std::size_t>(1));
}

TEST(Instrumenter, LineMarkersKeepEveryOriginalLineAtItsNumber) {
  const std::string source =
      "# a comment\n"
      "        .text\n"
      "f:      cmpq %rsi, %rdi; jb 1f; movl $1, %eax  # mixed line\n"
      "\n"
      "a: b:   jne 2f\n"
      "        /* a block\n"
      "           comment */ jae 2f\n"
      "1:      loop 1b\n"
      "2:\n"
      "        ret\n";
  Instrumented r = run(source);
  EXPECT_EQ(output_lines(r)[0], "# 1 \"t.s\"");
  for (const std::string& problem : test::line_marker_mismatches(source, r.text)) ADD_FAILURE() << problem;
  // And the check above would see a line out of place.
  std::string shifted = r.text;
  shifted.replace(shifted.find("# 1 \"t.s\""), 9, "# 2 \"t.s\"");
  EXPECT_FALSE(test::line_marker_mismatches(source, shifted).empty());
}

TEST(Instrumenter, EmitsCountersAndTheFileRecord) {
  Instrumented r = instrument("f: ret\ng: ret\n", {"dir/my-file.s", "dir_my_file"});
  const std::string& t = r.text;
  EXPECT_NE(t.find(".pushsection __libfuzzer_extra_counters, \"aw\", @progbits\n        .p2align 6\n"),
            std::string::npos);
  EXPECT_NE(t.find("__mf_asm_cov_dir_my_file_counters:\n.L__mf_asm_cov_counters:\n        .zero 2\n"),
            std::string::npos);
  EXPECT_NE(t.find(".hidden __mf_asm_cov_dir_my_file_counters"), std::string::npos);
  EXPECT_NE(t.find(".asciz \"dir/my-file.s\""), std::string::npos);
  EXPECT_NE(t.find(".pushsection mf_asm_cov_files, \"aw\", @progbits\n        .p2align 3\n"
                   "        .quad __mf_asm_cov_dir_my_file_counters\n        .quad 2\n"),
            std::string::npos);
  EXPECT_EQ(r.map.hash, name_hash("dir/my-file.s"));
}

TEST(Instrumenter, NamesAndIds) {
  EXPECT_EQ(default_symbol_id("alloc.s"), "alloc");
  EXPECT_EQ(default_symbol_id("dir/my-file.s"), "dir_my_file");
  EXPECT_EQ(default_symbol_id("1x.s"), "f1x");
  EXPECT_TRUE(is_valid_file_name("asm/alloc.s"));
  EXPECT_FALSE(is_valid_file_name("/home/x/alloc.s"));
  EXPECT_FALSE(is_valid_file_name("a b.s"));
  EXPECT_FALSE(is_valid_file_name("a\".s"));
  EXPECT_TRUE(is_valid_symbol_id("alloc_2"));
  EXPECT_FALSE(is_valid_symbol_id("2alloc"));
  EXPECT_FALSE(is_valid_symbol_id("a-b"));
}

TEST(CoverageMap, FormatsAndParsesBack) {
  Instrumented r = run("f:\n1: jne 1b\n jrcxz g\n ret\n");
  std::string text = format_map(r.map);
  EXPECT_NE(text.find("1 t.s 2 label 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("2 t.s 2 fallthrough-of jne 1b taken 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("3 t.s 3 fallthrough-of jrcxz g taken -\n"), std::string::npos) << text;
  std::string error;
  auto back = parse_map(text, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->file, "t.s");
  EXPECT_EQ(back->hash, r.map.hash);
  ASSERT_EQ(back->entries.size(), r.map.entries.size());
  for (std::size_t i = 0; i < back->entries.size(); ++i) {
    EXPECT_EQ(back->entries[i].line, r.map.entries[i].line);
    EXPECT_EQ(back->entries[i].label, r.map.entries[i].label);
    EXPECT_EQ(back->entries[i].target, r.map.entries[i].target);
    EXPECT_EQ(back->entries[i].taken, r.map.entries[i].taken);
  }
}

TEST(CoverageMap, RejectsMalformedMaps) {
  const std::string good = format_map(run("f: ret\n").map);
  EXPECT_TRUE(parse_map(good));
  std::string error;
  EXPECT_FALSE(parse_map("file t.s\nhash 0x1\ncounters 0\n", &error));  // no header
  std::string wrong_count = good;
  wrong_count.replace(wrong_count.find("counters 1"), 10, "counters 2");
  EXPECT_FALSE(parse_map(wrong_count, &error));
  EXPECT_NE(error.find("declares 2"), std::string::npos) << error;
  std::string wrong_file = good;
  wrong_file.replace(wrong_file.find("0 t.s"), 5, "0 u.s");
  EXPECT_FALSE(parse_map(wrong_file, &error));
  std::string bad_kind = good;
  bad_kind.replace(bad_kind.find("label f"), 7, "thing f");
  EXPECT_FALSE(parse_map(bad_kind, &error));
}

}  // namespace
}  // namespace mf::asm_cov
