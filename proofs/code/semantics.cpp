// semantics.cpp - Executor::step: what each instruction of the subset does to
// registers, flags and memory.  Flag rules follow the Intel SDM, vol. 2;
// where it says "undefined", the flag becomes a fresh unconstrained value.
#include <map>
#include <set>
#include <sstream>

#include "executor.h"

namespace mf::proof {
namespace {

std::uint64_t mask_of(unsigned bits) { return bits == 64 ? ~0ULL : ((1ULL << bits) - 1); }

struct Decoded {
  std::string base;       // mnemonic without size suffix and prefixes
  unsigned suffix_bits = 0;
  bool rep = false;
};

const std::set<std::string>& sized_bases() {
  static const std::set<std::string> names = {
      "mov", "movabs", "lea", "add", "sub", "adc", "sbb", "and", "or",  "xor",  "not",  "neg",  "inc",
      "dec", "cmp",    "test", "shl", "sal", "shr", "sar", "imul", "mul", "div", "idiv", "push", "pop",
      "bt",  "bts",    "btr", "btc", "bsr", "bsf", "xchg", "stos", "movs", "call", "ret", "jmp", "nop", "leave"};
  return names;
}

// movz/movs with explicit source and destination sizes: {src, dst, signed}.
const std::map<std::string, std::tuple<unsigned, unsigned, bool>>& extensions() {
  static const std::map<std::string, std::tuple<unsigned, unsigned, bool>> table = {
      {"movzbw", {8, 16, false}},  {"movzbl", {8, 32, false}},  {"movzbq", {8, 64, false}},
      {"movzwl", {16, 32, false}}, {"movzwq", {16, 64, false}}, {"movsbw", {8, 16, true}},
      {"movsbl", {8, 32, true}},   {"movsbq", {8, 64, true}},   {"movswl", {16, 32, true}},
      {"movswq", {16, 64, true}},  {"movslq", {32, 64, true}}};
  return table;
}

bool is_condition_code(const std::string& cc) {
  static const std::set<std::string> codes = {"o",  "no", "b",  "c",  "nae", "ae", "nb", "nc", "e",  "z",
                                              "ne", "nz", "be", "na", "a",   "nbe", "s", "ns", "p",  "pe",
                                              "np", "po", "l",  "nge", "ge", "nl", "le", "ng", "g",  "nle"};
  return codes.count(cc) != 0;
}

Decoded decode(const Instruction& insn) {
  Decoded d;
  std::stringstream in(insn.mnemonic);
  std::vector<std::string> tokens;
  for (std::string t; in >> t;) tokens.push_back(t);
  std::string name = tokens.empty() ? "" : tokens.back();
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i] == "rep") d.rep = true;
    else if (name.rfind("nop", 0) != 0) d.base = "prefix " + tokens[i];  // rejected below
  }
  if (!d.base.empty()) return d;
  if (extensions().count(name) || name == "cltq" || name == "cqto" || name == "cltd" || name == "cwtl") {
    d.base = name;
  } else if ((name.size() > 1 && name[0] == 'j' && is_condition_code(name.substr(1))) ||
             (name.rfind("set", 0) == 0 && is_condition_code(name.substr(3))) ||
             (name.rfind("cmov", 0) == 0 && is_condition_code(name.substr(4)))) {
    d.base = name;
  } else if (sized_bases().count(name)) {
    d.base = name;
  } else if (name.size() > 1 && sized_bases().count(name.substr(0, name.size() - 1)) &&
             std::string("bwlq").find(name.back()) != std::string::npos) {
    d.base = name.substr(0, name.size() - 1);
    d.suffix_bits = std::map<char, unsigned>{{'b', 8}, {'w', 16}, {'l', 32}, {'q', 64}}.at(name.back());
  } else {
    d.base = name;
  }
  if (d.base.rfind("nop", 0) == 0) d.base = "nop";
  return d;
}

class Semantics {
 public:
  Semantics(Executor& ex, MachineState& state, const Instruction& insn)
      : ex_(ex), c_(ex.ctx()), s_(state), insn_(insn), d_(decode(insn)) {}

  bool run();

 private:
  [[noreturn]] void unsupported(const std::string& why = "instruction outside the supported subset") {
    throw ProofError(why + " at " + ex_.where(insn_));
  }
  z3::expr bv(std::uint64_t v, unsigned bits) { return c_.bv_val(static_cast<std::uint64_t>(v), bits); }
  Operand op(std::size_t i) {
    if (i >= insn_.operands.size()) unsupported("missing operand");
    return parse_operand(insn_.operands[i], false);
  }
  std::size_t arity() const { return insn_.operands.size(); }
  unsigned width_of(const Operand& dst, const Operand* src = nullptr) {
    if (dst.kind == Operand::Kind::Register) return dst.reg.bits;
    if (d_.suffix_bits) return d_.suffix_bits;
    if (src && src->kind == Operand::Kind::Register) return src->reg.bits;
    unsupported("operand size unknown");
  }
  z3::expr address(const MemoryRef& m);
  z3::expr read(const Operand& o, unsigned bits);
  void write(const Operand& o, const z3::expr& value);
  z3::expr msb(const z3::expr& v) { unsigned w = v.get_sort().bv_size(); return v.extract(w - 1, w - 1) == bv(1, 1); }
  z3::expr bit(const z3::expr& v, const z3::expr& index) {
    return (z3::lshr(v, index) & bv(1, v.get_sort().bv_size())) == bv(1, v.get_sort().bv_size());
  }
  z3::expr undefined() { return ex_.fresh_bool(s_, "undefined_flag"); }
  void result_flags(const z3::expr& r) {
    s_.flags.zf = (r == bv(0, r.get_sort().bv_size())).simplify();
    s_.flags.sf = msb(r).simplify();
  }
  z3::expr condition(const std::string& cc);
  bool next() {
    s_.pc = insn_.next_address;
    return true;
  }

  bool binary();
  bool unary();
  bool shift();
  bool multiply();
  bool divide();
  bool bit_test();
  bool bit_scan();
  bool rep_store();
  bool sse();
  static bool is_sse_move_or_clear(const std::string& k) {
    return k == "xorps" || k == "pxor" || k == "xorpd" || k == "movups" || k == "movaps" || k == "movdqu" ||
           k == "movdqa";
  }

  Executor& ex_;
  z3::context& c_;
  MachineState& s_;
  const Instruction& insn_;
  Decoded d_;
};

z3::expr Semantics::address(const MemoryRef& m) {
  const Relocation* r = ex_.relocation(insn_);
  if (m.rip_relative) {
    if (r)  // the field holds S + A - P; the CPU adds the next instruction's address
      return ex_.symbol_address(r->symbol,
                                r->addend + static_cast<std::int64_t>(insn_.next_address - r->offset));
    return (ex_.section_base(insn_.section) + bv(insn_.next_address + m.displacement, 64)).simplify();
  }
  z3::expr sum = bv(static_cast<std::uint64_t>(m.displacement), 64);
  if (m.base) sum = sum + ex_.get(s_, m.base->gpr == RSP ? Gpr(RSP) : Gpr(m.base->gpr));
  if (m.index) sum = sum + ex_.get(s_, Gpr(m.index->gpr)) * bv(m.scale, 64);
  if (r) {
    if (r->type != "R_X86_64_32S" && r->type != "R_X86_64_32") unsupported("relocation " + r->type + " on a memory operand");
    sum = sum + ex_.symbol_address(r->symbol, r->addend);
  }
  return sum.simplify();
}

z3::expr Semantics::read(const Operand& o, unsigned bits) {
  switch (o.kind) {
    case Operand::Kind::Register: {
      z3::expr v = ex_.get(s_, o.reg);
      if (o.reg.bits != bits) unsupported("operand size mismatch");
      return v;
    }
    case Operand::Kind::Immediate: {
      const Relocation* r = ex_.relocation(insn_);
      bool has_memory = false;
      for (const std::string& text : insn_.operands) has_memory |= text.find('(') != std::string::npos;
      if (r && !has_memory) {
        z3::expr full = ex_.symbol_address(r->symbol, r->addend);
        return full.extract(bits - 1, 0).simplify();
      }
      return bv(o.immediate & mask_of(bits), bits);
    }
    case Operand::Kind::Memory:
      return ex_.load(s_, insn_, address(o.memory), bits / 8);
    case Operand::Kind::Target:
      break;
  }
  unsupported("unexpected operand");
}

void Semantics::write(const Operand& o, const z3::expr& value) {
  if (o.kind == Operand::Kind::Register) {
    ex_.set(s_, o.reg, value.simplify());
    return;
  }
  if (o.kind == Operand::Kind::Memory) {
    ex_.store(s_, insn_, address(o.memory), value.get_sort().bv_size() / 8, value.simplify());
    return;
  }
  unsupported("write to a non-writable operand");
}

z3::expr Semantics::condition(const std::string& cc) {
  const Flags& f = s_.flags;
  if (cc == "o") return f.of;
  if (cc == "no") return !f.of;
  if (cc == "b" || cc == "c" || cc == "nae") return f.cf;
  if (cc == "ae" || cc == "nb" || cc == "nc") return !f.cf;
  if (cc == "e" || cc == "z") return f.zf;
  if (cc == "ne" || cc == "nz") return !f.zf;
  if (cc == "be" || cc == "na") return f.cf || f.zf;
  if (cc == "a" || cc == "nbe") return !f.cf && !f.zf;
  if (cc == "s") return f.sf;
  if (cc == "ns") return !f.sf;
  if (cc == "l" || cc == "nge") return f.sf != f.of;
  if (cc == "ge" || cc == "nl") return f.sf == f.of;
  if (cc == "le" || cc == "ng") return f.zf || (f.sf != f.of);
  if (cc == "g" || cc == "nle") return !f.zf && (f.sf == f.of);
  unsupported("the parity flag is not modelled");
}

bool Semantics::binary() {
  Operand src = op(0), dst = op(1);
  unsigned w = width_of(dst, &src);
  z3::expr a = read(dst, w);
  z3::expr b = read(src, w);
  const std::string& k = d_.base;
  z3::expr r = a;
  if (k == "add") {
    r = a + b;
    s_.flags.cf = z3::ult(r, a).simplify();
    s_.flags.of = ((msb(a) == msb(b)) && (msb(r) != msb(a))).simplify();
  } else if (k == "sub" || k == "cmp") {
    r = a - b;
    s_.flags.cf = z3::ult(a, b).simplify();
    s_.flags.of = ((msb(a) != msb(b)) && (msb(r) != msb(a))).simplify();
  } else {
    if (k == "and" || k == "test") r = a & b;
    else if (k == "or") r = a | b;
    else if (k == "xor") r = a ^ b;
    else unsupported();
    s_.flags.cf = c_.bool_val(false);
    s_.flags.of = c_.bool_val(false);
  }
  r = r.simplify();
  result_flags(r);
  if (k != "cmp" && k != "test") write(dst, r);
  return next();
}

bool Semantics::unary() {
  if (arity() != 1) unsupported();
  Operand dst = op(0);
  unsigned w = width_of(dst);
  z3::expr a = read(dst, w);
  const std::string& k = d_.base;
  z3::expr r = a;
  std::uint64_t min_signed = 1ULL << (w - 1);
  if (k == "inc") {
    r = a + bv(1, w);
    s_.flags.of = (a == bv(min_signed - 1, w)).simplify();
  } else if (k == "dec") {
    r = a - bv(1, w);
    s_.flags.of = (a == bv(min_signed, w)).simplify();
  } else if (k == "neg") {
    r = -a;
    s_.flags.cf = (a != bv(0, w)).simplify();
    s_.flags.of = (a == bv(min_signed, w)).simplify();
  } else if (k == "not") {
    write(dst, ~a);
    return next();  // not changes no flag
  }
  r = r.simplify();
  result_flags(r);
  write(dst, r);
  return next();
}

bool Semantics::shift() {
  Operand dst = op(arity() - 1);
  unsigned w = width_of(dst);
  z3::expr count8 = bv(1, 8);
  if (arity() == 2) {
    Operand count = op(0);
    if (count.kind == Operand::Kind::Immediate) count8 = bv(count.immediate & 0xff, 8);
    else if (count.kind == Operand::Kind::Register && count.reg.gpr == RCX && count.reg.bits == 8)
      count8 = ex_.get(s_, count.reg);
    else unsupported("shift count must be an immediate or %cl");
  } else if (arity() != 1) {
    unsupported();
  }
  count8 = (count8 & bv(w == 64 ? 63 : 31, 8)).simplify();
  z3::expr a = read(dst, w);
  z3::expr n = w == 8 ? count8 : z3::zext(count8, w - 8);
  const std::string& k = d_.base;
  z3::expr r = a;
  z3::expr cf = s_.flags.cf;
  z3::expr of = s_.flags.of;
  z3::expr one = bv(1, w);
  z3::expr beyond = z3::ugt(n, bv(w, w));  // only for 8/16-bit operands
  if (k == "shl" || k == "sal") {
    r = z3::shl(a, n);
    cf = z3::ite(beyond, undefined(), bit(a, bv(w, w) - n));
    of = z3::ite(n == one, msb(r) != cf, undefined());
  } else if (k == "shr") {
    r = z3::lshr(a, n);
    cf = z3::ite(beyond, undefined(), bit(a, n - one));
    of = z3::ite(n == one, msb(a), undefined());
  } else {
    r = z3::ashr(a, n);
    cf = z3::ite(beyond, undefined(), bit(a, n - one));
    of = z3::ite(n == one, c_.bool_val(false), undefined());
  }
  z3::expr zero = n == bv(0, w);  // a count of 0 leaves every flag alone
  s_.flags.cf = z3::ite(zero, s_.flags.cf, cf).simplify();
  s_.flags.of = z3::ite(zero, s_.flags.of, of).simplify();
  s_.flags.zf = z3::ite(zero, s_.flags.zf, r == bv(0, w)).simplify();
  s_.flags.sf = z3::ite(zero, s_.flags.sf, msb(r)).simplify();
  write(dst, r.simplify());
  return next();
}

bool Semantics::multiply() {
  const std::string& k = d_.base;
  if (arity() == 1) {  // rdx:rax = rax * src (al * src -> ax for bytes)
    Operand src = op(0);
    unsigned w = width_of(src);
    RegisterRef acc{RAX, w, false};
    z3::expr a = ex_.get(s_, acc);
    z3::expr b = read(src, w);
    bool is_signed = k == "imul";
    z3::expr full = is_signed ? z3::sext(a, w) * z3::sext(b, w) : z3::zext(a, w) * z3::zext(b, w);
    full = full.simplify();
    z3::expr low = full.extract(w - 1, 0).simplify();
    z3::expr high = full.extract(2 * w - 1, w).simplify();
    z3::expr overflow = is_signed ? (z3::sext(low, w) != full) : (high != bv(0, w));
    if (w == 8) {
      ex_.set(s_, RegisterRef{RAX, 16, false}, full);
    } else {
      ex_.set(s_, acc, low);
      ex_.set(s_, RegisterRef{RDX, w, false}, high);
    }
    s_.flags.cf = overflow.simplify();
    s_.flags.of = s_.flags.cf;
    s_.flags.zf = undefined();
    s_.flags.sf = undefined();
    return next();
  }
  if (k != "imul") unsupported();
  // imul src, dst  or  imul $imm, src, dst: truncated signed product.
  Operand dst = op(arity() - 1);
  unsigned w = width_of(dst);
  z3::expr a = arity() == 3 ? read(op(1), w) : read(dst, w);
  z3::expr b = read(op(0), w);
  z3::expr full = (z3::sext(a, w) * z3::sext(b, w)).simplify();
  z3::expr r = full.extract(w - 1, 0).simplify();
  s_.flags.cf = (z3::sext(r, w) != full).simplify();
  s_.flags.of = s_.flags.cf;
  s_.flags.zf = undefined();
  s_.flags.sf = undefined();
  write(dst, r);
  return next();
}

bool Semantics::divide() {
  if (d_.base != "div" || arity() != 1) unsupported("only unsigned div is in the subset");
  Operand src = op(0);
  unsigned w = width_of(src);
  z3::expr divisor = read(src, w);
  z3::expr high = w == 8 ? ex_.get(s_, RegisterRef{RAX, 8, true}) : ex_.get(s_, RegisterRef{RDX, w, false});
  z3::expr low = ex_.get(s_, RegisterRef{RAX, w, false});
  const std::string site = ex_.where(insn_);
  ex_.require(s_, "div never divides by zero", divisor != bv(0, w), site);
  ex_.require(s_, "div's quotient fits (no #DE)", z3::ult(high, divisor), site);
  z3::expr q = low, r = low;
  std::uint64_t h = 1;
  if (high.simplify().is_numeral_u64(h) && h == 0) {
    q = z3::udiv(low, divisor);
    r = z3::urem(low, divisor);
  } else {
    z3::expr dividend = z3::concat(high, low);
    q = z3::udiv(dividend, z3::zext(divisor, w)).extract(w - 1, 0);
    r = z3::urem(dividend, z3::zext(divisor, w)).extract(w - 1, 0);
  }
  if (w == 8) {
    ex_.set(s_, RegisterRef{RAX, 16, false}, z3::concat(r, q));
  } else {
    ex_.set(s_, RegisterRef{RAX, w, false}, q.simplify());
    ex_.set(s_, RegisterRef{RDX, w, false}, r.simplify());
  }
  s_.flags = {undefined(), undefined(), undefined(), undefined()};
  return next();
}

bool Semantics::bit_test() {
  if (arity() != 2) unsupported();
  Operand offset = op(0), base = op(1);
  const std::string& k = d_.base;
  if (k == "btc") unsupported();
  unsigned w = base.kind == Operand::Kind::Register ? base.reg.bits
               : offset.kind == Operand::Kind::Register ? offset.reg.bits
                                                        : (d_.suffix_bits ? d_.suffix_bits : 0);
  if (w < 16) unsupported("bit test operand size");
  z3::expr index = offset.kind == Operand::Kind::Immediate ? bv(offset.immediate, w) : read(offset, w);
  Operand target = base;
  if (base.kind == Operand::Kind::Memory && offset.kind == Operand::Kind::Register) {
    // Bit-string addressing: the register offset selects a unit anywhere.
    unsigned log2w = w == 64 ? 6 : w == 32 ? 5 : 4;
    z3::expr units = z3::ashr(z3::sext(index, 64 - w), bv(log2w, 64));
    z3::expr address_value = (address(base.memory) + units * bv(w / 8, 64)).simplify();
    z3::expr old = ex_.load(s_, insn_, address_value, w / 8);
    z3::expr b = index & bv(w - 1, w);
    s_.flags.cf = bit(old, b).simplify();
    if (k != "bt") {
      z3::expr m = z3::shl(bv(1, w), b);
      ex_.store(s_, insn_, address_value, w / 8, k == "bts" ? (old | m) : (old & ~m));
    }
  } else {
    z3::expr old = read(target, w);
    z3::expr b = index & bv(w - 1, w);
    s_.flags.cf = bit(old, b).simplify();
    if (k != "bt") {
      z3::expr m = z3::shl(bv(1, w), b);
      write(target, k == "bts" ? (old | m) : (old & ~m));
    }
  }
  s_.flags.of = undefined();
  s_.flags.sf = undefined();  // ZF is left alone
  return next();
}

// bsr/bsf: the index of the highest/lowest set bit of the source.  A zero
// source sets ZF and leaves the destination undefined (Intel) or unchanged
// (AMD): it becomes a fresh value, so code must not rely on it.  CF, SF and
// OF are undefined.
bool Semantics::bit_scan() {
  if (arity() != 2) unsupported();
  Operand src = op(0), dst = op(1);
  if (dst.kind != Operand::Kind::Register) unsupported();
  unsigned w = dst.reg.bits;
  if (w < 16) unsupported("bit scan operand size");
  z3::expr a = read(src, w);
  bool highest = d_.base == "bsr";
  // Scanning towards the wanted end, each later set bit overrides the
  // earlier ones.
  z3::expr index = ex_.fresh(s_, "bit_scan_of_zero", w);
  for (unsigned i = 0; i < w; ++i) {
    unsigned b = highest ? i : w - 1 - i;
    index = z3::ite(a.extract(b, b) == bv(1, 1), bv(b, w), index);
  }
  write(dst, index.simplify());
  s_.flags = {undefined(), (a == bv(0, w)).simplify(), undefined(), undefined()};
  return next();
}

bool Semantics::rep_store() {
  if (arity() != 2) unsupported();
  Operand value = op(0);
  if (value.kind != Operand::Kind::Register || value.reg.gpr != RAX) unsupported("stos source must be rax/eax/ax/al");
  unsigned unit = value.reg.bits / 8;
  z3::expr count = ex_.get(s_, Gpr(RCX));
  z3::expr dst = ex_.get(s_, Gpr(RDI));
  const std::string site = ex_.where(insn_);
  ex_.require(s_, "rep stos's byte count does not overflow",
              z3::ult(count, bv(~0ULL / unit + 1, 64)) || unit == 1, site);
  z3::expr length = (count * bv(unit, 64)).simplify();
  ex_.fill(s_, insn_, dst, length, ex_.get(s_, value.reg), unit);
  ex_.set(s_, Gpr(RDI), dst + length);  // the direction flag is clear (ABI)
  ex_.set(s_, Gpr(RCX), bv(0, 64));
  return next();
}

// Outside the briefing's integer subset, modelled because pool.s clears
// objects with them: xmm registers as 128-bit values; xorps/pxor of a
// register with itself (any other xor is rejected), and 16-byte moves
// between xmm registers and memory.  Flags are untouched, as on hardware.
bool Semantics::sse() {
  if (arity() != 2) unsupported();
  auto xmm_index = [](const std::string& text) -> int {
    if (text.rfind("%xmm", 0) != 0) return -1;
    return std::stoi(text.substr(4));
  };
  const std::string& k = d_.base;
  int src = xmm_index(insn_.operands[0]), dst = xmm_index(insn_.operands[1]);
  if (k == "xorps" || k == "pxor" || k == "xorpd") {
    if (src < 0 || src != dst) unsupported("only clearing an xmm register (xor with itself) is modelled");
    s_.xmm[dst] = z3::zext(bv(0, 64), 64).simplify();
    return next();
  }
  if (src >= 0 && dst >= 0) {
    s_.xmm[dst] = s_.xmm[src];
    return next();
  }
  if (src >= 0) {
    Operand memory = op(1);
    if (memory.kind != Operand::Kind::Memory) unsupported();
    ex_.store(s_, insn_, address(memory.memory), 16, s_.xmm[src]);
    return next();
  }
  if (dst >= 0) {
    Operand memory = op(0);
    if (memory.kind != Operand::Kind::Memory) unsupported();
    s_.xmm[dst] = ex_.load(s_, insn_, address(memory.memory), 16);
    return next();
  }
  unsupported();
}

bool Semantics::run() {
  const std::string& k = d_.base;
  if (k.rfind("prefix ", 0) == 0) unsupported("unsupported prefix");
  if (d_.rep && k != "stos") unsupported("rep prefix outside a zero fill (only rep stos is modelled)");
  if (k == "nop" || k == "cld" || k == "endbr64") return next();
  if (is_sse_move_or_clear(k)) return sse();
  if (k == "stos") {
    if (!d_.rep) unsupported("stos without rep");
    return rep_store();
  }
  if (k == "mov" || k == "movabs") {
    Operand src = op(0), dst = op(1);
    unsigned w = width_of(dst, &src);
    write(dst, read(src, w));
    return next();
  }
  if (auto e = extensions().find(k); e != extensions().end()) {
    auto [from, to, is_signed] = e->second;
    z3::expr v = read(op(0), from);
    write(op(1), is_signed ? z3::sext(v, to - from) : z3::zext(v, to - from));
    return next();
  }
  if (k == "cltq") {
    ex_.set(s_, Gpr(RAX), z3::sext(ex_.get(s_, RegisterRef{RAX, 32, false}), 32));
    return next();
  }
  if (k == "cwtl") {
    ex_.set(s_, RegisterRef{RAX, 32, false}, z3::sext(ex_.get(s_, RegisterRef{RAX, 16, false}), 16));
    return next();
  }
  if (k == "cqto" || k == "cltd") {
    unsigned w = k == "cqto" ? 64 : 32;
    z3::expr a = ex_.get(s_, RegisterRef{RAX, w, false});
    ex_.set(s_, RegisterRef{RDX, w, false}, z3::ite(msb(a), bv(mask_of(w), w), bv(0, w)));
    return next();
  }
  if (k == "lea") {
    Operand src = op(0), dst = op(1);
    if (src.kind != Operand::Kind::Memory || dst.kind != Operand::Kind::Register) unsupported();
    z3::expr a = address(src.memory);
    write(dst, dst.reg.bits == 64 ? a : a.extract(dst.reg.bits - 1, 0));
    return next();
  }
  if (k == "add" || k == "sub" || k == "cmp" || k == "and" || k == "or" || k == "xor" || k == "test")
    return binary();
  if (k == "inc" || k == "dec" || k == "neg" || k == "not") return unary();
  if (k == "shl" || k == "sal" || k == "shr" || k == "sar") return shift();
  if (k == "imul" || k == "mul") return multiply();
  if (k == "div" || k == "idiv") return divide();
  if (k == "bt" || k == "bts" || k == "btr" || k == "btc") return bit_test();
  if (k == "bsr" || k == "bsf") return bit_scan();
  if (k.rfind("cmov", 0) == 0) {
    Operand src = op(0), dst = op(1);
    if (dst.kind != Operand::Kind::Register) unsupported();
    z3::expr v = read(src, dst.reg.bits);  // the source is read either way
    ex_.set(s_, dst.reg, z3::ite(condition(k.substr(4)), v, ex_.get(s_, dst.reg)));
    return next();
  }
  if (k.rfind("set", 0) == 0) {
    write(op(0), z3::ite(condition(k.substr(3)), bv(1, 8), bv(0, 8)));
    return next();
  }
  if (k == "push") {
    Operand src = op(0);
    z3::expr v = src.kind == Operand::Kind::Immediate ? bv(src.immediate, 64) : read(src, 64);
    z3::expr rsp = (ex_.get(s_, Gpr(RSP)) - bv(8, 64)).simplify();
    ex_.set(s_, Gpr(RSP), rsp);
    ex_.store(s_, insn_, rsp, 8, v);
    return next();
  }
  if (k == "pop") {
    Operand dst = op(0);
    z3::expr rsp = ex_.get(s_, Gpr(RSP));
    z3::expr v = ex_.load(s_, insn_, rsp, 8);
    ex_.set(s_, Gpr(RSP), rsp + bv(8, 64));
    write(dst, v);
    return next();
  }
  if (k == "leave") {
    z3::expr rsp = ex_.get(s_, Gpr(RBP));
    z3::expr v = ex_.load(s_, insn_, rsp, 8);
    ex_.set(s_, Gpr(RSP), rsp + bv(8, 64));
    ex_.set(s_, Gpr(RBP), v);
    return next();
  }
  if (k == "xchg") {
    Operand a = op(0), b = op(1);
    unsigned w = width_of(b, &a);
    z3::expr va = read(a, w), vb = read(b, w);
    write(a, vb);
    write(b, va);
    return next();
  }
  if (k.size() > 1 && k[0] == 'j' && k != "jmp") {
    ex_.branch(s_, insn_, condition(k.substr(1)));
    return true;
  }
  if (k == "jmp") {
    if (ex_.relocation(insn_)) return ex_.call(s_, insn_, true);
    Operand target = parse_operand(insn_.operands.at(0), true);
    if (target.kind != Operand::Kind::Target || target.indirect) unsupported("computed jump");
    s_.pc = target.immediate;
    return true;
  }
  if (k == "call") return ex_.call(s_, insn_, false);
  if (k == "ret") {
    if (arity() != 0) unsupported("ret with an immediate");
    return ex_.return_from(s_, insn_);
  }
  if (k == "hlt" || k == "ud2" || k == "int3") {
    ex_.require(s_, "execution never reaches " + k, c_.bool_val(false), ex_.where(insn_));
    return false;
  }
  unsupported();
}

}  // namespace

bool Executor::step(MachineState& state, const Instruction& insn) { return Semantics(*this, state, insn).run(); }

}  // namespace mf::proof
