#include "divergence_signature.h"

#include <cctype>

namespace mf::fuzz {

std::string op_kind_of(std::string_view op_text) {
  // The runner names the end-of-run checks "(end of run)".
  if (op_text.empty() || op_text.front() == '(') return "end_of_run";
  const std::size_t end = op_text.find_first_of(" \t");
  return std::string(op_text.substr(0, end));
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

std::string divergence_signature(ops::Target target, std::string_view op_text, std::string_view what) {
  return "MF-DIVERGENCE target=" + std::string(ops::target_name(target)) + " op=" + op_kind_of(op_text) +
         " field=" + field_of(what);
}

}  // namespace mf::fuzz
