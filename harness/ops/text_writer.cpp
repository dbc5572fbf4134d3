#include <cstdio>

#include "text_format.h"
#include "hex_text.h"

namespace mf::ops {

namespace {


std::string format_arg(ArgKind kind, const Arg& arg) {
  switch (syntax_of(kind)) {
    case SyntaxClass::number:
      // Stored values read best in hex; counts and sizes in decimal.
      return kind == ArgKind::value ? hex(arg.number) : std::to_string(arg.number);
    case SyntaxClass::os_call:
      return std::string(os_call_name(static_cast<OsCall>(arg.number & 1)));
    case SyntaxClass::arena_handle:
    case SyntaxClass::pool_handle:
    case SyntaxClass::pointer:
      return format_ptr(arg.ptr);
  }
  return "?";
}

}  // namespace

std::string header_line(Target target) { return std::string(kTextHeaderPrefix) + std::string(target_name(target)); }

std::string format_ptr(const PtrExpr& ptr) {
  switch (ptr.base) {
    case PtrExpr::Base::null:
      return "null";
    case PtrExpr::Base::abs:
      return "abs:" + hex(ptr.offset);
    default:
      break;
  }
  std::string text(1, handle_letter(ptr.kind()));
  text += std::to_string(ptr.index);
  if (ptr.start) text += ".start";
  // An offset above 2^63 reads best as a negative one (m0-16, not m0+1844...).
  if (ptr.offset > (std::uint64_t{1} << 63)) {
    text += "-" + std::to_string(0 - ptr.offset);
  } else if (ptr.offset != 0 || ptr.start) {
    text += "+" + std::to_string(ptr.offset);
  }
  return text;
}

std::string format_expectation(OpCode code, const Expectation& expect) {
  switch (expect.kind) {
    case Expectation::Kind::none:
      return "";
    case Expectation::Kind::ok:
      return "ok";
    case Expectation::Kind::exit:
      return "exit " + std::to_string(expect.number);
    case Expectation::Kind::number:
      return info(code).result == ResultKind::bits ? hex(expect.number) : std::to_string(expect.number);
    case Expectation::Kind::pointer:
      return expect.ptr.base == PtrExpr::Base::null ? "0" : format_ptr(expect.ptr);
  }
  return "";
}

std::string format_op(const Op& op) {
  const OpInfo& op_info = op.info();
  std::string line(op_info.name);
  for (std::size_t i = 0; i < op_info.arity; ++i) {
    line += ' ';
    line += format_arg(op_info.args[i], op.args[i]);
  }
  if (op.expect.kind != Expectation::Kind::none) {
    line += " -> ";
    line += format_expectation(op.code, op.expect);
  }
  return line;
}

std::string write_text_trace(const Trace& trace) {
  std::string text = header_line(trace.target) + "\n";
  for (const Op& op : trace.ops) {
    text += format_op(op);
    text += '\n';
  }
  return text;
}

}  // namespace mf::ops
