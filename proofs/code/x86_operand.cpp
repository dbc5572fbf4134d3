// x86_operand.cpp - decoding of objdump's AT&T operand text.
#include "x86_operand.h"

#include <map>
#include <stdexcept>

namespace mf::proof {
namespace {

const std::map<std::string, RegisterRef>& register_table() {
  static const std::map<std::string, RegisterRef> table = [] {
    std::map<std::string, RegisterRef> t;
    const char* r64[] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"};
    const char* r32[] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    const char* r16[] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    const char* r8[] = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
    const char* high[] = {"ah", "ch", "dh", "bh"};
    for (int i = 0; i < 8; ++i) {
      t[r64[i]] = {i, 64, false};
      t[r32[i]] = {i, 32, false};
      t[r16[i]] = {i, 16, false};
      t[r8[i]] = {i, 8, false};
    }
    for (int i = 0; i < 4; ++i) t[high[i]] = {i, 8, true};
    for (int i = 8; i < 16; ++i) {
      std::string n = "r" + std::to_string(i);
      t[n] = {i, 64, false};
      t[n + "d"] = {i, 32, false};
      t[n + "w"] = {i, 16, false};
      t[n + "b"] = {i, 8, false};
    }
    return t;
  }();
  return table;
}

std::int64_t parse_signed(const std::string& text) {
  if (text.empty()) return 0;
  bool negative = text[0] == '-';
  std::string digits = negative ? text.substr(1) : text;
  std::uint64_t value = digits.rfind("0x", 0) == 0 ? std::stoull(digits.substr(2), nullptr, 16)
                                                  : std::stoull(digits, nullptr, 10);
  return negative ? -static_cast<std::int64_t>(value) : static_cast<std::int64_t>(value);
}

}  // namespace

const char* gpr_name(int gpr) {
  static const char* const names[] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                      "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
  return names[gpr];
}

std::optional<RegisterRef> parse_register(const std::string& text) {
  if (text.size() < 2 || text[0] != '%') return std::nullopt;
  auto i = register_table().find(text.substr(1));
  if (i == register_table().end()) return std::nullopt;
  return i->second;
}

Operand parse_operand(const std::string& original, bool is_branch) {
  Operand op;
  std::string text = original;
  if (!text.empty() && text[0] == '*') {
    op.indirect = true;
    text = text.substr(1);
  }
  if (text.empty()) throw std::runtime_error("empty operand");
  if (text[0] == '$') {
    op.kind = Operand::Kind::Immediate;
    op.immediate = static_cast<std::uint64_t>(parse_signed(text.substr(1)));
    return op;
  }
  if (text[0] == '%' && text.find(':') == std::string::npos) {
    auto reg = parse_register(text);
    if (!reg) throw std::runtime_error("unknown register " + text);
    op.kind = Operand::Kind::Register;
    op.reg = *reg;
    return op;
  }
  if (is_branch && !op.indirect && text.find('(') == std::string::npos) {
    op.kind = Operand::Kind::Target;
    op.immediate = std::stoull(text, nullptr, 16);
    return op;
  }
  // Memory: [%seg:]disp(base,index,scale), any part optional.
  std::size_t colon = text.find(':');
  if (colon != std::string::npos) {
    std::string segment = text.substr(0, colon);
    if (segment != "%es" && segment != "%ds") throw std::runtime_error("segment override " + segment);
    text = text.substr(colon + 1);
  }
  op.kind = Operand::Kind::Memory;
  std::size_t open = text.find('(');
  op.memory.displacement = parse_signed(text.substr(0, open));
  if (open == std::string::npos) return op;  // absolute address
  std::size_t close = text.find(')', open);
  if (close == std::string::npos) throw std::runtime_error("bad memory operand " + original);
  std::string inside = text.substr(open + 1, close - open - 1);
  std::string parts[3];
  int part = 0;
  for (char c : inside) {
    if (c == ',') {
      if (++part > 2) throw std::runtime_error("bad memory operand " + original);
      continue;
    }
    parts[part] += c;
  }
  if (parts[0] == "%rip") {
    op.memory.rip_relative = true;
  } else if (!parts[0].empty()) {
    op.memory.base = parse_register(parts[0]);
    if (!op.memory.base || op.memory.base->bits != 64)
      throw std::runtime_error("bad base register in " + original);
  }
  if (!parts[1].empty()) {
    op.memory.index = parse_register(parts[1]);
    if (!op.memory.index || op.memory.index->bits != 64)
      throw std::runtime_error("bad index register in " + original);
  }
  if (!parts[2].empty()) op.memory.scale = static_cast<unsigned>(std::stoul(parts[2]));
  return op;
}

}  // namespace mf::proof
