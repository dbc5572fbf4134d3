// x86_operand.h - AT&T operands as objdump prints them: registers, immediates
// and memory references, decoded into a form the executor can evaluate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mf::proof {

// The 16 general registers in encoding order.
enum Gpr : int { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
inline constexpr int kGprCount = 16;
const char* gpr_name(int gpr);

struct RegisterRef {
  int gpr = RAX;
  unsigned bits = 64;    // 8, 16, 32 or 64
  bool high8 = false;    // ah, ch, dh, bh: bits 15..8
};

// "%eax" -> {RAX, 32}; nullopt for anything that is not a general register.
std::optional<RegisterRef> parse_register(const std::string& text);

struct MemoryRef {
  std::optional<RegisterRef> base;
  std::optional<RegisterRef> index;
  unsigned scale = 1;
  std::int64_t displacement = 0;
  bool rip_relative = false;
};

struct Operand {
  enum class Kind { Register, Immediate, Memory, Target } kind = Kind::Immediate;
  RegisterRef reg;
  std::uint64_t immediate = 0;  // Immediate: the printed value; Target: the address
  MemoryRef memory;
  bool indirect = false;  // "*%rax", "*8(%rax)": computed jump or call
};

// Parses one operand; `is_branch` makes a bare hex number a branch target.
// Throws std::runtime_error for anything it does not understand.
Operand parse_operand(const std::string& text, bool is_branch);

}  // namespace mf::proof
