// function_spec.cpp - ProofSetup and the obligation helpers.
#include "function_spec.h"
#include "hex_text.h"

#include <sstream>

namespace mf::proof {

ProofSetup::ProofSetup(z3::context& ctx, const ObjectCode& code, MachineState& initial, CalleeConfig& callees,
                       std::uint64_t)
    : ctx_(ctx), code_(code), initial_(initial), callees_(callees) {}

z3::expr ProofSetup::arg(int i) const {
  static const Gpr order[] = {RDI, RSI, RDX, RCX, R8, R9};
  return initial_.regs[order[i]];
}

int ProofSetup::add_header(const std::string& name, const z3::expr& base, std::uint64_t size,
                           const std::map<std::uint64_t, std::string>& fields, const z3::expr& valid) {
  auto init = std::make_shared<RegionInit>();
  init->kind = RegionInit::Kind::NamedQuads;
  init->quad_name = [name, fields](std::uint64_t offset) {
    auto f = fields.find(offset);
    return name + (f != fields.end() ? "." + f->second : "+" + hex(offset));
  };
  return initial_.memory.add_region(
      Region{name, RegionKind::Header, base, size, valid, std::nullopt, true, init, {}});
}

z3::expr ProofSetup::initial_quad(int region, std::uint64_t offset) const {
  return initial_.memory.initial_quad(region, offset);
}

int ProofSetup::global_region(const std::string& symbol, std::uint64_t& offset) const {
  const Symbol* s = code_.defined_symbol(symbol);
  if (!s) throw ProofError("the object defines no symbol " + symbol);
  offset = s->value;
  int region = initial_.memory.find(s->section);
  if (region < 0) throw ProofError("no region for section " + s->section);
  return region;
}

z3::expr ProofSetup::initial_global(const std::string& symbol) const {
  std::uint64_t offset = 0;
  int region = global_region(symbol, offset);
  return initial_quad(region, offset);
}

namespace {

void conjuncts(const z3::expr& fact, std::vector<z3::expr>& out) {
  if (fact.is_app() && fact.decl().decl_kind() == Z3_OP_AND) {
    for (unsigned i = 0; i < fact.num_args(); ++i) conjuncts(fact.arg(i), out);
    return;
  }
  if (!fact.is_true()) out.push_back(fact);
}

}  // namespace

void ProofSetup::assume_layout(const z3::expr& fact) { add_layout(fact, assumptions_); }

void ProofSetup::assume_layout_where_due(const z3::expr& fact) { add_layout(fact, deferred_); }

void ProofSetup::assume_layout_where_late_due(const z3::expr& fact) { add_layout(fact, late_deferred_); }

void ProofSetup::assume_at_call(const std::string& callee, const z3::expr& fact) {
  const std::size_t before = at_call_.size();
  add_layout(fact, at_call_);
  for (std::size_t i = before; i < at_call_.size(); ++i) callees_.facts_at_call[callee].push_back(at_call_[i]);
}

void ProofSetup::add_layout(const z3::expr& fact, std::vector<z3::expr>& facts) {
  std::vector<z3::expr> each;
  conjuncts(fact.simplify(), each);
  for (const z3::expr& f : each) {
    facts.push_back(f.simplify());
    layout_.push_back(facts.back());
  }
}

void ProofSetup::pin_quad(int region, std::uint64_t first, std::uint64_t quads, const z3::expr& offset,
                          const z3::expr& value) {
  Region& r = initial_.memory.region(region);
  if (first % 8 != 0 || quads == 0 || first + 8 * quads > r.size)
    throw ProofError("pin_quad: the table does not lie on quads of region " + r.name);
  assume(z3::ule(ctx_.bv_val(first, 64), offset) && z3::ult(offset, ctx_.bv_val(first + 8 * quads, 64)) &&
         (offset & ctx_.bv_val(7, 64)) == ctx_.bv_val(0, 64));
  auto init = std::make_shared<RegionInit>(*r.init);
  init->pinned.emplace_back(offset.simplify(), value);
  init->pinned_tables.emplace_back(first, first + 8 * quads);
  r.init = init;
}

void ProofSetup::add_extent(const z3::expr& base, const z3::expr& length, const z3::expr& valid) {
  initial_.extents.push_back({base, length, valid});
}

z3::expr final_quad(const PathEnd& end, int region, std::uint64_t offset) {
  z3::context& c = end.state.regs[0].ctx();
  return end.state.memory.read(region, c.bv_val(offset, 64), 8);
}

z3::expr unchanged_except(const PathEnd& end, int region, const std::vector<std::uint64_t>& allowed,
                          const std::vector<z3::expr>& allowed_symbolic) {
  const Memory& memory = end.state.memory;
  z3::context& c = end.state.regs[0].ctx();
  z3::expr all = c.bool_val(true);
  for (const MemoryWrite& w : memory.region(region).writes) {
    bool at_allowed_entry = false;
    for (const auto& pin : memory.region(region).init->pinned)
      for (const z3::expr& entry : allowed_symbolic)
        at_allowed_entry |= z3::eq(pin.first, entry) && z3::eq(w.offset, entry) && w.length.is_numeral() &&
                            w.length.get_numeral_uint64() == 8;
    if (at_allowed_entry) continue;
    std::uint64_t offset = 0, length = 0;
    if (w.offset.is_numeral_u64(offset) && w.length.is_numeral_u64(length)) {
      for (std::uint64_t o = offset; o < offset + length; ++o) {
        bool is_allowed = false;
        for (std::uint64_t a : allowed) is_allowed |= o >= a && o < a + 8;
        if (is_allowed) continue;
        z3::expr at = c.bv_val(o, 64);
        all = all && memory.read_byte(region, at) == memory.initial_byte(region, at);
      }
    } else {
      // A symbolic write: every byte it may have touched must be unchanged.
      z3::expr probe = c.bv_const(("probe_" + memory.region(region).name).c_str(), 64);
      all = all && z3::implies(z3::ult(probe - w.offset, w.length),
                               memory.read_byte(region, probe) == memory.initial_byte(region, probe));
    }
  }
  return all.simplify();
}

z3::expr globals_unchanged_except(const PathEnd& end, const ProofSetup& setup, const std::vector<std::string>& symbols,
                                  const std::vector<z3::expr>& allowed_symbolic) {
  z3::context& c = end.state.regs[0].ctx();
  z3::expr all = c.bool_val(true);
  const Memory& memory = end.state.memory;
  for (std::size_t i = 1; i < memory.region_count(); ++i) {
    const Region& r = memory.region(static_cast<int>(i));
    if (r.kind != RegionKind::Global) continue;
    std::vector<std::uint64_t> allowed;
    for (const std::string& s : symbols) {
      const Symbol* sym = setup.code().defined_symbol(s);
      if (sym && sym->section == r.name) allowed.push_back(sym->value);
    }
    all = all && unchanged_except(end, static_cast<int>(i), allowed, allowed_symbolic);
  }
  return all;
}

z3::expr heap_is(const PathEnd& end, z3::context& ctx,
                 const std::function<z3::expr(const z3::expr&, const z3::expr&)>& expected) {
  const Memory& memory = end.state.memory;
  z3::expr probe = ctx.bv_const("probe_address", 64);
  return memory.read_byte(memory.heap(), probe) == expected(probe, memory.heap_baseline_byte(probe));
}

z3::expr byte_of_quad(const z3::expr& value, const z3::expr& start, const z3::expr& address) {
  z3::context& c = value.ctx();
  z3::expr shift = z3::shl(address - start, c.bv_val(3, 64));
  return z3::lshr(value, shift).extract(7, 0);
}

z3::expr within(const z3::expr& address, const z3::expr& start, const z3::expr& length) {
  return z3::ult(address - start, length);
}

std::vector<const CallEvent*> calls_to(const PathEnd& end, const std::string& callee) {
  std::vector<const CallEvent*> result;
  for (const CallEvent& call : end.state.calls)
    if (call.callee == callee) result.push_back(&call);
  return result;
}

}  // namespace mf::proof
