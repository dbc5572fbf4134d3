// pool_specs.cpp - docs/spec.md, "The pool allocator", as code-proof specs.
//
// Precondition of pool_alloc and pool_free: the pool pointer is 0, or a
// header pool_create can have produced and the other functions kept:
// 16-aligned, start = header + 48, obj_size a multiple of 8 and >= 8, some
// capacity >= 1 with end = start + obj_size * capacity and the whole block
// (header, slots, bitmap) not wrapping, start <= current <= end with
// current - start a multiple of obj_size, and (for pool_free) a free head
// that is 0 or a slot below current.  pool_alloc checks the head it pops,
// so its head may be anything: a write into freed memory can have put any
// value there.  The bitmap follows end; its contents are arbitrary.
#include <optional>

#include "slot_lemmas.h"
#include "spec_arith.h"
#include "spec_registry.h"
#include "spec_support.h"
#include "trace_ops.h"

namespace mf::proof {
namespace {

namespace L = mf::layout;
using spec::u64;
constexpr ops::HandleKind kPool = ops::HandleKind::pool;

const std::map<std::uint64_t, std::string> kPoolFields = {
    {L::POOL_START, "start"},         {L::POOL_CURRENT, "current"},     {L::POOL_END, "end"},
    {L::POOL_OBJ_SIZE, "obj_size"},   {L::POOL_FREE_HEAD, "free_head"}, {L::POOL_RESERVED, "reserved"}};

struct PoolAtEntry {
  z3::expr pool, start, current, end, size, head, capacity;
};

// The bitmap quad holding slot k's bit, the bit itself, and whether it is
// set at entry.
struct BitmapBit {
  z3::expr address, word, mask, is_set;
};

BitmapBit bitmap_bit(const PathEnd& end_of_path, const PoolAtEntry& h, const z3::expr& index) {
  z3::context& c = index.ctx();
  // end + 8 * (k / 64), written as the code computes it so that both
  // simplify to one term and the solver need not prove them equal.
  z3::expr address = (h.end + z3::lshr(index, u64(c, 6)) * u64(c, 8)).simplify();
  z3::expr mask = z3::shl(u64(c, 1), index & u64(c, 63)).simplify();
  z3::expr word = entry_heap_quad(end_of_path, address);
  // Written as the executor writes bt's carry (semantics.cpp), so that the
  // path condition and the spec share the term.
  z3::expr is_set = ((z3::lshr(word, index & u64(c, 63)) & u64(c, 1)) == u64(c, 1)).simplify();
  return {address, word, mask, is_set};
}

class PoolFunctionSpec : public FunctionSpec {
 public:
  explicit PoolFunctionSpec(std::string function) : function_(std::move(function)) {}
  std::string function() const override { return function_; }
  ops::Target trace_target() const override { return ops::Target::pool; }

  void setup(ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr p = s.arg(0);
    region_ = s.add_header("pool", p, L::POOL_HDR_SIZE, kPoolFields, p != u64(c, 0));
    at_.emplace(PoolAtEntry{p, s.initial_quad(region_, L::POOL_START), s.initial_quad(region_, L::POOL_CURRENT),
                            s.initial_quad(region_, L::POOL_END), s.initial_quad(region_, L::POOL_OBJ_SIZE),
                            s.initial_quad(region_, L::POOL_FREE_HEAD), c.bv_const("pool.capacity", 64)});
    const PoolAtEntry& h = *at_;
    // The block's size, with "no overflow" said in 64-bit terms (equivalent
    // to !pool_total_overflows: layout/total_size_proofs.cpp), which the
    // solver handles far better than the 128-bit sum.
    z3::expr slots = spec::low_product(h.size, h.capacity);
    z3::expr tail = u64(c, L::POOL_HDR_SIZE) + spec::bitmap_quads(h.capacity) * u64(c, 8);
    z3::expr total = slots + tail;
    z3::expr slot_of = [&](const z3::expr& obj) {
      return z3::ule(h.start, obj) && z3::ult(obj, h.current) && z3::urem(obj - h.start, h.size) == u64(c, 0);
    }(h.head);
    z3::expr valid =
        (p & u64(c, L::MEM_ALIGN - 1)) == u64(c, 0) && z3::uge(p, u64(c, L::NULL_PAGE_END)) &&
        h.start == p + u64(c, L::POOL_HDR_SIZE) && z3::uge(h.size, u64(c, L::POOL_MIN_OBJ)) &&
        (h.size & u64(c, L::POOL_ALIGN - 1)) == u64(c, 0) && z3::uge(h.capacity, u64(c, 1)) &&
        !spec::mul_overflows(h.size, h.capacity) && z3::ule(slots, ~tail) && z3::ule(total, -p) &&
        h.end == h.start + slots && z3::ule(h.start, h.current) && z3::ule(h.current, h.end) &&
        z3::urem(h.current - h.start, h.size) == u64(c, 0) &&
        (h.head == u64(c, 0) || slot_of || c.bool_val(checks_its_free_head()));
    head_is_slot_.emplace(slot_of);
    s.assume(p == u64(c, 0) || valid);
    // The slots and the bitmap, each its own extent: an access is then
    // checked by one linear containment instead of circular disjointness.
    s.add_extent(h.start, slots, p != u64(c, 0));
    s.add_extent(h.end, spec::bitmap_quads(h.capacity) * u64(c, 8), p != u64(c, 0));
    // The nonlinear slot facts, for the free head (proved in slot_lemma_proofs.cpp).
    assume_slot_lemmas(s, h.head - h.start);
    s.assume(lemma::slot_offset_aligned(h.current - h.start, h.size));
  }

  // Concrete states (a pool of 4 slots of 16 bytes at 0x10000, unless
  // said otherwise), so that the check needs no multiplier or divider
  // search.  Their models also answer the exploration's branch queries that
  // they satisfy (Executor::keep_model_of_real_terms): one object size of
  // each range the zeroing may treat apart spares a solver query per branch.
  std::vector<NamedValue> witnesses(ProofSetup& s) override {
    z3::context& c = s.ctx();
    const PoolAtEntry& h = *at_;
    const std::uint64_t p = 0x10000, start = p + L::POOL_HDR_SIZE, size = 16, capacity = 4;
    auto state = [&](std::uint64_t current_slots, std::uint64_t head, std::uint64_t pool = 0x10000,
                     std::uint64_t object_size = size) {
      return h.pool == u64(c, pool) && h.start == u64(c, start) && h.size == u64(c, object_size) &&
             h.capacity == u64(c, capacity) && h.end == u64(c, start + object_size * capacity) &&
             h.current == u64(c, start + object_size * current_slots) && h.head == u64(c, head);
    };
    std::vector<NamedValue> states = {{"the pool is NULL", state(0, 0, 0)},
                                      {"the free list is not empty", state(2, start + size)},
                                      {"the pool has unused slots", state(2, 0)},
                                      {"the pool is exhausted", state(capacity, 0)},
                                      {"unused slots of 32 bytes", state(2, 0, p, 32)},
                                      {"unused slots of 40 bytes", state(2, 0, p, 40)},
                                      {"unused slots of 2 KiB", state(2, 0, p, 2048)}};
    if (checks_its_free_head()) {
      states.push_back({"the free head is inside a slot (written after it was freed)", state(2, start + 8)});
      states.push_back({"the free head is at current (never handed out)", state(2, start + 2 * size)});
    }
    return states;
  }

  std::vector<z3::expr> nice_constraints(ProofSetup& s) override {
    z3::context& c = s.ctx();
    const PoolAtEntry& h = *at_;
    std::vector<z3::expr> nice = {z3::ule(h.size, u64(c, 64)), z3::ule(h.capacity, u64(c, 16)),
                                  z3::ule(h.end - h.start, u64(c, 1024))};
    for (z3::expr& extra : more_nice(s)) nice.push_back(extra);
    return nice;
  }

  std::vector<NamedValue> inputs(ProofSetup& s) override {
    const PoolAtEntry& h = *at_;
    std::vector<NamedValue> v = {{"pool (rdi)", h.pool},       {"pool.start", h.start},
                                 {"pool.current", h.current},  {"pool.end", h.end},
                                 {"pool.obj_size", h.size},    {"pool.free_head", h.head},
                                 {"capacity (not stored)", h.capacity}};
    for (NamedValue& extra : more_inputs(s)) v.push_back(extra);
    return v;
  }

  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    std::vector<Obligation> out;
    z3::expr expected_exit = exit_expected(end, s);
    if (end.kind == PathEnd::Kind::Exit) {
      out.push_back({"the function exits only where the contract says so", expected_exit != exit_code(c, 0)});
      out.push_back({"the exit code is the contract's", end.exit_code == expected_exit});
      out.push_back({"nothing changes before the exit", globals_unchanged_except(end, s, {}) &&
                                                            unchanged_except(end, region_, {}) &&
                                                            heap_untouched(end, c)});
      return out;
    }
    out.push_back({"the function returns only when the contract lets it (no exit due)", expected_exit == exit_code(c, 0)});
    out.push_back({"no data section changes", globals_unchanged_except(end, s, {})});
    const PoolAtEntry& h = *at_;
    z3::expr current = final_quad(end, region_, L::POOL_CURRENT);
    out.push_back({"start <= current <= end still holds",
                   z3::ule(h.start, current) && z3::ule(current, final_quad(end, region_, L::POOL_END))});
    for (Obligation& o : returned(end, s)) out.push_back(o);
    return out;
  }

  TraceOps trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) override {
    const PoolAtEntry& h = *at_;
    if (value_in(m, h.pool) == 0) return {null_call()};
    std::uint64_t size = value_in(m, h.size);
    std::uint64_t capacity = value_in(m, h.capacity);
    std::uint64_t used = size ? value_in(m, h.current - h.start) / size : 0;
    if (used > 256) return {};  // too long to be useful
    TraceOps trace = {ops::make_op(OpCode::pool_create, {number(size), number(capacity)}, creates_first(kPool))};
    for (std::uint64_t i = 0; i < used; ++i) {
      trace.push_back(ops::make_op(OpCode::pool_alloc, {first(kPool)}, returns(data_at(kPool, i * size))));
    }
    // A free head that is not a free slot comes only from a write into freed
    // memory, which no trace op makes: no trace then.
    // (The bit of a head that is a slot is known only at an end of path.)
    if (value_in(m, h.head) != 0 && !holds_in(m, *head_is_slot_)) return {};
    if (cex.end && checks_its_free_head() && value_in(m, h.head) != 0 &&
        value_in(m, exit_expected(*cex.end, s)) == L::MF_EXIT_BOUNDS)
      return {};
    if (value_in(m, h.head) != 0) {
      trace.push_back(ops::make_op(OpCode::pool_free, {first(kPool), ops::ptr(data_at(kPool, value_in(m, h.head - h.start)))},
                                   returns_normally()));
    }
    for (Op& op : call_ops(m, cex, s)) trace.push_back(op);
    return trace;
  }

 protected:
  void assume_slot_lemmas(ProofSetup& s, const z3::expr& offset) {
    const PoolAtEntry& h = *at_;
    s.assume(lemma::slot_index_below_capacity(offset, h.size, h.capacity));
    s.assume(lemma::slot_ends_within(offset, h.size, h.capacity));
    s.assume(lemma::bitmap_quad_exists(z3::udiv(offset, h.size), h.capacity));
    s.assume(lemma::slot_offset_aligned(offset, h.size));
  }
  // The exit code the contract demands (0: none).
  virtual z3::expr exit_expected(const PathEnd& end, ProofSetup& s) = 0;
  virtual std::vector<Obligation> returned(const PathEnd& end, ProofSetup& s) = 0;
  virtual std::vector<NamedValue> more_inputs(ProofSetup&) { return {}; }
  virtual std::vector<z3::expr> more_nice(ProofSetup&) { return {}; }
  virtual TraceOps call_ops(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) = 0;
  // The call with a null pool, which exits 110.
  virtual Op null_call() const = 0;
  // Whether the function checks the free head itself (then the
  // precondition leaves the head free).
  virtual bool checks_its_free_head() const { return false; }

  const PoolAtEntry& at() const { return *at_; }
  // The free head is a slot below current (on a slot boundary).
  const z3::expr& head_is_slot() const { return *head_is_slot_; }
  int region() const { return region_; }

 private:
  std::string function_;
  int region_ = -1;
  std::optional<PoolAtEntry> at_;
  std::optional<z3::expr> head_is_slot_;
};

class PoolAllocSpec : public PoolFunctionSpec {
 public:
  PoolAllocSpec() : PoolFunctionSpec("pool_alloc") {}

 protected:
  bool checks_its_free_head() const override { return true; }
  // 110 for a null pool; 111 for a free head that is not a free slot (not a
  // slot below current, or its bit clear), before anything changes.
  z3::expr exit_expected(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    const PoolAtEntry& h = at();
    BitmapBit bit = bitmap_bit(end, h, z3::udiv(h.head - h.start, h.size));
    z3::expr free_slot = head_is_slot() && bit.is_set;
    return z3::ite(h.pool == u64(c, 0), exit_code(c, L::MF_EXIT_NULL),
                   z3::ite(h.head != u64(c, 0) && !free_slot, exit_code(c, L::MF_EXIT_BOUNDS), exit_code(c, 0)));
  }
  z3::expr bump_fits(z3::context& c) { return z3::ule(at().size, at().end - at().current); }

  std::vector<Obligation> returned(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    const PoolAtEntry& h = at();
    z3::expr pop = h.head != u64(c, 0);
    z3::expr fits = bump_fits(c);
    z3::expr object = z3::ite(pop, h.head, h.current);
    z3::expr given = pop || fits;
    z3::expr link = entry_heap_quad(end, h.head);
    BitmapBit bit = bitmap_bit(end, h, z3::udiv(h.head - h.start, h.size));
    z3::expr cleared = bit.word & ~bit.mask;
    z3::expr rax = end.state.regs[RAX];
    return {
        {"the result is the free head, else the slot at current if it fits, else 0",
         rax == z3::ite(given, object, u64(c, 0))},
        {"the free head pops to the popped object's link",
         final_quad(end, region(), L::POOL_FREE_HEAD) == z3::ite(pop, link, h.head)},
        {"current advances by obj_size exactly when the bump slot is taken",
         final_quad(end, region(), L::POOL_CURRENT) == z3::ite(!pop && fits, h.current + h.size, h.current)},
        {"start, end, obj_size and reserved are unchanged",
         unchanged_except(end, region(), {L::POOL_FREE_HEAD, L::POOL_CURRENT})},
        {"a returned object is 8-aligned, inside [start, end)",
         !given || (((rax & u64(c, L::POOL_ALIGN - 1)) == u64(c, 0)) && z3::ule(h.start, rax) &&
                    z3::ule(h.size, h.end - rax))},
        // The memory in two parts (together the one statement "the object
        // is zeroed, the popped slot's bit is cleared, nothing else
        // changes", since the slots and the bitmap never overlap): the
        // first is address arithmetic, the second the only bitwise fact.
        {"memory: the object is zeroed over obj_size; outside it, nothing but a popped slot's bitmap quad changes",
         heap_is(end, c,
                 [&](const z3::expr& q, const z3::expr& base) {
                   return z3::ite(given && within(q, object, h.size), c.bv_val(0, 8),
                                  z3::ite(pop && within(q, bit.address, u64(c, 8)), final_heap_byte(end, q), base));
                 })},
        {"memory: a popped slot's bitmap quad has exactly its bit cleared",
         !pop || bytes_are(end, bit.address, cleared)},
    };
  }
  TraceOps call_ops(const z3::model& m, const CounterexampleFound&, ProofSetup& s) override {
    z3::context& c = s.ctx();
    const PoolAtEntry& h = at();
    ops::Expectation result = returns_null();
    if (value_in(m, h.head) != 0) result = returns(data_at(kPool, value_in(m, h.head - h.start)));
    else if (holds_in(m, bump_fits(c))) result = returns(data_at(kPool, value_in(m, h.current - h.start)));
    return {ops::make_op(OpCode::pool_alloc, {first(kPool)}, result)};
  }
  Op null_call() const override { return ops::make_op(OpCode::pool_alloc, {null_operand()}, exits_null()); }
};

class PoolFreeSpec : public PoolFunctionSpec {
 public:
  PoolFreeSpec() : PoolFunctionSpec("pool_free") {}

  void setup(ProofSetup& s) override {
    PoolFunctionSpec::setup(s);
    assume_slot_lemmas(s, s.arg(1) - at().start);
  }

 protected:
  z3::expr misplaced(ProofSetup& s) {
    z3::context& c = s.ctx();
    const PoolAtEntry& h = at();
    z3::expr obj = s.arg(1);
    return z3::ult(obj, h.start) || z3::uge(obj, h.current) || z3::urem(obj - h.start, h.size) != u64(c, 0);
  }
  BitmapBit bit_of_obj(const PathEnd& end, ProofSetup& s) {
    return bitmap_bit(end, at(), z3::udiv(s.arg(1) - at().start, at().size));
  }
  z3::expr exit_expected(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    BitmapBit bit = bit_of_obj(end, s);
    z3::expr already_free = bit.is_set;
    return z3::ite(at().pool == u64(c, 0) || s.arg(1) == u64(c, 0), exit_code(c, L::MF_EXIT_NULL),
                   z3::ite(misplaced(s) || already_free, exit_code(c, L::MF_EXIT_BOUNDS), exit_code(c, 0)));
  }
  std::vector<Obligation> returned(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    const PoolAtEntry& h = at();
    z3::expr obj = s.arg(1);
    BitmapBit bit = bit_of_obj(end, s);
    return {
        {"obj becomes the free head", final_quad(end, region(), L::POOL_FREE_HEAD) == obj},
        {"start, current, end, obj_size and reserved are unchanged",
         unchanged_except(end, region(), {L::POOL_FREE_HEAD})},
        {"memory: obj's first quad links the old head, obj's bit is set, nothing else changes",
         heap_is(end, c,
                 [&](const z3::expr& q, const z3::expr& base) {
                   return z3::ite(within(q, obj, u64(c, 8)), byte_of_quad(h.head, obj, q),
                                  z3::ite(within(q, bit.address, u64(c, 8)),
                                          byte_of_quad(bit.word | bit.mask, bit.address, q), base));
                 })},
    };
  }
  std::vector<NamedValue> more_inputs(ProofSetup& s) override { return {{"obj (rsi)", s.arg(1)}}; }
  std::vector<z3::expr> more_nice(ProofSetup& s) override {
    // Keep the object near the pool, so the trace can name it; and outside
    // the free head's slot: the trace frees the head, so that slot's bit is
    // set there, while the precondition leaves the bitmap arbitrary (a
    // counterexample whose head slot is live would replay as a double free).
    z3::context& c = s.ctx();
    const PoolAtEntry& h = at();
    z3::expr obj = s.arg(1);
    return {z3::ule(obj - h.start, h.end - h.start + u64(c, 64)),
            h.head == u64(c, 0) || z3::ult(obj, h.head) || z3::uge(obj - h.head, h.size)};
  }
  TraceOps call_ops(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) override {
    std::uint64_t obj = value_in(m, s.arg(1));
    ops::Arg where = obj == 0 ? null_operand() : ops::ptr(data_at(kPool, value_in(m, s.arg(1) - at().start)));
    std::uint64_t code = cex.end ? value_in(m, exit_expected(*cex.end, s)) : 0;
    return {ops::make_op(OpCode::pool_free, {first(kPool), where}, code ? exits_with(code) : returns_normally())};
  }
  Op null_call() const override { return ops::make_op(OpCode::pool_free, {null_operand(), null_operand()}, exits_null()); }
};

// pool_destroy: one tail call of mem_free(pool, total), total computed
// from the header as pool_create computed it (capacity = (end - start) /
// obj_size), with nothing written before it.  The precondition is the
// other pool functions' (a header pool_create made): the corrupt header
// with obj_size 0, which must not divide, is left to the unit tests.
class PoolDestroySpec : public PoolFunctionSpec {
 public:
  PoolDestroySpec() : PoolFunctionSpec("pool_destroy") {}

  void setup(ProofSetup& s) override {
    PoolFunctionSpec::setup(s);
    s.assume(lemma::exact_quotient(at().size, at().capacity));
  }

 protected:
  z3::expr exit_expected(const PathEnd&, ProofSetup& s) override {
    z3::context& c = s.ctx();
    return z3::ite(at().pool == u64(c, 0), exit_code(c, L::MF_EXIT_NULL), exit_code(c, 0));
  }
  std::vector<Obligation> returned(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    const PoolAtEntry& h = at();
    auto frees = calls_to(end, "mem_free");
    z3::expr total = u64(c, L::POOL_HDR_SIZE) + (h.end - h.start) + spec::bitmap_quads(h.capacity) * u64(c, 8);
    return {{"mem_free is called once, with the pool and the size pool_create asked for",
             frees.size() == 1 ? frees.front()->args[0] == h.pool && frees.front()->args[1] == total
                               : c.bool_val(false)},
            {"the header is not written", unchanged_except(end, region(), {})},
            {"no other memory is written", heap_untouched(end, c)}};
  }
  TraceOps call_ops(const z3::model&, const CounterexampleFound&, ProofSetup&) override {
    return {ops::make_op(OpCode::pool_destroy, {first(kPool)}, returns_normally())};
  }
  Op null_call() const override { return ops::make_op(OpCode::pool_destroy, {null_operand()}, exits_null()); }
};

class PoolCreateSpec : public FunctionSpec {
 public:
  std::string function() const override { return "pool_create"; }
  ops::Target trace_target() const override { return ops::Target::pool; }
  void setup(ProofSetup& s) override {
    s.callees().mem_alloc_block = FreshBlockLayout{L::POOL_HDR_SIZE, "new_pool", kPoolFields};
  }
  std::vector<NamedValue> inputs(ProofSetup& s) override {
    return {{"obj_size (rdi)", s.arg(0)}, {"capacity (rsi)", s.arg(1)}};
  }
  std::vector<z3::expr> nice_constraints(ProofSetup& s) override {
    z3::context& c = s.ctx();
    return {z3::ule(s.arg(0), u64(c, 4096)), z3::ule(s.arg(1), u64(c, 4096))};
  }
  std::vector<NamedValue> witnesses(ProofSetup& s) override {
    z3::context& c = s.ctx();
    z3::expr obj_size = s.arg(0), capacity = s.arg(1);
    return {{"a pool that fits: 4 objects of 16 bytes", obj_size == u64(c, 16) && capacity == u64(c, 4)},
            {"an object size that is rounded: 9 bytes, 65 objects", obj_size == u64(c, 9) && capacity == u64(c, 65)},
            {"an object size below 8", obj_size == u64(c, 7) && capacity == u64(c, 1)},
            {"capacity 0", obj_size == u64(c, 8) && capacity == u64(c, 0)},
            {"a product that overflows", obj_size == u64(c, 1ULL << 32) && capacity == u64(c, 1ULL << 32)}};
  }
  z3::expr size(ProofSetup& s) { return spec::round_up(s.arg(0), L::POOL_ALIGN); }
  z3::expr rejected(ProofSetup& s) {
    z3::context& c = s.ctx();
    z3::expr obj_size = s.arg(0), capacity = s.arg(1);
    return z3::ult(obj_size, u64(c, L::POOL_MIN_OBJ)) || capacity == u64(c, 0) ||
           spec::round_overflows(obj_size, L::POOL_ALIGN) || spec::pool_total_overflows(size(s), capacity);
  }

  std::vector<Obligation> obligations(const PathEnd& end, ProofSetup& s) override {
    z3::context& c = s.ctx();
    if (end.kind == PathEnd::Kind::Exit) return {{"pool_create never exits", c.bool_val(false)}};
    z3::expr no = rejected(s);
    z3::expr rax = end.state.regs[RAX];
    auto calls = calls_to(end, "mem_alloc");
    std::vector<Obligation> out = {{"no data section changes", globals_unchanged_except(end, s, {})}};
    if (calls.size() > 1) out.push_back({"mem_alloc is called at most once", c.bool_val(false)});
    if (calls.empty()) {
      out.push_back({"an accepted request calls mem_alloc", no});
      out.push_back({"a rejected request returns 0", rax == u64(c, 0)});
      out.push_back({"a rejected request changes no memory", heap_untouched(end, c)});
      return out;
    }
    const CallEvent& call = *calls.front();
    z3::expr p = call.result;
    z3::expr ok = p != u64(c, 0);
    z3::expr z = size(s), capacity = s.arg(1);
    z3::expr total = spec::pool_total_wide(z, capacity).extract(63, 0).simplify();
    z3::expr start = p + u64(c, L::POOL_HDR_SIZE);
    z3::expr finish = start + spec::low_product(z, capacity);
    z3::expr bitmap_bytes = spec::bitmap_quads(capacity) * u64(c, 8);
    int r = call.region;
    out.push_back({"a rejected request (obj_size < 8, capacity 0, or an overflow) makes no call", !no});
    out.push_back({"mem_alloc is asked for 48 + obj_size * capacity + 8 * ceil(capacity / 64)", call.args[0] == total});
    out.push_back({"mem_alloc's 0 is returned as 0", z3::implies(!ok, rax == u64(c, 0))});
    out.push_back({"success returns the header", z3::implies(ok, rax == p)});
    out.push_back({"start = header + 48 and current = start",
                   z3::implies(ok, final_quad(end, r, L::POOL_START) == start &&
                                       final_quad(end, r, L::POOL_CURRENT) == start)});
    out.push_back({"end = start + obj_size * capacity", z3::implies(ok, final_quad(end, r, L::POOL_END) == finish)});
    out.push_back({"obj_size is stored rounded to 8", z3::implies(ok, final_quad(end, r, L::POOL_OBJ_SIZE) == z)});
    out.push_back({"free head and reserved are 0", z3::implies(ok, final_quad(end, r, L::POOL_FREE_HEAD) == u64(c, 0) &&
                                                                      final_quad(end, r, L::POOL_RESERVED) == u64(c, 0))});
    out.push_back({"memory: the bitmap after end is zeroed, nothing else changes",
                   heap_is(end, c, [&](const z3::expr& q, const z3::expr& base) {
                     return z3::ite(ok && within(q, finish, bitmap_bytes), c.bv_val(0, 8), base);
                   })});
    return out;
  }

  TraceOps trace(const z3::model& m, const CounterexampleFound& cex, ProofSetup& s) override {
    auto create = [&](ops::Expectation result) {
      return ops::make_op(OpCode::pool_create, {number(value_in(m, s.arg(0))), number(value_in(m, s.arg(1)))}, result);
    };
    if (holds_in(m, rejected(s))) return {create(returns_null())};
    auto calls = cex.end ? calls_to(*cex.end, "mem_alloc") : std::vector<const CallEvent*>{};
    if (!calls.empty() && value_in(m, calls.front()->result) == 0) return {fail_next_mmap(), create(returns_null())};
    return {create(creates_first(kPool)), ops::make_op(OpCode::pool_alloc, {first(kPool)}, returns(data_at(kPool, 0)))};
  }
};

}  // namespace

std::unique_ptr<FunctionSpec> make_pool_spec(const std::string& name) {
  if (name == "pool_create") return std::make_unique<PoolCreateSpec>();
  if (name == "pool_alloc") return std::make_unique<PoolAllocSpec>();
  if (name == "pool_free") return std::make_unique<PoolFreeSpec>();
  if (name == "pool_destroy") return std::make_unique<PoolDestroySpec>();
  return nullptr;
}

}  // namespace mf::proof
