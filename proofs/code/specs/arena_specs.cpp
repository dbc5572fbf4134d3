// arena_specs.cpp - docs/spec.md, "The arena allocator", as code-proof specs.
//
// Precondition of every function taking an arena: the pointer is 0, or it is
// a header arena_create can have produced and arena_alloc/arena_reset kept:
// 16-aligned, start = header + 32, 1 <= capacity = end - start without
// wrapping, start <= current <= end, current - start a multiple of 8.
#include <optional>

#include "spec_arith.h"
#include "spec_registry.h"
#include "spec_support.h"
#include "trace_ops.h"

namespace mf::proof {
namespace {

namespace L = mf::layout;
using spec::u64;
constexpr ops::HandleKind kArena = ops::HandleKind::arena;

const std::map<std::uint64_t, std::string> kArenaFields = {{L::ARENA_START, "start"},
                                                           {L::ARENA_CURRENT, "current"},
                                                           {L::ARENA_END, "end"},
                                                           {L::ARENA_ID, "id"}};

struct ArenaAtEntry {
  z3::expr arena, start, current, end, id;
};

// Common part of the specs of functions whose first argument is an arena.
class ArenaFunctionSpec : public FunctionSpec {
 public:
  explicit ArenaFunctionSpec(std::string function) : function_(std::move(function)) {}
  std::string function() const override { return function_; }
  ops::Target trace_target() const override { return ops::Target::arena; }

  void setup(ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr a = s.arg(0);
    region_ = s.add_header("arena", a, L::ARENA_HDR_SIZE, kArenaFields, a != u64(c, 0));
    at_.emplace(ArenaAtEntry{a, s.initial_quad(region_, L::ARENA_START), s.initial_quad(region_, L::ARENA_CURRENT),
                             s.initial_quad(region_, L::ARENA_END), s.initial_quad(region_, L::ARENA_ID)});
    const ArenaAtEntry& h = *at_;
    z3::expr valid = (a & u64(c, L::MEM_ALIGN - 1)) == u64(c, 0) && z3::uge(a, u64(c, L::NULL_PAGE_END)) &&
                     h.start == a + u64(c, L::ARENA_HDR_SIZE) && z3::ugt(h.start, a) && z3::ult(h.start, h.end) &&
                     z3::ule(h.start, h.current) && z3::ule(h.current, h.end) &&
                     ((h.current - h.start) & u64(c, L::ARENA_ALIGN - 1)) == u64(c, 0);
    s.assume(a == u64(c, 0) || valid);
    s.add_extent(a, h.end - a, a != u64(c, 0));
  }

  std::vector<z3::expr> nice_constraints(ProofSetup& s) override {
    z3::context& c = s.ctx();
    const ArenaAtEntry& h = *at_;
    return {z3::ule(h.end - h.start, u64(c, 4096)), z3::ule(h.end - h.start, u64(c, L::MEM_MAX_REQUEST - 32)),
            z3::ule(h.current - h.start, u64(c, 64))};
  }

  std::vector<NamedValue> witnesses(ProofSetup& s) override {
    z3::context& c = s.ctx();
    const ArenaAtEntry& h = *at_;
    return {{"the arena is not NULL", h.arena != u64(c, 0)},
            {"the arena is partly used", h.arena != u64(c, 0) && h.current != h.start && h.current != h.end},
            {"the arena is full", h.arena != u64(c, 0) && h.current == h.end}};
  }

  std::vector<NamedValue> inputs(ProofSetup& s) override {
    const ArenaAtEntry& h = *at_;
    std::vector<NamedValue> v = {{"arena (rdi)", h.arena}, {"arena.start", h.start}, {"arena.current", h.current},
                                 {"arena.end", h.end},      {"arena.id", h.id}};
    for (NamedValue& extra : more_inputs(s)) v.push_back(extra);
    return v;
  }

  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    const ArenaAtEntry& h = *at_;
    std::vector<Obligation> out;
    z3::expr is_null = h.arena == u64(c, 0);
    if (end.kind == PathEnd::Kind::Exit) {
      out.push_back({"the function exits only for a NULL arena", is_null});
      out.push_back({"a NULL arena exits 110", end.exit_code == exit_code(c, L::MF_EXIT_NULL)});
      out.push_back({"nothing changes before the exit", globals_unchanged_except(end, s, {}) &&
                                                            unchanged_except(end, region_, {}) &&
                                                            heap_untouched(end, c)});
      return out;
    }
    out.push_back({"a NULL arena exits 110 (it must not return)", !is_null});
    out.push_back({"no memory outside the header changes", globals_unchanged_except(end, s, {}) && heap_untouched(end, c)});
    z3::expr start = final_quad(end, region_, L::ARENA_START);
    z3::expr current = final_quad(end, region_, L::ARENA_CURRENT);
    z3::expr finish = final_quad(end, region_, L::ARENA_END);
    out.push_back({"start <= current <= end still holds, usage a multiple of 8",
                   z3::ule(start, current) && z3::ule(current, finish) &&
                       ((current - start) & u64(c, L::ARENA_ALIGN - 1)) == u64(c, 0)});
    for (Obligation& o : returned(end, s)) out.push_back(o);
    return out;
  }

  TraceOps trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) override {
    const ArenaAtEntry& h = *at_;
    if (value_in(m, h.arena) == 0) return {null_call()};
    std::uint64_t capacity = value_in(m, h.end - h.start);
    std::uint64_t usage = value_in(m, h.current - h.start);
    TraceOps trace = {ops::make_op(OpCode::arena_create, {number(capacity)}, creates_first(kArena))};
    if (usage) trace.push_back(ops::make_op(OpCode::arena_alloc, {first(kArena), number(usage)}, returns(data_at(kArena, 0))));
    for (Op& op : call_ops(m, cex, s)) trace.push_back(op);
    return trace;
  }

 protected:
  // Obligations of a normal return from a valid arena.
  virtual std::vector<Obligation> returned(const PathEnd& end, ProofSetup& s) = 0;
  virtual std::vector<NamedValue> more_inputs(ProofSetup&) { return {}; }
  // The failing call (and checks after it) with the contract's answers.
  virtual TraceOps call_ops(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) = 0;
  // The call with a null arena, which exits 110.
  virtual Op null_call() const = 0;

  const ArenaAtEntry& at() const { return *at_; }
  int region() const { return region_; }

 private:
  std::string function_;
  int region_ = -1;
  std::optional<ArenaAtEntry> at_;
};

class ArenaAllocSpec : public ArenaFunctionSpec {
 public:
  ArenaAllocSpec() : ArenaFunctionSpec("arena_alloc") {}

 protected:
  // The contract's decision for a request of n bytes.
  z3::expr refused(ProofSetup& s) {
    z3::context& c = s.ctx();
    z3::expr n = s.arg(1);
    return n == u64(c, 0) || spec::round_overflows(n, L::ARENA_ALIGN) ||
           z3::ugt(spec::round_up(n, L::ARENA_ALIGN), at().end - at().current);
  }
  std::vector<Obligation> returned(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    const ArenaAtEntry& h = at();
    z3::expr n = s.arg(1);
    z3::expr rounded = spec::round_up(n, L::ARENA_ALIGN);
    z3::expr no = refused(s);
    z3::expr rax = end.state.regs[RAX];
    z3::expr current = final_quad(end, region(), L::ARENA_CURRENT);
    return {
        {"the result is 0 exactly when n = 0, Round8(n) overflows or does not fit, else the old current",
         rax == z3::ite(no, u64(c, 0), h.current)},
        {"current advances by Round8(n) on success and not at all on failure",
         current == z3::ite(no, h.current, h.current + rounded)},
        {"start, end and id are unchanged", unchanged_except(end, region(), {L::ARENA_CURRENT})},
        {"a returned block is 8-aligned and lies within [start, end)",
         no || (((rax & u64(c, L::ARENA_ALIGN - 1)) == u64(c, 0)) && z3::ule(h.start, rax) &&
                z3::ule(rounded, h.end - rax))},
    };
  }
  std::vector<NamedValue> more_inputs(ProofSetup& s) override { return {{"n (rsi)", s.arg(1)}}; }
  TraceOps call_ops(const z3::model& m, const CounterexampleFound&, ProofSetup& s) override {
    const ArenaAtEntry& h = at();
    std::uint64_t n = value_in(m, s.arg(1));
    bool no = holds_in(m, refused(s));
    std::uint64_t usage = value_in(m, h.current - h.start);
    std::uint64_t rounded = value_in(m, spec::round_up(s.arg(1), L::ARENA_ALIGN));
    return {ops::make_op(OpCode::arena_alloc, {first(kArena), number(n)}, no ? returns_null() : returns(data_at(kArena, usage))),
            ops::make_op(OpCode::arena_usage, {first(kArena)}, returns_value(no ? usage : usage + rounded)),
            ops::make_op(OpCode::arena_capacity, {first(kArena)}, returns_value(value_in(m, h.end - h.start)))};
  }
  Op null_call() const override { return ops::make_op(OpCode::arena_alloc, {null_operand(), number(8)}, exits_null()); }
};

class ArenaResetSpec : public ArenaFunctionSpec {
 public:
  ArenaResetSpec() : ArenaFunctionSpec("arena_reset") {}

 protected:
  std::vector<Obligation> returned(const PathEnd& end, ProofSetup&) override {
    return {{"current = start afterwards", final_quad(end, region(), L::ARENA_CURRENT) == at().start},
            {"start, end and id are unchanged", unchanged_except(end, region(), {L::ARENA_CURRENT})}};
  }
  TraceOps call_ops(const z3::model& m, const CounterexampleFound&, ProofSetup&) override {
    return {ops::make_op(OpCode::arena_reset, {first(kArena)}, returns_normally()),
            ops::make_op(OpCode::arena_usage, {first(kArena)}, returns_value(0)),
            ops::make_op(OpCode::arena_capacity, {first(kArena)}, returns_value(value_in(m, at().end - at().start)))};
  }
  Op null_call() const override { return ops::make_op(OpCode::arena_reset, {null_operand()}, exits_null()); }
};

// arena_get_usage and arena_get_capacity: a difference of two fields.
class ArenaQuerySpec : public ArenaFunctionSpec {
 public:
  ArenaQuerySpec(std::string function, OpCode op, bool capacity)
      : ArenaFunctionSpec(std::move(function)), op_(op), capacity_(capacity) {}

 protected:
  z3::expr expected() const { return capacity_ ? at().end - at().start : at().current - at().start; }
  std::vector<Obligation> returned(const PathEnd& end, ProofSetup&) override {
    return {{std::string("the result is ") + (capacity_ ? "end - start" : "current - start"),
             end.state.regs[RAX] == expected()},
            {"the header is unchanged", unchanged_except(end, region(), {})}};
  }
  TraceOps call_ops(const z3::model& m, const CounterexampleFound&, ProofSetup&) override {
    return {ops::make_op(op_, {first(kArena)}, returns_value(value_in(m, expected())))};
  }
  Op null_call() const override { return ops::make_op(op_, {null_operand()}, exits_null()); }

 private:
  OpCode op_;
  bool capacity_;
};

// arena_destroy: one tail call of mem_free(arena, 32 + (end - start)), with
// nothing written before it (mem_free's own checks are its proof's
// business: here it is replaced by its contract, callee_specs.h).
class ArenaDestroySpec : public ArenaFunctionSpec {
 public:
  ArenaDestroySpec() : ArenaFunctionSpec("arena_destroy") {}

 protected:
  std::vector<Obligation> returned(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    auto frees = calls_to(end, "mem_free");
    z3::expr size = u64(c, L::ARENA_HDR_SIZE) + (at().end - at().start);
    return {{"mem_free is called once, with the arena and 32 + capacity",
             frees.size() == 1 ? frees.front()->args[0] == at().arena && frees.front()->args[1] == size
                               : c.bool_val(false)},
            {"the header is not written", unchanged_except(end, region(), {})}};
  }
  TraceOps call_ops(const z3::model&, const CounterexampleFound&, ProofSetup&) override {
    return {ops::make_op(OpCode::arena_destroy, {first(kArena)}, returns_normally())};
  }
  Op null_call() const override { return ops::make_op(OpCode::arena_destroy, {null_operand()}, exits_null()); }
};

class ArenaCreateSpec : public FunctionSpec {
 public:
  std::string function() const override { return "arena_create"; }
  ops::Target trace_target() const override { return ops::Target::arena; }

  void setup(ProofSetup& s) override {
    s.callees().mem_alloc_block = FreshBlockLayout{L::ARENA_HDR_SIZE, "new_arena", kArenaFields};
  }
  std::vector<NamedValue> inputs(ProofSetup& s) override { return {{"size (rdi)", s.arg(0)}}; }
  std::vector<z3::expr> nice_constraints(ProofSetup& s) override {
    return {z3::ule(s.arg(0), u64(s.ctx(), 4096)), z3::ule(s.arg(0), u64(s.ctx(), L::MEM_MAX_REQUEST - 32))};
  }
  std::vector<NamedValue> witnesses(ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr size = s.arg(0);
    return {{"a size that fits", size == u64(c, 64)},
            {"size 0", size == u64(c, 0)},
            {"the largest size whose header sum does not wrap", size == u64(c, 0 - L::ARENA_HDR_SIZE - 1)},
            {"a size whose header sum wraps", size == u64(c, ~std::uint64_t{0})}};
  }

  z3::expr rejected(ProofSetup& s) {
    z3::context& c = s.ctx();
    z3::expr size = s.arg(0);
    return size == u64(c, 0) || z3::ugt(size, u64(c, 0 - L::ARENA_HDR_SIZE - 1));
  }

  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr size = s.arg(0);
    z3::expr no = rejected(s);
    if (end.kind == PathEnd::Kind::Exit) return {{"arena_create never exits", c.bool_val(false)}};
    z3::expr rax = end.state.regs[RAX];
    auto calls = calls_to(end, "mem_alloc");
    std::vector<Obligation> out = {{"the heap is left as mem_alloc left it", heap_untouched(end, c)}};
    if (calls.size() > 1) out.push_back({"mem_alloc is called at most once", c.bool_val(false)});
    if (calls.empty()) {
      out.push_back({"an accepted size calls mem_alloc", no});
      out.push_back({"a rejected size returns 0", rax == u64(c, 0)});
      out.push_back({"a rejected size changes nothing", globals_unchanged_except(end, s, {})});
      return out;
    }
    const CallEvent& call = *calls.front();
    z3::expr p = call.result;
    z3::expr ok = p != u64(c, 0);
    out.push_back({"a rejected size (0 or > 2^64 - 33) makes no call", !no});
    out.push_back({"mem_alloc is asked for 32 + size", call.args[0] == size + u64(c, L::ARENA_HDR_SIZE)});
    out.push_back({"mem_alloc's 0 is returned as 0", z3::implies(!ok, rax == u64(c, 0))});
    out.push_back({"mem_alloc's 0 consumes no id and changes nothing", z3::implies(!ok, globals_unchanged_except(end, s, {}))});
    out.push_back({"success returns the header", z3::implies(ok, rax == p)});
    int r = call.region;
    z3::expr start = p + u64(c, L::ARENA_HDR_SIZE);
    out.push_back({"start = header + 32", z3::implies(ok, final_quad(end, r, L::ARENA_START) == start)});
    out.push_back({"current = start", z3::implies(ok, final_quad(end, r, L::ARENA_CURRENT) == start)});
    out.push_back({"end = start + size", z3::implies(ok, final_quad(end, r, L::ARENA_END) == start + size)});
    // The id: exactly one quad of the object's data advances by one, and the
    // id is numbered so that the first arena gets 1.
    auto written = written_globals(end);
    if (written.size() != 1) {
      out.push_back({"exactly one id counter advances on success", !ok});
      return out;
    }
    const WrittenGlobal& g = written.front();
    z3::expr before = s.initial_quad(g.region, g.offset);
    z3::expr after = final_quad(end, g.region, g.offset);
    z3::expr id = final_quad(end, r, L::ARENA_ID);
    const std::string& section = end.state.memory.region(g.region).name;
    std::uint64_t first = 0;
    if (const auto* bytes = s.code().section_bytes(section))
      for (unsigned i = 0; i < 8 && g.offset + i < bytes->size(); ++i) first |= std::uint64_t{(*bytes)[g.offset + i]} << (8 * i);
    out.push_back({"the id counter advances by one", z3::implies(ok, after == before + u64(c, 1))});
    if (first == 0) out.push_back({"id = the advanced counter (so ids run 1, 2, 3, ...)", z3::implies(ok, id == after)});
    else if (first == 1) out.push_back({"id = the counter before it advances (ids run 1, 2, 3, ...)", z3::implies(ok, id == before)});
    else out.push_back({"the id counter starts so that the first id is 1", c.bool_val(false)});
    return out;
  }

  TraceOps trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) override {
    std::uint64_t size = value_in(m, s.arg(0));
    if (holds_in(m, rejected(s))) return {ops::make_op(OpCode::arena_create, {number(size)}, returns_null())};
    auto calls = cex.end ? calls_to(*cex.end, "mem_alloc") : std::vector<const CallEvent*>{};
    if (!calls.empty() && value_in(m, calls.front()->result) == 0)
      return {fail_next_mmap(), ops::make_op(OpCode::arena_create, {number(size)}, returns_null())};
    return {ops::make_op(OpCode::arena_create, {number(size)}, creates_first(kArena)),
            ops::make_op(OpCode::arena_capacity, {first(kArena)}, returns_value(size)),
            ops::make_op(OpCode::arena_usage, {first(kArena)}, returns_value(0))};
  }
};

}  // namespace

std::unique_ptr<FunctionSpec> make_arena_spec(const std::string& name) {
  if (name == "arena_create") return std::make_unique<ArenaCreateSpec>();
  if (name == "arena_alloc") return std::make_unique<ArenaAllocSpec>();
  if (name == "arena_reset") return std::make_unique<ArenaResetSpec>();
  if (name == "arena_destroy") return std::make_unique<ArenaDestroySpec>();
  if (name == "arena_get_usage") return std::make_unique<ArenaQuerySpec>("arena_get_usage", OpCode::arena_usage, false);
  if (name == "arena_get_capacity")
    return std::make_unique<ArenaQuerySpec>("arena_get_capacity", OpCode::arena_capacity, true);
  return nullptr;
}

}  // namespace mf::proof
