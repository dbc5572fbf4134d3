#include "instrumenter.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "probe_text.h"
#include "source_scan.h"

namespace mf::asm_cov {
namespace {

// Text to put into the output at one place of one source line: [begin, end)
// of the line is replaced by `text` (begin == end inserts).
struct Cut {
  std::size_t line = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

struct LabelSite {
  std::string name;
  std::size_t statement = 0;
  std::optional<std::size_t> counter;
};

struct JumpSite {
  std::size_t entry = 0;      // index into the map's entries
  std::size_t statement = 0;
};

// Directives that emit nothing in the current section (or only alignment
// padding), so a label before them still labels the code that follows.
bool is_neutral_directive(const std::string& d) {
  static constexpr std::string_view neutral[] = {
      ".p2align", ".align",  ".balign",  ".balignw", ".balignl", ".p2alignw", ".p2alignl",
      ".loc",     ".file",   ".type",    ".globl",   ".global",  ".local",    ".weak",
      ".hidden",  ".protected", ".internal", ".equ",  ".set",     ".equiv",    ".eqv",
      ".else",    ".elseif", ".endif",   ".loc_mark_labels"};
  if (d.rfind(".cfi_", 0) == 0 || d.rfind(".if", 0) == 0) return true;
  return std::find(std::begin(neutral), std::end(neutral), d) != std::end(neutral);
}

enum class Verdict { Code, Continue, Stop };

Verdict classify_for_label(const ScannedStatement& s) {
  switch (s.st.kind) {
    case StatementKind::Instruction:
    case StatementKind::BarePrefix:
      return Verdict::Code;
    case StatementKind::Empty:
    case StatementKind::Assignment:
      return Verdict::Continue;
    case StatementKind::Directive:
      return is_neutral_directive(s.st.word) ? Verdict::Continue : Verdict::Stop;
  }
  return Verdict::Stop;
}

// A label deserves a probe when control can arrive at code through it: the
// first statement after it that emits anything is an instruction (or a macro
// invocation) in the same code section.  A label in front of data, at the
// end of a function (before .size) or at the end of the file gets none.
bool code_follows(const ScannedSource& src, std::size_t index) {
  const ScannedStatement& self = src.statements[index];
  if (self.st.kind != StatementKind::Empty) return classify_for_label(self) == Verdict::Code;
  for (std::size_t j = index + 1; j < src.statements.size(); ++j) {
    const ScannedStatement& s = src.statements[j];
    if (!s.code_section || s.in_block) return false;
    Verdict v = classify_for_label(s);
    if (v != Verdict::Continue) return v == Verdict::Code;
  }
  return false;
}

bool is_numeric_reference(std::string_view target) {
  if (target.size() < 2 || (target.back() != 'f' && target.back() != 'b')) return false;
  return std::all_of(target.begin(), target.end() - 1,
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

// The counter of the label a jump goes to when it is taken, if that label
// is in this file and has a probe.  `Nf` is the next definition of N after
// the jump, `Nb` the last one at or before it.
std::optional<std::size_t> taken_counter(const std::vector<LabelSite>& labels,
                                         const std::string& target, std::size_t jump) {
  if (is_numeric_reference(target)) {
    std::string number = target.substr(0, target.size() - 1);
    if (target.back() == 'f') {
      for (const LabelSite& l : labels)
        if (l.name == number && l.statement > jump) return l.counter;
    } else {
      for (auto it = labels.rbegin(); it != labels.rend(); ++it)
        if (it->name == number && it->statement <= jump) return it->counter;
    }
    return std::nullopt;
  }
  for (const LabelSite& l : labels)
    if (l.name == target) return l.counter;
  return std::nullopt;
}

std::string trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  std::size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// Writes output lines and keeps gas's idea of the current source line right:
// a `# N "file"` marker goes out whenever the next output line is not the
// line gas would count it as.
class Writer {
 public:
  // The first marker names the file as the map does, so gas reports the
  // relative name rather than the instrumented copy's build path.
  explicit Writer(std::string file_name) : file_name_(std::move(file_name)) {
    out_ = "# 1 \"" + file_name_ + "\"\n";
  }

  void line(std::string_view text, std::size_t logical) {
    if (logical != expected_) out_ += "# " + std::to_string(logical) + " \"" + file_name_ + "\"\n";
    out_ += text;
    out_ += '\n';
    expected_ = logical + 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  }
  void raw(std::string_view text) { out_ += text; }
  std::string take() { return std::move(out_); }

 private:
  std::string file_name_;
  std::string out_;
  std::size_t expected_ = 1;
};

void write_line(Writer& w, std::string_view text, std::size_t logical, std::vector<Cut>& cuts) {
  if (cuts.empty()) {
    w.line(text, logical);
    return;
  }
  std::stable_sort(cuts.begin(), cuts.end(),
                   [](const Cut& a, const Cut& b) { return a.begin < b.begin; });
  std::size_t pos = 0;
  for (const Cut& cut : cuts) {
    std::string_view piece = text.substr(pos, cut.begin - pos);
    if (pos == 0) {
      if (!trim(piece).empty()) w.line(piece, logical);
    } else {
      // A piece cut from the middle of a line: drop the `;` that separated
      // it from what came before, and indent it like any statement.
      std::string rest = trim(piece);
      if (!rest.empty() && rest.front() == ';') rest = trim(rest.substr(1));
      if (!rest.empty()) w.line("        " + rest, logical);
    }
    w.line(cut.text, logical);
    pos = cut.end;
  }
  std::string rest = trim(text.substr(pos));
  if (!rest.empty() && rest.front() == ';') rest = trim(rest.substr(1));
  if (!rest.empty()) w.line("        " + rest, logical);
}

}  // namespace

Instrumented instrument(std::string_view source, const InstrumentOptions& options) {
  Instrumented result;
  result.map.file = options.file_name;
  result.map.hash = name_hash(options.file_name);
  const ProbeSymbols symbols = probe_symbols(options.symbol_id);
  const ScannedSource src = scan_source(source);

  std::vector<std::vector<Cut>> cuts(src.lines.size());
  std::vector<LabelSite> labels;
  std::vector<JumpSite> jumps;
  bool after_bare_prefix = false;

  auto end_of_statement = [&](const ScannedStatement& s, std::size_t offset) {
    // Put the probe on the next line when nothing follows on this one, so a
    // trailing comment stays with its statement.
    if (s.last_on_line && !s.line_ends_in_comment) return src.lines[s.line].size();
    return offset;
  };

  for (std::size_t i = 0; i < src.statements.size(); ++i) {
    const ScannedStatement& s = src.statements[i];
    const bool instrumentable = s.code_section && !s.in_block;
    const std::size_t line_no = s.line + 1;

    for (std::size_t k = 0; k < s.st.labels.size(); ++k) {
      const LabelDef& def = s.st.labels[k];
      LabelSite site{def.name, i, std::nullopt};
      if (instrumentable && after_bare_prefix) {
        result.warnings.push_back("line " + std::to_string(line_no) + ": label " + def.name +
                                  " between a prefix and its instruction is not instrumented");
      } else if (instrumentable && code_follows(src, i)) {
        std::size_t counter = result.map.entries.size();
        site.counter = counter;
        MapEntry e;
        e.index = counter;
        e.line = line_no;
        e.kind = ProbeKind::Label;
        e.label = def.name;
        result.map.entries.push_back(e);
        bool last_label = k + 1 == s.st.labels.size() && s.st.kind == StatementKind::Empty;
        std::size_t at = last_label ? end_of_statement(s, def.after_colon) : def.after_colon;
        cuts[s.line].push_back({s.line, at, at, probe_line(symbols, counter)});
      }
      labels.push_back(std::move(site));
    }

    if (instrumentable && s.st.kind == StatementKind::Instruction && !s.macro_call &&
        is_conditional_jump(s.st.word)) {
      std::size_t counter = result.map.entries.size();
      MapEntry e;
      e.index = counter;
      e.line = line_no;
      e.kind = ProbeKind::Fallthrough;
      e.mnemonic = s.st.word;
      e.target = s.st.operands;
      e.target.erase(std::remove_if(e.target.begin(), e.target.end(),
                                    [](unsigned char c) { return std::isspace(c) != 0; }),
                     e.target.end());
      result.map.entries.push_back(e);
      jumps.push_back({counter, i});
      std::string probe = probe_line(symbols, counter);
      if (has_short_range_only(s.st.word)) {
        std::string body = trim(src.lines[s.line].substr(s.st.body_begin, s.st.end - s.st.body_begin));
        std::string head = trim(std::string_view(body).substr(0, body.size() - s.st.operands.size()));
        cuts[s.line].push_back({s.line, s.st.body_begin, s.st.end,
                                short_jump_trampoline(head, s.st.operands, counter) + "\n" + probe});
      } else {
        std::size_t at = end_of_statement(s, s.st.end);
        cuts[s.line].push_back({s.line, at, at, probe});
      }
    }
    if (s.st.kind != StatementKind::Empty) after_bare_prefix = s.st.kind == StatementKind::BarePrefix;
  }

  for (const JumpSite& j : jumps) {
    MapEntry& e = result.map.entries[j.entry];
    e.taken = taken_counter(labels, e.target, j.statement);
  }

  Writer w(options.file_name);
  for (std::size_t i = 0; i < src.lines.size(); ++i) write_line(w, src.lines[i], i + 1, cuts[i]);
  w.raw(trailer(symbols, options.file_name, result.map.hash, result.map.entries.size()));
  result.text = w.take();
  return result;
}

std::string default_symbol_id(std::string_view file_name) {
  std::string_view stem = file_name;
  std::size_t slash = stem.rfind('/');
  std::size_t dot = stem.rfind('.');
  if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash))
    stem = stem.substr(0, dot);
  std::string id;
  for (char c : stem) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id.front()))) id.insert(0, "f");
  return id;
}

bool is_valid_file_name(std::string_view name) {
  if (name.empty() || name.front() == '/') return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '/';
  });
}

bool is_valid_symbol_id(std::string_view id) {
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id.front()))) return false;
  return std::all_of(id.begin(), id.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

}  // namespace mf::asm_cov
