#include "asm_lexer.h"

#include <algorithm>
#include <iterator>
#include <cctype>

namespace mf::asm_cov {
namespace {

bool is_symbol_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Index just past a character constant starting at the quote at `i`:
// gas reads 'c, and accepts an optional closing quote ('c').
std::size_t skip_char_constant(std::string_view s, std::size_t i) {
  ++i;  // the opening quote
  if (i < s.size() && s[i] == '\\') ++i;
  if (i < s.size()) ++i;
  if (i < s.size() && s[i] == '\'') ++i;
  return i;
}

// Index just past a string literal starting at the quote at `i` (or the end
// of the line when it is unterminated).
std::size_t skip_string(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return s.size();
}

// The line with every comment replaced by spaces, so that byte offsets into
// it are offsets into the original line.
std::string blank_comments(std::string_view line, bool& in_block_comment) {
  std::string out(line);
  std::size_t i = 0;
  while (i < out.size()) {
    if (in_block_comment) {
      if (out.compare(i, 2, "*/") == 0) {
        out[i] = out[i + 1] = ' ';
        i += 2;
        in_block_comment = false;
      } else {
        out[i++] = ' ';
      }
    } else if (out[i] == '"') {
      i = skip_string(out, i);
    } else if (out[i] == '\'') {
      i = skip_char_constant(out, i);
    } else if (out.compare(i, 2, "/*") == 0) {
      out[i] = out[i + 1] = ' ';
      i += 2;
      in_block_comment = true;
    } else if (out[i] == '#') {
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(i), out.end(), ' ');
      break;
    } else {
      ++i;
    }
  }
  return out;
}

bool is_prefix(const std::string& word) {
  static constexpr std::string_view prefixes[] = {
      "rep",    "repe",   "repz",   "repne",   "repnz", "lock",     "data16",   "data32",
      "addr16", "addr32", "notrack", "bnd",    "xacquire", "xrelease", "rex",    "rex64",
      "cs",     "ds",     "es",     "ss",      "fs",    "gs"};
  if (word.rfind("rex.", 0) == 0) return true;
  if (!word.empty() && word.front() == '{') return true;  // {disp32}, {vex}, ...
  return std::find(std::begin(prefixes), std::end(prefixes), word) != std::end(prefixes);
}

std::size_t skip_spaces(std::string_view s, std::size_t i, std::size_t end) {
  while (i < end && is_space(s[i])) ++i;
  return i;
}

std::size_t token_end(std::string_view s, std::size_t i, std::size_t end) {
  while (i < end && !is_space(s[i])) ++i;
  return i;
}

std::string trimmed(std::string_view s, std::size_t b, std::size_t e) {
  b = skip_spaces(s, b, e);
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

Statement parse_statement(std::string_view clean, std::size_t begin, std::size_t end) {
  // The statement ends at its last non-blank byte: comments were blanked, so
  // this leaves a trailing comment outside the statement.
  while (end > begin && is_space(clean[end - 1])) --end;
  Statement st;
  st.begin = begin;
  st.end = end;
  std::size_t i = skip_spaces(clean, begin, end);
  // Labels: a symbol immediately followed by a colon, any number of them.
  for (;;) {
    std::size_t j = i;
    while (j < end && is_symbol_char(clean[j])) ++j;
    if (j == i || j >= end || clean[j] != ':') break;
    st.labels.push_back({std::string(clean.substr(i, j - i)), j + 1});
    i = skip_spaces(clean, j + 1, end);
  }
  st.body_begin = i;
  if (i >= end) return st;

  if (clean[i] == '.') {
    std::size_t t = token_end(clean, i, end);
    st.kind = StatementKind::Directive;
    st.word = lower(clean.substr(i, t - i));
    st.operands = trimmed(clean, t, end);
    return st;
  }
  std::size_t t = token_end(clean, i, end);
  std::size_t after = skip_spaces(clean, t, end);
  if (after < end && clean[after] == '=') {
    st.kind = StatementKind::Assignment;
    st.word = std::string(clean.substr(i, t - i));
    return st;
  }
  // An `=` glued to the symbol (`x=1`) is an assignment too.
  std::string_view first = clean.substr(i, t - i);
  if (first.find('=') != std::string_view::npos) {
    st.kind = StatementKind::Assignment;
    st.word = std::string(first.substr(0, first.find('=')));
    return st;
  }
  while (i < end) {
    t = token_end(clean, i, end);
    std::string word = lower(clean.substr(i, t - i));
    if (!is_prefix(word)) {
      st.kind = StatementKind::Instruction;
      st.word = word.substr(0, word.find(','));  // `jne,pt` is a hinted jne
      st.operands = trimmed(clean, t, end);
      return st;
    }
    i = skip_spaces(clean, t, end);
  }
  st.kind = StatementKind::BarePrefix;
  return st;
}

}  // namespace

LexedLine lex_line(std::string_view line, bool& in_block_comment) {
  LexedLine out;
  std::string clean = blank_comments(line, in_block_comment);
  out.ends_in_block_comment = in_block_comment;

  std::size_t begin = 0;
  std::size_t i = 0;
  while (i <= clean.size()) {
    if (i == clean.size() || clean[i] == ';') {
      out.statements.push_back(parse_statement(clean, begin, i));
      begin = i + 1;
      ++i;
    } else if (clean[i] == '"') {
      i = skip_string(clean, i);
    } else if (clean[i] == '\'') {
      i = skip_char_constant(clean, i);
    } else {
      ++i;
    }
  }
  return out;
}

bool is_conditional_jump(std::string_view m) {
  static constexpr std::string_view jumps[] = {
      "ja",     "jae",   "jb",    "jbe",    "jc",    "je",    "jg",     "jge",  "jl",
      "jle",    "jna",   "jnae",  "jnb",    "jnbe",  "jnc",   "jne",    "jng",  "jnge",
      "jnl",    "jnle",  "jno",   "jnp",    "jns",   "jnz",   "jo",     "jp",   "jpe",
      "jpo",    "js",    "jz",    "jcxz",   "jecxz", "jrcxz", "loop",   "loope", "loopne",
      "loopnz", "loopz", "loopl", "loopq"};
  return std::find(std::begin(jumps), std::end(jumps), m) != std::end(jumps);
}

}  // namespace mf::asm_cov
