// loop_summaries.cpp - matching and applying the store-loop summaries.
#include "loop_summaries.h"

namespace mf::proof {
namespace {

bool is_store_mnemonic(const std::string& m, unsigned& bits) {
  if (m == "mov") return true;  // width from the source register
  if (m == "movq") bits = 64;
  else if (m == "movl") bits = 32;
  else return false;
  return true;
}

std::optional<Operand> operand(const Instruction& insn, std::size_t i) {
  if (i >= insn.operands.size()) return std::nullopt;
  try {
    return parse_operand(insn.operands[i], false);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool is_register(const std::optional<Operand>& o, unsigned bits) {
  return o && o->kind == Operand::Kind::Register && o->reg.bits == bits && !o->reg.high8 && o->reg.gpr != RSP;
}

bool is_immediate(const std::optional<Operand>& o, std::uint64_t value) {
  return o && o->kind == Operand::Kind::Immediate && o->immediate == value;
}

bool jumps_back_to(const Instruction& jump, const Instruction& head) {
  if ((jump.mnemonic != "jne" && jump.mnemonic != "jnz") || !jump.relocations.empty()) return false;
  auto target = operand(jump, 0);
  try {
    Operand t = parse_operand(jump.operands.at(0), true);
    return t.kind == Operand::Kind::Target && t.immediate == head.address;
  } catch (const std::exception&) {
    return false;
  }
  (void)target;
}

// The store at the head of the loop: mov %V, <memory>; returns V and the width.
bool store_head(const Instruction& insn, RegisterRef& value, Operand& memory) {
  unsigned bits = 0;
  if (!is_store_mnemonic(insn.mnemonic, bits) || insn.operands.size() != 2 || !insn.relocations.empty()) return false;
  auto src = operand(insn, 0);
  auto dst = operand(insn, 1);
  if (!src || src->kind != Operand::Kind::Register || src->reg.high8) return false;
  if (bits && src->reg.bits != bits) return false;
  if (src->reg.bits != 64 && src->reg.bits != 32) return false;
  if (!dst || dst->kind != Operand::Kind::Memory || dst->memory.rip_relative) return false;
  value = src->reg;
  memory = *dst;
  return true;
}

Flags zero_result_flags(z3::context& c, const z3::expr& cf) {
  // The last iteration's dec/sub produced 0: ZF set, SF and OF clear.
  return {cf, c.bool_val(true), c.bool_val(false), c.bool_val(false)};
}

bool ascending(Executor& ex, MachineState& state, const Instruction& head, const Instruction& add,
               const Instruction& dec, const Instruction& jump) {
  RegisterRef value;
  Operand memory;
  if (!store_head(head, value, memory)) return false;
  if (!memory.memory.base || memory.memory.index || memory.memory.displacement != 0) return false;
  RegisterRef pointer = *memory.memory.base;
  unsigned width = value.bits / 8;
  if ((add.mnemonic != "add" && add.mnemonic != "addq") || add.operands.size() != 2) return false;
  if (!is_immediate(operand(add, 0), width) || !is_register(operand(add, 1), 64) ||
      operand(add, 1)->reg.gpr != pointer.gpr)
    return false;
  std::optional<Operand> counter;
  if ((dec.mnemonic == "dec" || dec.mnemonic == "decq") && dec.operands.size() == 1) counter = operand(dec, 0);
  else if ((dec.mnemonic == "sub" || dec.mnemonic == "subq") && dec.operands.size() == 2 &&
           is_immediate(operand(dec, 0), 1))
    counter = operand(dec, 1);
  if (!is_register(counter, 64)) return false;
  int v = value.gpr, p = pointer.gpr, k = counter->reg.gpr;
  if (v == p || v == k || p == k || p == RSP) return false;
  if (!jumps_back_to(jump, head)) return false;

  z3::context& c = ex.ctx();
  const std::string site = ex.where(head);
  z3::expr count = ex.get(state, Gpr(k));
  z3::expr start = ex.get(state, Gpr(p));
  ex.require(state, "the store loop is entered with a nonzero count (0 would run 2^64 times)",
             count != c.bv_val(0, 64), site);
  ex.require(state, "the store loop's byte count does not overflow",
             z3::ult(count, c.bv_val(static_cast<std::uint64_t>(~0ULL / width + 1), 64)), site);
  z3::expr length = (count * c.bv_val(width, 64)).simplify();
  ex.fill(state, head, start, length, ex.get(state, value), width);
  z3::expr end = (start + length).simplify();
  ex.set(state, Gpr(p), end);
  ex.set(state, Gpr(k), c.bv_val(0, 64));
  // The last add's carry: it wrapped iff the final pointer is below the width.
  state.flags = zero_result_flags(c, z3::ult(end, c.bv_val(width, 64)).simplify());
  state.steps.push_back("store loop at " + site + " summarised");
  state.pc = jump.next_address;
  return true;
}

bool descending(Executor& ex, MachineState& state, const Instruction& head, const Instruction& sub,
                const Instruction& jump) {
  RegisterRef value;
  Operand memory;
  if (!store_head(head, value, memory)) return false;
  unsigned width = value.bits / 8;
  const MemoryRef& m = memory.memory;
  if (!m.base || !m.index || m.scale != 1 || m.displacement != -static_cast<std::int64_t>(width)) return false;
  if ((sub.mnemonic != "sub" && sub.mnemonic != "subq") || sub.operands.size() != 2) return false;
  if (!is_immediate(operand(sub, 0), width) || !is_register(operand(sub, 1), 64)) return false;
  int v = value.gpr, b = m.base->gpr, k = m.index->gpr;
  if (operand(sub, 1)->reg.gpr != k || v == b || v == k || b == k || b == RSP) return false;
  if (!jumps_back_to(jump, head)) return false;

  z3::context& c = ex.ctx();
  const std::string site = ex.where(head);
  z3::expr count = ex.get(state, Gpr(k));
  ex.require(state, "the store loop is entered with a nonzero count", count != c.bv_val(0, 64), site);
  ex.require(state, "the store loop's count is a multiple of its width (else it never reaches 0)",
             (count & c.bv_val(width - 1, 64)) == c.bv_val(0, 64), site);
  ex.fill(state, head, ex.get(state, Gpr(b)), count, ex.get(state, value), width);
  ex.set(state, Gpr(k), c.bv_val(0, 64));
  state.flags = zero_result_flags(c, c.bool_val(false));  // sub W from W: no borrow
  state.steps.push_back("store loop at " + site + " summarised");
  state.pc = jump.next_address;
  return true;
}

int xmm_index(const std::string& text) {
  if (text.rfind("%xmm", 0) != 0) return -1;
  return std::stoi(text.substr(4));
}

// movups %xmmV, DISP(%P) with the given displacement; returns V, P.
bool block_store(const Instruction& insn, std::int64_t displacement, int& xmm, RegisterRef& pointer) {
  if (insn.mnemonic != "movups" || insn.operands.size() != 2 || !insn.relocations.empty()) return false;
  xmm = xmm_index(insn.operands[0]);
  auto dst = operand(insn, 1);
  if (xmm < 0 || !dst || dst->kind != Operand::Kind::Memory) return false;
  const MemoryRef& m = dst->memory;
  if (!m.base || m.index || m.rip_relative || m.displacement != displacement || m.base->bits != 64) return false;
  pointer = *m.base;
  return true;
}

bool jumps_below_back_to(const Instruction& jump, const Instruction& head) {
  if ((jump.mnemonic != "jb" && jump.mnemonic != "jc" && jump.mnemonic != "jnae") || !jump.relocations.empty())
    return false;
  try {
    Operand t = parse_operand(jump.operands.at(0), true);
    return t.kind == Operand::Kind::Target && t.immediate == head.address;
  } catch (const std::exception&) {
    return false;
  }
}

// The 32-byte block loop:
//   L: movups %xmmV,(%P) ; movups %xmmV,16(%P) ; add $32,%P ; cmp %E,%P ; jb L
// A do-while: it runs n = ceil((E - P) / 32) times when P < E, else once,
// storing xmmV over [P, P + 32n) and leaving P + 32n in P.
bool blocks(Executor& ex, MachineState& state, const Instruction& first, const Instruction& second,
            const Instruction& add, const Instruction& cmp, const Instruction& jump) {
  constexpr std::uint64_t kBlock = 32;
  int v = -1, v2 = -1;
  RegisterRef pointer, pointer2;
  if (!block_store(first, 0, v, pointer) || !block_store(second, 16, v2, pointer2)) return false;
  if (v != v2 || pointer.gpr != pointer2.gpr || pointer.gpr == RSP) return false;
  if ((add.mnemonic != "add" && add.mnemonic != "addq") || add.operands.size() != 2) return false;
  if (!is_immediate(operand(add, 0), kBlock) || !is_register(operand(add, 1), 64) ||
      operand(add, 1)->reg.gpr != pointer.gpr)
    return false;
  if ((cmp.mnemonic != "cmp" && cmp.mnemonic != "cmpq") || cmp.operands.size() != 2) return false;
  auto limit = operand(cmp, 0);
  if (!is_register(limit, 64) || !is_register(operand(cmp, 1), 64) || operand(cmp, 1)->reg.gpr != pointer.gpr ||
      limit->reg.gpr == pointer.gpr)
    return false;
  if (!jumps_below_back_to(jump, first)) return false;

  z3::context& c = ex.ctx();
  const std::string site = ex.where(first);
  z3::expr p = ex.get(state, Gpr(pointer.gpr));
  z3::expr e = ex.get(state, Gpr(limit->reg.gpr));
  // Trip count and end in 72 bits, where nothing wraps.
  auto wide = [&](const z3::expr& x) { return z3::zext(x, 8); };
  auto w72 = [&](std::uint64_t x) { return c.bv_val(x, 72); };
  // When the path decides p < e (as after a guarding compare), the count is
  // stated without the case split, so a constant distance stays constant.
  z3::expr below = z3::ult(p, e);
  z3::expr blocks_to_e = z3::lshr(wide(e - p) + w72(kBlock - 1), w72(5));
  z3::expr trips = !ex.may_hold(!below) ? blocks_to_e : !ex.may_hold(below) ? w72(1) : z3::ite(below, blocks_to_e, w72(1));
  z3::expr finish = wide(p) + trips * w72(kBlock);
  ex.require(state, "the block loop's pointer never wraps past 2^64",
             finish.extract(71, 64) == c.bv_val(0, 8), site);
  z3::expr length = (trips * w72(kBlock)).extract(63, 0).simplify();
  ex.fill(state, first, p, length, state.xmm[v], 16);
  z3::expr end = (p + length).simplify();
  ex.set(state, Gpr(pointer.gpr), end);
  // The flags of the last cmp: end - e, with end >= e.
  z3::expr r = end - e;
  auto msb = [&](const z3::expr& x) { return x.extract(63, 63) == c.bv_val(1, 1); };
  state.flags = {z3::ult(end, e).simplify(), (r == c.bv_val(0, 64)).simplify(), msb(r).simplify(),
                 (msb(end) != msb(e) && msb(r) != msb(end)).simplify()};
  state.steps.push_back("block loop at " + site + " summarised");
  state.pc = jump.next_address;
  return true;
}

}  // namespace

bool apply_loop_summary(Executor& executor, MachineState& state, const Instruction& insn) {
  const ObjectCode& code = executor.code();
  const Instruction* second = code.instruction_at(insn.section, insn.next_address);
  if (!second) return false;
  const Instruction* third = code.instruction_at(insn.section, second->next_address);
  if (!third) return false;
  if (descending(executor, state, insn, *second, *third)) return true;
  const Instruction* fourth = code.instruction_at(insn.section, third->next_address);
  if (!fourth) return false;
  if (ascending(executor, state, insn, *second, *third, *fourth)) return true;
  const Instruction* fifth = code.instruction_at(insn.section, fourth->next_address);
  return fifth && blocks(executor, state, insn, *second, *third, *fourth, *fifth);
}

}  // namespace mf::proof
