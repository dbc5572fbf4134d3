#include "source_scan.h"

#include <set>
#include <string>

#include "section_tracker.h"

namespace mf::asm_cov {
namespace {

std::vector<std::string_view> split_lines(std::string_view source) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (begin < source.size()) {
    std::size_t nl = source.find('\n', begin);
    if (nl == std::string_view::npos) nl = source.size();
    lines.push_back(source.substr(begin, nl - begin));
    begin = nl + 1;
  }
  return lines;
}

bool opens_block(const std::string& directive) {
  return directive == ".macro" || directive == ".rept" || directive == ".irp" ||
         directive == ".irpc";
}

bool closes_block(const std::string& directive) {
  return directive == ".endm" || directive == ".endr";
}

std::string macro_name(std::string_view operands) {
  std::size_t end = operands.find_first_of(" \t,");
  std::string name(operands.substr(0, end));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

bool has_content(const Statement& st) {
  return !st.labels.empty() || st.kind != StatementKind::Empty;
}

ScannedSource scan_source(std::string_view source) {
  ScannedSource out;
  out.lines = split_lines(source);
  SectionTracker sections;
  std::set<std::string> macros;
  int block_depth = 0;
  bool in_comment = false;

  for (std::size_t i = 0; i < out.lines.size(); ++i) {
    LexedLine lexed = lex_line(out.lines[i], in_comment);
    std::size_t first = out.statements.size();
    for (Statement& st : lexed.statements) {
      ScannedStatement s;
      s.line = i;
      s.code_section = sections.executable();
      s.in_block = block_depth > 0;
      s.line_ends_in_comment = lexed.ends_in_block_comment;
      s.macro_call = st.kind == StatementKind::Instruction && macros.count(st.word) != 0;
      if (st.kind == StatementKind::Directive) {
        if (opens_block(st.word)) {
          if (st.word == ".macro") macros.insert(macro_name(st.operands));
          ++block_depth;
        } else if (closes_block(st.word)) {
          if (block_depth > 0) --block_depth;
        } else if (block_depth == 0) {
          // Section directives inside a macro body act where it is expanded.
          sections.apply(st.word, st.operands);
        }
      }
      s.st = std::move(st);
      out.statements.push_back(std::move(s));
    }
    bool later_content = false;
    for (std::size_t k = out.statements.size(); k-- > first;) {
      out.statements[k].last_on_line = !later_content;
      later_content = later_content || has_content(out.statements[k].st);
    }
  }
  return out;
}

}  // namespace mf::asm_cov
