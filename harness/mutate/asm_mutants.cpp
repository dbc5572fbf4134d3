#include "asm_mutants.h"

#include <cctype>
#include <charconv>
#include <map>
#include <set>

namespace mf::mutate {

namespace {

constexpr std::pair<Operator, std::string_view> kNames[] = {
    {Operator::negate_jcc, "negate_jcc"}, {Operator::sign_jcc, "sign_jcc"},
    {Operator::imm, "imm"},               {Operator::disp, "disp"},
    {Operator::add_sub, "add_sub"},       {Operator::and_or, "and_or"},
    {Operator::delete_insn, "delete"},    {Operator::swap_regs, "swap_regs"},
    {Operator::drop_push_pop, "drop_push_pop"},
};

// Each conditional jump and its negation, aliases included (jc is jb, jnc
// is jae: the same opcodes, but a file may spell either).
const std::map<std::string, std::string, std::less<>> kNegation = [] {
  std::map<std::string, std::string, std::less<>> m;
  const std::pair<const char*, const char*> pairs[] = {
      {"je", "jne"},    {"jz", "jnz"},    {"ja", "jbe"},  {"jnbe", "jna"}, {"jae", "jb"},  {"jnb", "jnae"},
      {"jnc", "jc"},    {"jg", "jle"},    {"jnle", "jng"}, {"jge", "jl"},  {"jnl", "jnge"}, {"js", "jns"},
      {"jo", "jno"},    {"jp", "jnp"},    {"jpe", "jpo"},
  };
  for (const auto& [a, b] : pairs) {
    m[a] = b;
    m[b] = a;
  }
  return m;
}();

// The same comparison read as signed instead of unsigned, and back: the
// classic confusion of a size compared as a signed number.
const std::map<std::string, std::string, std::less<>> kSignSwap = {
    {"ja", "jg"},     {"jg", "ja"},     {"jb", "jl"},     {"jl", "jb"},     {"jae", "jge"},  {"jge", "jae"},
    {"jbe", "jle"},   {"jle", "jbe"},   {"jc", "jl"},     {"jnc", "jge"},   {"jnbe", "jnle"}, {"jnle", "jnbe"},
    {"jnae", "jnge"}, {"jnge", "jnae"}, {"jnb", "jnl"},   {"jnl", "jnb"},   {"jna", "jng"},  {"jng", "jna"},
};

const std::set<std::string, std::less<>> kCalleeSaved = {"%rbx", "%rbp", "%r12", "%r13", "%r14", "%r15"};
const std::set<std::string, std::less<>> kPrefixes = {"rep", "repe", "repz", "repne", "repnz", "lock"};
constexpr long long kDeltas[] = {1, -1, 8, -8};

// A source line taken apart: [0, insn_begin) is indentation and labels,
// [insn_begin, insn_end) the instruction, the rest spaces and a comment.
struct Parsed {
  bool is_insn = false;
  std::size_t insn_begin = 0, insn_end = 0;
  std::string mnemonic;               // lower case, after any prefix
  std::string head;                   // prefix and mnemonic as written, e.g. "rep movsb"
  std::vector<std::string> operands;  // trimmed, split at top-level commas
  std::vector<std::string> labels;    // labels defined on the line
};

bool is_symbol_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$' || c == '@' || c == '\\';
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Where the comment starts ('#' outside a string), or the line's length.
std::size_t code_end(std::string_view line) {
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (in_string && line[i] == '\\') {
      ++i;
    } else if (line[i] == '"') {
      in_string = !in_string;
    } else if (!in_string && line[i] == '#') {
      return i;
    }
  }
  return line.size();
}

std::vector<std::string> split_operands(std::string_view s) {
  std::vector<std::string> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')') --depth;
    if (s[i] == ',' && depth == 0) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (!trim(s.substr(start)).empty() || !out.empty()) out.push_back(trim(s.substr(start)));
  return out;
}

Parsed parse_line(std::string_view line, const std::set<std::string, std::less<>>& macros) {
  Parsed p;
  const std::size_t end = code_end(line);
  std::size_t i = 0;
  // Labels: a symbol followed by ':' (any number of them).
  for (;;) {
    while (i < end && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    std::size_t j = i;
    while (j < end && is_symbol_char(line[j])) ++j;
    if (j > i && j < end && line[j] == ':') {
      p.labels.emplace_back(line.substr(i, j - i));
      i = j + 1;
      continue;
    }
    break;
  }
  std::size_t e = end;
  while (e > i && std::isspace(static_cast<unsigned char>(line[e - 1]))) --e;
  if (i >= e || line[i] == '.' || !std::islower(static_cast<unsigned char>(line[i]))) return p;
  std::size_t j = i;
  while (j < e && !std::isspace(static_cast<unsigned char>(line[j]))) ++j;
  std::string word(line.substr(i, j - i));
  if (macros.count(word) != 0) return p;  // a macro's use: its body is mutated where it is defined
  std::size_t ops = j;
  if (kPrefixes.count(word) != 0) {
    while (ops < e && std::isspace(static_cast<unsigned char>(line[ops]))) ++ops;
    std::size_t k = ops;
    while (k < e && !std::isspace(static_cast<unsigned char>(line[k]))) ++k;
    word = std::string(line.substr(ops, k - ops));
    ops = k;
  }
  p.is_insn = true;
  p.insn_begin = i;
  p.insn_end = e;
  p.mnemonic = word;
  p.head = std::string(line.substr(i, ops - i));
  p.operands = split_operands(line.substr(ops, e - ops));
  return p;
}

// The head with its mnemonic replaced, keeping any prefix and the column
// the operands started at when the new mnemonic has the same length.
std::string with_mnemonic(const Parsed& p, const std::string& mnemonic) {
  const std::size_t at = p.head.rfind(p.mnemonic);
  return p.head.substr(0, at) + mnemonic;
}

std::string spliced(std::string_view line, const Parsed& p, const std::string& insn) {
  return std::string(line.substr(0, p.insn_begin)) + insn + std::string(line.substr(p.insn_end));
}

// The original text between the head and the first operand (tabs or
// spaces), so that a changed line keeps its look.
std::string operand_gap(std::string_view line, const Parsed& p) {
  std::size_t k = p.insn_begin + p.head.size();
  const std::size_t from = k;
  while (k < p.insn_end && std::isspace(static_cast<unsigned char>(line[k]))) ++k;
  return std::string(line.substr(from, k - from));
}

std::string insn_text(std::string_view line, const Parsed& p, const std::string& head,
                      const std::vector<std::string>& operands) {
  std::string gap = operand_gap(line, p);
  // Keep the operand column when the mnemonic changed length.
  if (head.size() != p.head.size() && !gap.empty() && gap.find('\t') == std::string::npos) {
    const long long want = static_cast<long long>(p.head.size() + gap.size()) - static_cast<long long>(head.size());
    gap = std::string(static_cast<std::size_t>(std::max(1LL, want)), ' ');
  }
  std::string out = head;
  for (std::size_t k = 0; k < operands.size(); ++k) out += (k == 0 ? gap : ", ") + operands[k];
  return out;
}

std::optional<long long> integer_literal(const std::string& s) {
  std::string_view v = s;
  bool negative = false;
  if (!v.empty() && v[0] == '-') {
    negative = true;
    v.remove_prefix(1);
  }
  int base = 10;
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    base = 16;
    v.remove_prefix(2);
  }
  if (v.empty()) return std::nullopt;
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value, base);
  if (ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;
  return negative ? -value : value;
}

// expr + delta, as a literal when expr is one, else as an expression.
std::string shifted(const std::string& expr, long long delta, bool parenthesize) {
  if (expr.empty()) return std::to_string(delta);
  if (const std::optional<long long> v = integer_literal(expr)) return std::to_string(*v + delta);
  const std::string d = (delta < 0 ? "-" : "+") + std::to_string(delta < 0 ? -delta : delta);
  return (parenthesize ? "(" + expr + ")" : expr) + d;
}

bool is_register(const std::string& operand) { return operand.size() > 1 && operand[0] == '%'; }

// The displacement and the rest of a memory operand: "8(%rdi)" -> {"8",
// "(%rdi)"}; nullopt when the operand is not in memory.
std::optional<std::pair<std::string, std::string>> memory_operand(const std::string& operand) {
  if (operand.empty() || operand[0] == '$' || operand.back() != ')') return std::nullopt;
  const std::size_t open = operand.rfind('(');
  if (open == std::string::npos || operand.find('%', open) == std::string::npos) return std::nullopt;
  return std::make_pair(operand.substr(0, open), operand.substr(open));
}

std::string swapped_family(const std::string& mnemonic, std::string_view a, std::string_view b) {
  static const std::string suffixes[] = {"", "q", "l", "w", "b"};
  for (const std::string& s : suffixes) {
    if (mnemonic == std::string(a) + s) return std::string(b) + s;
    if (mnemonic == std::string(b) + s) return std::string(a) + s;
  }
  return {};
}

bool is_push_or_pop(const Parsed& p, std::string_view what, const std::string& reg) {
  return p.is_insn && (p.mnemonic == what || p.mnemonic == std::string(what) + "q") && p.operands.size() == 1 &&
         p.operands[0] == reg;
}

std::string deleted(std::string_view line, const Parsed& p) {
  return std::string(line.substr(0, p.insn_begin)) + "# MUTANT deleted: " +
         std::string(line.substr(p.insn_begin, p.insn_end - p.insn_begin));
}

}  // namespace

std::string_view operator_name(Operator op) {
  for (const auto& [o, name] : kNames) {
    if (o == op) return name;
  }
  return "?";
}

std::optional<Operator> operator_from_name(std::string_view name) {
  for (const auto& [o, n] : kNames) {
    if (n == name) return o;
  }
  return std::nullopt;
}

std::vector<Operator> all_operators() {
  std::vector<Operator> out;
  for (const auto& [o, n] : kNames) out.push_back(o);
  return out;
}

std::string Mutant::id() const {
  return file + ":" + std::to_string(line) + ":" + std::string(operator_name(op)) + ":" + std::to_string(index);
}

std::optional<MutantId> parse_mutant_id(std::string_view id) {
  // file:line:operator:index, split from the right (a file name has no ':').
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= id.size(); ++i) {
    if (i == id.size() || id[i] == ':') {
      parts.emplace_back(id.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() != 4 || parts[0].empty()) return std::nullopt;
  MutantId out;
  out.file = parts[0];
  const std::optional<Operator> op = operator_from_name(parts[2]);
  const std::optional<long long> line = integer_literal(parts[1]);
  const std::optional<long long> index = integer_literal(parts[3]);
  if (!op || !line || !index || *line < 1 || *index < 0 || parts[1][0] == '-' || parts[3][0] == '-') {
    return std::nullopt;
  }
  out.line = static_cast<int>(*line);
  out.op = *op;
  out.index = static_cast<int>(*index);
  return out;
}

std::vector<Mutant> generate_mutants(const std::string& file, const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }

  // Pass 1: macro names and function symbols (.type NAME, @function).
  std::set<std::string, std::less<>> macros, functions;
  for (const std::string& line : lines) {
    const std::string code = trim(std::string_view(line).substr(0, code_end(line)));
    if (code.rfind(".macro", 0) == 0) {
      const std::string rest = trim(code.substr(6));
      macros.insert(rest.substr(0, rest.find_first_of(" \t,")));
    } else if (code.rfind(".type", 0) == 0 && (code.find("@function") != std::string::npos ||
                                               code.find("%function") != std::string::npos)) {
      const std::string rest = trim(code.substr(5));
      functions.insert(trim(rest.substr(0, rest.find(','))));
    }
  }

  // Pass 2: each line parsed, with the function (or macro) it is in.
  std::vector<Parsed> parsed;
  std::vector<std::string> owner(lines.size());
  std::string current;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    parsed.push_back(parse_line(lines[n], macros));
    const std::string code = trim(std::string_view(lines[n]).substr(0, code_end(lines[n])));
    if (code.rfind(".macro", 0) == 0) {
      const std::string rest = trim(code.substr(6));
      current = "macro " + rest.substr(0, rest.find_first_of(" \t,"));
    } else if (code.rfind(".endm", 0) == 0) {
      current.clear();
    } else if (code.rfind(".size", 0) == 0) {
      current.clear();
    }
    for (const std::string& label : parsed.back().labels) {
      if (functions.count(label) != 0) current = label;
    }
    owner[n] = current;
  }

  std::vector<Mutant> out;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const Parsed& p = parsed[n];
    if (!p.is_insn) continue;
    const std::string& line = lines[n];
    const int line_no = static_cast<int>(n + 1);
    auto add = [&](Operator op, std::vector<LineEdit> edits) {
      int index = 0;
      for (const Mutant& m : out) index += (m.line == line_no && m.op == op);
      out.push_back(Mutant{file, line_no, op, index, owner[n], std::move(edits)});
    };
    auto add_line = [&](Operator op, const std::string& insn) {
      const std::string after = spliced(line, p, insn);
      if (after != line) add(op, {LineEdit{line_no, line, after}});
    };

    if (const auto it = kNegation.find(p.mnemonic); it != kNegation.end()) {
      add_line(Operator::negate_jcc, insn_text(line, p, with_mnemonic(p, it->second), p.operands));
    }
    if (const auto it = kSignSwap.find(p.mnemonic); it != kSignSwap.end()) {
      add_line(Operator::sign_jcc, insn_text(line, p, with_mnemonic(p, it->second), p.operands));
    }
    for (std::size_t k = 0; k < p.operands.size(); ++k) {
      if (p.operands[k].size() < 2 || p.operands[k][0] != '$') continue;
      for (long long d : kDeltas) {
        std::vector<std::string> ops = p.operands;
        ops[k] = "$" + shifted(p.operands[k].substr(1), d, true);
        add_line(Operator::imm, insn_text(line, p, p.head, ops));
      }
    }
    for (std::size_t k = 0; k < p.operands.size(); ++k) {
      const bool indirect = !p.operands[k].empty() && p.operands[k][0] == '*';
      const std::optional<std::pair<std::string, std::string>> mem =
          memory_operand(indirect ? p.operands[k].substr(1) : p.operands[k]);
      if (!mem) continue;
      for (long long d : kDeltas) {
        std::vector<std::string> ops = p.operands;
        ops[k] = (indirect ? "*" : "") + shifted(mem->first, d, false) + mem->second;
        add_line(Operator::disp, insn_text(line, p, p.head, ops));
      }
    }
    if (const std::string m = swapped_family(p.mnemonic, "add", "sub"); !m.empty()) {
      add_line(Operator::add_sub, insn_text(line, p, with_mnemonic(p, m), p.operands));
    }
    if (const std::string m = swapped_family(p.mnemonic, "and", "or"); !m.empty()) {
      add_line(Operator::and_or, insn_text(line, p, with_mnemonic(p, m), p.operands));
    }
    add(Operator::delete_insn, {LineEdit{line_no, line, deleted(line, p)}});
    if (p.operands.size() == 2 && is_register(p.operands[0]) && is_register(p.operands[1]) &&
        p.operands[0] != p.operands[1]) {
      add_line(Operator::swap_regs, insn_text(line, p, p.head, {p.operands[1], p.operands[0]}));
    }
    // A callee-saved register's push, with every pop of it that follows in
    // the same function before it is pushed again.
    if (!owner[n].empty() && owner[n].rfind("macro ", 0) != 0 && (p.mnemonic == "push" || p.mnemonic == "pushq") &&
        p.operands.size() == 1 && kCalleeSaved.count(p.operands[0]) != 0) {
      const std::string& reg = p.operands[0];
      std::vector<LineEdit> edits = {LineEdit{line_no, line, deleted(line, p)}};
      for (std::size_t m = n + 1; m < lines.size() && owner[m] == owner[n]; ++m) {
        if (is_push_or_pop(parsed[m], "push", reg)) break;
        if (is_push_or_pop(parsed[m], "pop", reg)) {
          edits.push_back(LineEdit{static_cast<int>(m + 1), lines[m], deleted(lines[m], parsed[m])});
        }
      }
      if (edits.size() > 1) add(Operator::drop_push_pop, std::move(edits));
    }
  }
  return out;
}

std::optional<std::string> apply_mutant(const std::string& text, const Mutant& mutant) {
  std::string out;
  int line_no = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t nl = text.find('\n', start);
    const std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    std::string replaced = line;
    for (const LineEdit& e : mutant.edits) {
      if (e.line != line_no) continue;
      if (line != e.before) return std::nullopt;  // not the text the mutant was made from
      replaced = e.after;
    }
    out += replaced;
    if (nl == std::string::npos) break;
    out += '\n';
    start = nl + 1;
    ++line_no;
  }
  return out;
}

std::string mutant_diff(const Mutant& mutant) {
  std::string out;
  for (const LineEdit& e : mutant.edits) {
    out += "@@ " + mutant.file + ":" + std::to_string(e.line) + "\n-" + e.before + "\n+" + e.after + "\n";
  }
  return out;
}

}  // namespace mf::mutate
