// The first pass of the instrumenter: every statement of a file, in order,
// with the context gas would see when it reaches it (code section or not,
// inside a macro definition or not, a macro invocation or an instruction).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "asm_lexer.h"

namespace mf::asm_cov {

struct ScannedStatement {
  std::size_t line = 0;  // 0-based line index
  Statement st;
  bool code_section = false;      // the statement is in an executable section
  bool in_block = false;          // inside a .macro/.rept/.irp/.irpc body
  bool macro_call = false;        // an Instruction whose word names a macro of the file
  bool last_on_line = false;      // no labels or body follow it on its line
  bool line_ends_in_comment = false;  // its line ends inside /* */
};

struct ScannedSource {
  std::vector<std::string_view> lines;  // without their '\n'
  std::vector<ScannedStatement> statements;
};

// `source` must outlive the result (lines are views into it).
ScannedSource scan_source(std::string_view source);

bool has_content(const Statement& st);

}  // namespace mf::asm_cov
