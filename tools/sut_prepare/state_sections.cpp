#include "state_sections.h"

#include <cctype>

#include "asm_lexer.h"

namespace mf::sut_prepare {
namespace {

constexpr std::string_view kStateSection = "morph_state, \"aw\", @progbits";

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view unquote(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

bool starts_with_section(std::string_view name, std::string_view base) {
  return name == base || (name.size() > base.size() && name.substr(0, base.size()) == base && name[base.size()] == '.');
}

enum class SectionUse { code_or_constant, mutable_data, thread_local_data, already_state };

// What a `.section NAME, "flags", @type` operand list names.
SectionUse classify(std::string_view operands) {
  const std::size_t comma = operands.find(',');
  const std::string_view name = unquote(operands.substr(0, comma));
  if (name == "morph_state") return SectionUse::already_state;
  if (starts_with_section(name, ".tdata") || starts_with_section(name, ".tbss")) return SectionUse::thread_local_data;
  if (starts_with_section(name, ".data") || starts_with_section(name, ".bss")) return SectionUse::mutable_data;
  if (comma == std::string_view::npos) return SectionUse::code_or_constant;
  const std::string_view rest = trim(operands.substr(comma + 1));
  if (rest.empty() || rest.front() != '"') return SectionUse::code_or_constant;
  const std::string_view flags = unquote(rest.substr(0, rest.find(',')));
  if (flags.find('T') != std::string_view::npos) return SectionUse::thread_local_data;
  const bool writable = flags.find('w') != std::string_view::npos;
  const bool code = flags.find('x') != std::string_view::npos;
  return writable && !code ? SectionUse::mutable_data : SectionUse::code_or_constant;
}

// `.comm sym, size[, align]` or `.lcomm sym, size[, align]` as a definition
// in morph_state; empty when the operands are not that shape.
std::string common_as_state(std::string_view operands, bool global) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= operands.size()) {
    const std::size_t comma = operands.find(',', start);
    const std::size_t stop = comma == std::string_view::npos ? operands.size() : comma;
    parts.emplace_back(trim(operands.substr(start, stop - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty()) return {};
  const std::string& symbol = parts[0];
  // gas's own default for an ELF common symbol without an alignment is its
  // size's alignment, capped; 16 is never less.
  const std::string align = parts.size() == 3 && !parts[2].empty() ? parts[2] : "16";
  std::string out = ".pushsection " + std::string(kStateSection) + "; .balign " + align + "; ";
  if (global) out += ".globl " + symbol + "; ";
  out += ".type " + symbol + ", @object; .size " + symbol + ", " + parts[1] + "; " + symbol + ": .zero " + parts[1] +
         "; .popsection";
  return out;
}

}  // namespace

StateRewrite move_state_into_morph_state(std::string_view source) {
  StateRewrite result;
  bool in_block_comment = false;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos < source.size()) {
    const std::size_t newline = source.find('\n', pos);
    const std::size_t stop = newline == std::string_view::npos ? source.size() : newline;
    const std::string_view line = source.substr(pos, stop - pos);
    ++line_number;
    const std::string where = "line " + std::to_string(line_number) + ": ";

    const asm_cov::LexedLine lexed = asm_cov::lex_line(line, in_block_comment);
    std::string rewritten;
    std::size_t copied = 0;  // bytes of `line` already in `rewritten`
    for (const asm_cov::Statement& st : lexed.statements) {
      if (st.kind != asm_cov::StatementKind::Directive) continue;
      std::string replacement;
      if (st.word == ".data" || st.word == ".bss") {
        replacement = ".section " + std::string(kStateSection);
        result.moved.push_back(where + st.word);
      } else if (st.word == ".section" || st.word == ".pushsection") {
        switch (classify(st.operands)) {
          case SectionUse::mutable_data:
            replacement = st.word + " " + std::string(kStateSection);
            result.moved.push_back(where + st.word + " " + std::string(trim(st.operands.substr(0, st.operands.find(',')))));
            break;
          case SectionUse::already_state:
            replacement = st.word + " " + std::string(kStateSection);  // the one type (see the header)
            break;
          case SectionUse::thread_local_data:
            result.errors.push_back(where + "thread-local data (" + st.operands +
                                    ") cannot be reset between runs; keep mutable state in ordinary globals");
            break;
          case SectionUse::code_or_constant:
            break;
        }
      } else if (st.word == ".comm" || st.word == ".lcomm") {
        replacement = common_as_state(st.operands, st.word == ".comm");
        if (replacement.empty()) {
          result.errors.push_back(where + "cannot read " + st.word + " " + st.operands);
        } else {
          result.moved.push_back(where + st.word + " " + std::string(trim(st.operands.substr(0, st.operands.find(',')))));
        }
      }
      if (replacement.empty()) continue;
      rewritten.append(line.substr(copied, st.body_begin - copied));
      rewritten += replacement;
      copied = st.end;
    }
    rewritten.append(line.substr(copied));
    result.text += rewritten;
    if (newline != std::string_view::npos) result.text += '\n';
    pos = stop + 1;
  }
  return result;
}

std::string describe(const std::string& file_name, const StateRewrite& rewrite) {
  if (rewrite.moved.empty()) return file_name + ": no mutable data outside morph_state";
  std::string out = file_name + ": moved into morph_state, so that each run starts from it as loaded:";
  for (const std::string& m : rewrite.moved) out += "\n  " + m;
  return out;
}

}  // namespace mf::sut_prepare
