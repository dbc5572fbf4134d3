#include "divergence_signature.h"

#include <cctype>

#include "op_table.h"

namespace mf::runner {

namespace {

constexpr std::string_view kPrefix = "MF-DIVERGENCE ";

// The value of "key=" up to the next space, or nullopt.
std::optional<std::string> field_value(std::string_view line, std::string_view key) {
  const std::size_t at = line.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(at + key.size());
  rest = rest.substr(0, rest.find_first_of(" \t\r\n"));
  if (rest.empty()) return std::nullopt;
  return std::string(rest);
}

}  // namespace

std::string op_kind_of(std::string_view op_text) {
  // The runner names the end-of-run checks "(end of run)".
  if (op_text.empty() || op_text.front() == '(') return "end_of_run";
  return std::string(op_text.substr(0, op_text.find_first_of(" \t")));
}

std::string field_of(std::string_view what) {
  std::string field;
  bool pending_separator = false;
  for (std::size_t i = 0; i < what.size(); ++i) {
    const auto c = static_cast<unsigned char>(what[i]);
    if (std::isdigit(c)) {
      while (i + 1 < what.size() && std::isdigit(static_cast<unsigned char>(what[i + 1]))) ++i;
      if (pending_separator && !field.empty()) field += '_';
      pending_separator = false;
      field += 'N';
    } else if (std::isalpha(c)) {
      if (pending_separator && !field.empty()) field += '_';
      pending_separator = false;
      field += static_cast<char>(std::tolower(c));
    } else {
      pending_separator = true;
    }
  }
  return field.empty() ? "unknown" : field;
}

DivergenceSignature divergence_signature(ops::Target target, std::string_view op_text, std::string_view what) {
  return DivergenceSignature{target, op_kind_of(op_text), field_of(what)};
}

DivergenceSignature divergence_signature(ops::Target target, const Divergence& divergence) {
  return divergence_signature(target, divergence.op_text, divergence.what);
}

std::string to_string(const DivergenceSignature& signature) {
  return std::string(kPrefix) + "target=" + std::string(ops::target_name(signature.target)) + " op=" + signature.op +
         " field=" + signature.field;
}

std::optional<DivergenceSignature> parse_signature(std::string_view line) {
  const std::size_t at = line.find(kPrefix);
  if (at == std::string_view::npos) return std::nullopt;
  line = line.substr(at + kPrefix.size());
  const std::optional<std::string> target = field_value(line, "target=");
  const std::optional<std::string> op = field_value(line, " op=");
  const std::optional<std::string> field = field_value(line, " field=");
  if (!target || !op || !field) return std::nullopt;
  const std::optional<ops::Target> t = ops::target_from_name(*target);
  if (!t) return std::nullopt;
  return DivergenceSignature{*t, *op, *field};
}

std::string file_stem(const DivergenceSignature& signature) {
  std::string stem = std::string(ops::target_name(signature.target)) + "-" + signature.op + "-" + signature.field;
  constexpr std::size_t kMaxStem = 120;  // well under NAME_MAX with any suffix
  if (stem.size() > kMaxStem) stem.resize(kMaxStem);
  return stem;
}

}  // namespace mf::runner
