#include "divergence_signature.h"

#include <cctype>

namespace mf::runner {

namespace {

// "a3 header: current differs" and "a0 header: current differs" are the same
// check; "page 2" and "page 5" too.
std::string without_numbers(const std::string& text) {
  std::string out;
  bool in_number = false;
  for (char c : text) {
    const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (digit && !in_number) out += '#';
    if (!digit) out += c;
    in_number = digit;
  }
  return out;
}

}  // namespace

DivergenceSignature divergence_signature(ops::Target target, const Divergence& divergence) {
  DivergenceSignature s;
  s.target = target;
  const std::string& op = divergence.op_text;
  s.op = op.starts_with("(") ? op : op.substr(0, op.find_first_of(" \t"));
  s.field = without_numbers(divergence.what);
  return s;
}

std::string to_string(const DivergenceSignature& signature) {
  return std::string(ops::target_name(signature.target)) + " " + signature.op + ": " + signature.field;
}

}  // namespace mf::runner
