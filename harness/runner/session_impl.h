// session_impl.h - the state of one differential run (runner.h's Session):
// the trace's handles, the runner's view of every live object, the page
// bijection, and the model.  The member functions are spread over
//   session.cpp          the per-op sequence: resolve, model, SUT, compare
//   session_compare.cpp  comparing one op's outcome (and the trace's expectation)
//   session_objects.cpp  creating and killing objects, the integrity pattern
//   session_checks.cpp   header, page list and OS accounting comparisons
//   state_dump.cpp       the SUT's and the model's state as text
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "layout.h"
#include "model.h"
#include "op.h"
#include "op_calls.h"
#include "os_environment.h"
#include "page_map.h"
#include "runner.h"
#include "sut_call.h"

namespace mf::runner {

// Native mode's child reports progress through this (forked_runner.cpp); it
// is absent in simulated mode.
class ChildChannel {
 public:
  virtual ~ChildChannel() = default;
  // Before the SUT runs op `index`; expected_exit is the model's exit code
  // for it, or -1 when the model expects the call to return.
  virtual void before_sut(std::size_t index, int expected_exit) = 0;
  virtual void observed(std::size_t index, const ops::Expectation& what) = 0;
};

// An object's name for a report ("a3.start+96"), built only if a check
// fails: the checks run after every op and almost never fail, and building
// the name up front cost an allocation per check.  Holds a reference to the
// callable, so it lives only as long as the call it is passed to.
class LazyName {
 public:
  template <typename F>
  LazyName(const F& f)  // NOLINT(google-explicit-constructor): a lambda is passed in place
      : fn_(&f), call_([](const void* fn) { return (*static_cast<const F*>(fn))(); }) {}
  std::string operator()() const { return call_(fn_); }

 private:
  const void* fn_;
  std::string (*call_)(const void*);
};

// One disagreement, before it is turned into a Divergence with the op and
// both states.
struct Problem {
  std::string what;
  std::string expected;
  std::string actual;
};

class Session::Impl {
 public:
  Impl(ops::Target target, RunOptions options, ChildChannel* channel);
  ~Impl();

  StepStatus step(const ops::Op& op);
  RunResult finish();
  const RunResult& result() const { return result_; }

 private:
  static constexpr std::uint32_t kNoObject = ~std::uint32_t{0};

  // ---- the trace's handles (a<i>, p<i>, m<i>) ----
  struct Slot {
    bool null = true;           // its creating op returned 0
    std::uint64_t sut = 0;      // the SUT's address (arena/pool header, or the block)
    model::Addr model;          // the same, canonical in the model
    std::uint32_t object = kNoObject;
  };

  // ---- the runner's objects ----
  enum class ObjKind : std::uint8_t { block, arena, pool };
  struct ObjRef {
    ObjKind kind = ObjKind::block;
    std::uint32_t index = kNoObject;
    bool valid() const { return index != kNoObject; }
  };
  struct BlockObj {  // a plain mem_alloc block
    std::uint64_t addr = 0;
    std::uint64_t size = 0;
    std::uint64_t seed = 0;
    model::Addr model;
    std::uint32_t slot = 0;  // m<slot>
    bool live = true;
    bool dirty = false;  // written by a builtin: the model holds its expected bytes
  };
  struct ArenaBlock {  // one arena_alloc block
    std::uint64_t offset = 0;  // from start
    std::uint64_t size = 0;
    std::uint64_t seed = 0;
    bool dirty = false;
  };
  struct ArenaObj {
    std::uint64_t header = 0;
    std::uint64_t capacity = 0;
    model::ArenaHandle handle = 0;
    model::PageHandle page = 0;
    std::uint64_t header_offset = 0;  // in its page
    std::vector<ArenaBlock> blocks;   // address order
    std::uint32_t slot = 0;           // a<slot>
    bool live = true;
    std::uint64_t start() const { return header + layout::ARENA_HDR_SIZE; }
  };
  struct PoolObj {
    std::uint64_t header = 0;
    std::uint64_t obj_size = 0;
    std::uint64_t capacity = 0;
    model::PoolHandle handle = 0;
    model::PageHandle page = 0;
    std::uint64_t header_offset = 0;
    std::vector<std::uint64_t> seeds;  // per slot handed out; 0 = not live
    std::vector<std::uint8_t> dirty;   // per slot
    std::uint32_t slot = 0;            // p<slot>
    bool live = true;
    std::uint64_t start() const { return header + layout::POOL_HDR_SIZE; }
  };

  // An operand as both sides receive it.
  using Operand = runner::Operand;  // op_calls.h

  // ---- session.cpp ----
  StepStatus step_control(const ops::Op& op);
  StepStatus step_sut(const ops::Op& op);
  Operand resolve(const ops::PtrExpr& ptr) const;
  model::Outcome call_model(const ops::Op& op, const std::array<Operand, ops::kMaxArgs>& args);
  StepStatus diverge(Problem problem);
  StepStatus invalid(std::string reason);
  void record_observed(const ops::Expectation& what);

  // ---- session_compare.cpp ----
  std::optional<Problem> check_expectation(const ops::Op& op, const model::Outcome& outcome) const;
  std::optional<Problem> compare_exit(const ops::Op& op, const model::Outcome& expected, const SutOutcome& actual);
  std::optional<Problem> compare_result(const ops::Op& op, const model::Outcome& expected, const SutOutcome& actual);
  // What a returning op wrote to stderr against the model's log (nothing,
  // but for the cleaner's ops); empties the capture either way.
  std::optional<Problem> compare_log(const model::Outcome& expected);
  // A cleaner's pass: the pids it signalled and the directory it leaves.
  std::optional<Problem> compare_cleaner_effects(const model::Outcome& expected);
  ops::Expectation observed_form(const ops::Op& op, const std::array<Operand, ops::kMaxArgs>& args,
                                 const model::Outcome& outcome, const SutOutcome& actual) const;
  std::optional<Problem> check_exit_message(const ops::Op& op, int code) const;

  // ---- session_objects.cpp ----
  std::optional<Problem> bind_new_page(model::PageHandle page);
  std::optional<Problem> apply_effects(const ops::Op& op, const std::array<Operand, ops::kMaxArgs>& args,
                                       const model::Outcome& outcome, const SutOutcome& actual);
  void kill_model_block(model::BlockHandle block);
  void mark_dirty(const model::Addr& canonical_dst, std::uint64_t n);
  void fill(std::uint64_t addr, std::uint64_t size, std::uint64_t seed, const model::Addr& model_addr);
  std::optional<Problem> check_block_bytes(LazyName name, std::uint64_t addr, std::uint64_t size, std::uint64_t seed,
                                           bool dirty, const model::Addr& model_addr) const;
  std::optional<Problem> check_zero(LazyName name, std::uint64_t addr, std::uint64_t size) const;
  std::optional<Problem> check_object(ObjRef ref, bool deep);
  // The objects around addr: the one after it, the one holding it (unless
  // the caller has just checked that one at least as deeply, or just wrote
  // it), and the one before that.
  std::optional<Problem> check_mem_neighbours(std::uint64_t addr, bool at_already_checked = false);
  std::optional<Problem> check_arena_block(std::uint32_t arena, std::size_t i) const;
  std::optional<Problem> check_pool_slot(std::uint32_t pool, std::uint64_t slot) const;
  std::string arena_name(std::uint32_t arena) const;
  std::string pool_name(std::uint32_t pool) const;
  std::string block_name(std::uint32_t block) const;
  model::Addr model_addr_of(std::uint64_t sut) const;

  // ---- session_checks.cpp ----
  std::optional<Problem> check_after(const ops::Op& op, const std::array<Operand, ops::kMaxArgs>& args,
                                     const model::Outcome& outcome);
  std::optional<Problem> check_arena_header(std::uint32_t arena) const;
  std::optional<Problem> check_pool_header(std::uint32_t pool) const;
  std::optional<Problem> check_pool_bitmap(std::uint32_t pool, std::optional<std::uint64_t> only_slot) const;
  // The page's header and extension; with a block offset, that block's
  // bitmap bit too.
  std::optional<Problem> check_page(model::PageHandle page, std::optional<std::uint64_t> block_offset) const;
  std::optional<Problem> check_page_bitmap(model::PageHandle page) const;
  std::optional<Problem> check_page_list(bool full) const;
  std::optional<Problem> check_os_accounting() const;
  std::optional<Problem> check_everything();

  // ---- state_dump.cpp ----
  std::string dump_sut_state() const;
  std::string dump_model_state() const;

  std::uint32_t slot_object(ops::HandleKind kind, std::uint32_t index) const;
  // The arena or pool object an op's first operand acted on (see session.cpp).
  std::uint32_t operand_object(ops::HandleKind kind, const ops::Op& op, const Operand& operand) const;

  ops::Target target_;
  RunOptions options_;
  ChildChannel* channel_;
  simos::OsEnvironment* env_;
  model::Model model_;
  PageMap pages_;
  RunResult result_;
  bool over_ = false;
  StepStatus final_status_ = StepStatus::ok;
  std::size_t op_index_ = 0;
  const ops::Op* current_op_ = nullptr;
  // Calls into the SUT so far: the OS calls of every second one return as
  // Linux does, the others with garbage (shim_return.h).
  std::size_t sut_calls_ = 0;

  std::array<std::vector<Slot>, ops::kHandleKinds> slots_;
  std::vector<BlockObj> blocks_;
  std::vector<ArenaObj> arenas_;
  std::vector<PoolObj> pools_;
  std::map<std::uint64_t, ObjRef> mem_index_;  // SUT address of every live mem_alloc block -> its object
  std::vector<ObjRef> by_model_block_;         // model block handle -> object
  std::vector<std::uint32_t> arena_by_model_;  // model arena handle -> arena object
  std::vector<std::uint32_t> pool_by_model_;   // model pool handle -> pool object
  std::vector<std::uint8_t> scratch_;          // pattern bytes for the model
  std::size_t stderr_seen_ = 0;                // stderr bytes already accounted for
  std::optional<FaultTrap> fault_trap_;
  std::optional<HangWatch> hang_watch_;
};

}  // namespace mf::runner
