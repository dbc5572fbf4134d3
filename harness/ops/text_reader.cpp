#include <cctype>
#include <vector>

#include "text_format.h"

namespace mf::ops {

namespace {

// A parse failure inside one line; the caller adds the line number.
struct LineError {
  std::string message;
};

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t begin = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > begin) words.push_back(s.substr(begin, i - begin));
  }
  return words;
}

// Digits in `base` (10 or 16) making a value below 2^64; nothing else.
std::optional<std::uint64_t> parse_digits(std::string_view s, unsigned base) {
  if (s.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : s) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (digit >= base) return std::nullopt;
    if (value > (~std::uint64_t{0} - digit) / base) return std::nullopt;  // would pass 2^64 - 1
    value = value * base + digit;
  }
  return value;
}

// Decimal, or hex with a 0x prefix.
std::optional<std::uint64_t> parse_number(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return parse_digits(s.substr(2), 16);
  return parse_digits(s, 10);
}

std::uint64_t number_or_throw(std::string_view s) {
  std::optional<std::uint64_t> n = parse_number(s);
  if (!n) throw LineError{"bad number " + quoted(s)};
  return *n;
}

// Which handles exist so far: a reference to a handle whose creating op has
// not been read yet is an error.
struct ReaderState {
  HandleCounts counts;
};

// A pointer expression; `check_exists` rejects handles no earlier op created.
PtrExpr parse_ptr(std::string_view word, const ReaderState& state, bool check_exists = true) {
  if (word == "null") return PtrExpr::null();
  if (word.starts_with("abs:")) {
    std::string_view digits = word.substr(4);
    if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
    std::optional<std::uint64_t> address = parse_digits(digits, 16);
    if (!address) throw LineError{"bad number in " + quoted(word)};
    return *address == 0 ? PtrExpr::null() : PtrExpr::absolute(*address);  // one spelling of the null pointer
  }
  if (word.empty()) throw LineError{"missing pointer"};
  HandleKind kind;
  switch (word[0]) {
    case 'a':
      kind = HandleKind::arena;
      break;
    case 'p':
      kind = HandleKind::pool;
      break;
    case 'm':
      kind = HandleKind::block;
      break;
    default:
      throw LineError{"bad pointer " + quoted(word) + " (want null, abs:<hex>, or a<i>/p<i>/m<i> with .start and +/-offset)"};
  }
  std::size_t i = 1;
  while (i < word.size() && std::isdigit(static_cast<unsigned char>(word[i]))) ++i;
  std::optional<std::uint64_t> index = parse_digits(word.substr(1, i - 1), 10);
  if (!index || *index > 0xFFFFFFFFu) throw LineError{"bad pointer " + quoted(word)};
  PtrExpr ptr = PtrExpr::handle(kind, static_cast<std::uint32_t>(*index));
  std::string_view rest = word.substr(i);
  if (rest.starts_with(".start")) {
    if (kind == HandleKind::block) throw LineError{"bad pointer " + quoted(word) + ": m<i> has no .start"};
    ptr.start = true;
    rest.remove_prefix(6);
  }
  if (!rest.empty()) {
    if (rest[0] != '+' && rest[0] != '-') throw LineError{"bad pointer " + quoted(word)};
    std::optional<std::uint64_t> offset = parse_number(rest.substr(1));
    if (!offset) throw LineError{"bad number in " + quoted(word)};
    ptr.offset = rest[0] == '+' ? *offset : 0 - *offset;
  }
  if (check_exists && *index >= state.counts.of(kind)) {
    throw LineError{"handle " + std::string(1, handle_letter(kind)) + std::to_string(*index) +
                    " never created (no earlier op creates it)"};
  }
  return ptr;
}

Arg parse_arg(ArgKind kind, std::string_view word, const ReaderState& state) {
  switch (syntax_of(kind)) {
    case SyntaxClass::number:
      return num(number_or_throw(word));
    case SyntaxClass::os_call: {
      std::optional<OsCall> call = os_call_from_name(word);
      if (!call) throw LineError{"bad system call " + quoted(word) + " (want mmap or munmap)"};
      return num(static_cast<std::uint64_t>(*call));
    }
    case SyntaxClass::arena_handle:
    case SyntaxClass::pool_handle: {
      const bool arena = syntax_of(kind) == SyntaxClass::arena_handle;
      PtrExpr p;
      try {
        p = parse_ptr(word, state, false);
      } catch (const LineError&) {
        p = PtrExpr::absolute(1);  // reported just below, as the wrong kind of operand
      }
      const bool fits = p.base == PtrExpr::Base::null ||
                        (p.is_exact_handle() && p.kind() == (arena ? HandleKind::arena : HandleKind::pool));
      if (!fits) throw LineError{"bad operand " + quoted(word) + " (want null or " + (arena ? "a<i>)" : "p<i>)")};
      return ptr(parse_ptr(word, state));
    }
    case SyntaxClass::pointer:
      return ptr(parse_ptr(word, state));
  }
  return {};
}

Expectation parse_expectation(const OpInfo& op, std::string_view text, const ReaderState& state) {
  std::vector<std::string_view> words = split_words(text);
  if (words.empty()) throw LineError{"missing expectation after '->'"};
  if (words[0] == "exit") {
    if (words.size() != 2) throw LineError{"bad expectation: want 'exit <code>'"};
    std::uint64_t code = number_or_throw(words[1]);
    if (code > 255) throw LineError{"bad expectation: exit code " + std::string(words[1]) + " is above 255"};
    return Expectation::exits(static_cast<int>(code));
  }
  if (words.size() != 1) throw LineError{"bad expectation " + quoted(trim(text))};
  std::string_view word = words[0];
  switch (op.result) {
    case ResultKind::none:
      if (word != "ok") throw LineError{"bad expectation " + quoted(word) + ": " + std::string(op.name) +
                                        " returns nothing (want ok or exit <code>)"};
      return Expectation::returns();
    case ResultKind::number:
    case ResultKind::bits:
      return Expectation::value(number_or_throw(word));
    case ResultKind::pointer:
      if (word == "0") return Expectation::pointer_to(PtrExpr::null());
      return Expectation::pointer_to(parse_ptr(word, state));
    case ResultKind::new_arena:
    case ResultKind::new_pool:
    case ResultKind::new_block: {
      if (word == "0" || word == "null") return Expectation::pointer_to(PtrExpr::null());
      const HandleKind kind = *created_kind(op.code);
      const LineError wrong{"bad expectation " + quoted(word) + ": this op creates " +
                            std::string(1, handle_letter(kind)) + std::to_string(state.counts.of(kind)) +
                            " (or returns 0)"};
      PtrExpr p;
      try {
        p = parse_ptr(word, state, false);
      } catch (const LineError&) {
        throw wrong;
      }
      if (!p.is_exact_handle() || p.kind() != kind || p.index != state.counts.of(kind)) throw wrong;
      return Expectation::pointer_to(p);
    }
  }
  return {};
}

Op parse_op_line(std::string_view line, Target target, ReaderState& state) {
  std::string_view call = line;
  std::optional<std::string_view> expectation;
  if (std::size_t arrow = line.find("->"); arrow != std::string_view::npos) {
    call = line.substr(0, arrow);
    expectation = line.substr(arrow + 2);
  }
  std::vector<std::string_view> words = split_words(call);
  if (words.empty()) throw LineError{"missing op before '->'"};
  std::optional<OpCode> code = op_from_name(words[0]);
  if (!code) throw LineError{"unknown op " + quoted(words[0])};
  const OpInfo& op_info = info(*code);
  if (!op_info.allowed_in(target)) {
    throw LineError{"op " + quoted(words[0]) + " is not in target " + std::string(target_name(target))};
  }
  if (words.size() - 1 != op_info.arity) {
    throw LineError{"wrong argument count for " + std::string(op_info.name) + ": want " +
                    std::to_string(op_info.arity) + ", got " + std::to_string(words.size() - 1)};
  }
  Op op;
  op.code = *code;
  for (std::size_t i = 0; i < op_info.arity; ++i) op.args[i] = parse_arg(op_info.args[i], words[i + 1], state);
  if (expectation) op.expect = parse_expectation(op_info, *expectation, state);
  if (std::optional<HandleKind> kind = created_kind(op.code)) ++state.counts.of(*kind);
  return op;
}

std::optional<Target> parse_header(std::string_view line) {
  line = trim(line);
  if (!line.starts_with(kTextHeaderPrefix)) return std::nullopt;
  return target_from_name(line.substr(kTextHeaderPrefix.size()));
}

}  // namespace

std::string to_string(const TraceError& error) {
  if (error.line == 0) return error.message;
  return "line " + std::to_string(error.line) + ": " + error.message;
}

TextReadResult read_text_trace(std::string_view text) {
  TextReadResult result;
  Trace trace;
  ReaderState state;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (line_number == 1) {
      std::optional<Target> target = parse_header(line);
      if (!target) {
        result.error = {1, "bad header: the first line must be '" + std::string(kTextHeaderPrefix) +
                               "<arena|pool|alloc|builtins|mixed|meminfo|daemon>'"};
        return result;
      }
      trace.target = *target;
      continue;
    }
    if (std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    try {
      trace.ops.push_back(parse_op_line(line, trace.target, state));
    } catch (const LineError& error) {
      result.error = {line_number, error.message};
      return result;
    }
  }
  if (line_number == 0) {
    result.error = {0, "empty input"};
    return result;
  }
  result.trace = std::move(trace);
  return result;
}

bool looks_like_text_trace(std::string_view bytes) {
  if (bytes.starts_with(kTextHeaderPrefix.substr(0, 5))) return true;  // "# mfh"
  if (bytes.empty() || bytes[0] != '#') return false;
  for (char c : bytes) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x7F || (u < 0x20 && c != '\n' && c != '\r' && c != '\t')) return false;
  }
  return true;
}

}  // namespace mf::ops
