// Splits GNU as (AT&T, x86-64) source lines into statements.
//
// The instrumenter never needs to understand operands: it needs to know
// where statements begin and end on a line (`;` separates them, `#` and
// `/* */` are comments, strings and character constants may contain both),
// which labels a statement defines, and whether the rest is a directive, an
// instruction, a bare prefix or a symbol assignment.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mf::asm_cov {

enum class StatementKind {
  Empty,        // only labels (or nothing)
  Directive,    // `.name args`
  Assignment,   // `symbol = expr`
  Instruction,  // an instruction or a macro invocation (see `mnemonic`)
  BarePrefix,   // a prefix such as `rep` or `lock` with its instruction in the next statement
};

struct LabelDef {
  std::string name;
  std::size_t after_colon = 0;  // byte offset in the line just past the `:`
};

struct Statement {
  std::size_t begin = 0;  // byte range in the line: from after the previous `;`
  std::size_t end = 0;    // to the last byte that is neither blank nor comment
  std::vector<LabelDef> labels;
  std::size_t body_begin = 0;  // offset of the first byte after the labels and spaces
  StatementKind kind = StatementKind::Empty;
  std::string word;      // lower-case directive name (".section") or mnemonic after prefixes
  std::string operands;  // the rest of the statement, trimmed
};

struct LexedLine {
  std::vector<Statement> statements;
  // True when the line ends inside a /* */ comment: nothing may be appended
  // at the end of such a line, it would land inside the comment.
  bool ends_in_block_comment = false;
};

// Lexes one line.  `in_block_comment` carries the /* */ state from the
// previous line and is updated for the next one.
LexedLine lex_line(std::string_view line, bool& in_block_comment);

// Conditional branches whose fallthrough side gets a probe: jcc, jecxz,
// jrcxz and the loop family.  `mnemonic` is lower case.
bool is_conditional_jump(std::string_view mnemonic);

}  // namespace mf::asm_cov
