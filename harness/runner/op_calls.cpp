#include "op_calls.h"

#include <sanitizer/asan_interface.h>
#include <sys/mman.h>

#include <algorithm>
#include <stdexcept>

// The SUT's op functions are weak here: a SUT may lack any (morph_abi.h).
#define MF_SUT_OPS_OPTIONAL
#include "morph_abi.h"
#include "daemon/meminfo_model.h"
#include "daemon/world_ops.h"
#include "layout.h"
#include "os_rules.h"

namespace mf::runner {

namespace {

// A SUT function's address as the trampoline takes it: null when the SUT
// lacks the function (its declaration is weak here).
template <typename F>
const void* symbol(F* function) {
  return reinterpret_cast<const void*>(function);
}

using ModelFunction = model::Outcome (*)(model::Model&, const Operands&);
using ControlFunction = void (*)(model::OsRules&, const RawArgs&);
using SutSymbol = const void* (*)(bool checked_alloc_entry);

// One namespace per row, named after it, holding its calls: `sut`, the SUT
// function's address (null when the SUT lacks it; it is called through the
// call-boundary trampoline with the op's raw operands), and `model` (numbers
// go to the model as they are, .sut; pointers in the model's form, .model)
// for a SUT op; `control` for a control op, which changes one OsRules
// (apply_control_op calls it on the OS's and on the model's).  What a row
// does not define it takes from no_call: null.
namespace no_call {
inline constexpr std::nullptr_t sut = nullptr;
inline constexpr std::nullptr_t model = nullptr;
inline constexpr std::nullptr_t control = nullptr;
}  // namespace no_call

using model::Model;
using model::Outcome;

namespace arena_create_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::arena_create); }
Outcome model(Model& m, const Operands& a) { return m.arena_create(a[0].sut); }
}  // namespace arena_create_op

namespace arena_alloc_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::arena_alloc); }
Outcome model(Model& m, const Operands& a) { return m.arena_alloc(a[0].model, a[1].sut); }
}  // namespace arena_alloc_op

namespace arena_reset_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::arena_reset); }
Outcome model(Model& m, const Operands& a) { return m.arena_reset(a[0].model); }
}  // namespace arena_reset_op

namespace arena_usage_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::arena_get_usage); }
Outcome model(Model& m, const Operands& a) { return m.arena_get_usage(a[0].model); }
}  // namespace arena_usage_op

namespace arena_capacity_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::arena_get_capacity); }
Outcome model(Model& m, const Operands& a) { return m.arena_get_capacity(a[0].model); }
}  // namespace arena_capacity_op

namespace arena_destroy_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::arena_destroy); }
Outcome model(Model& m, const Operands& a) { return m.arena_destroy(a[0].model); }
}  // namespace arena_destroy_op

namespace pool_create_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::pool_create); }
Outcome model(Model& m, const Operands& a) { return m.pool_create(a[0].sut, a[1].sut); }
}  // namespace pool_create_op

namespace pool_alloc_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::pool_alloc); }
Outcome model(Model& m, const Operands& a) { return m.pool_alloc(a[0].model); }
}  // namespace pool_alloc_op

namespace pool_free_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::pool_free); }
Outcome model(Model& m, const Operands& a) { return m.pool_free(a[0].model, a[1].model); }
}  // namespace pool_free_op

namespace pool_destroy_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::pool_destroy); }
Outcome model(Model& m, const Operands& a) { return m.pool_destroy(a[0].model); }
}  // namespace pool_destroy_op

namespace pool_uaf_link_op {
using namespace no_call;
// Not a SUT function: the program's own store through a stale pointer, the
// write that pool_alloc's check of the free head is there to catch.  It is
// called like one (through the trampoline, with the op's raw operands), so
// that every engine and mode runs it the same way.
extern "C" void mf_program_writes_freed_link(std::uint64_t /*pool*/, std::uint64_t* obj, std::uint64_t value) {
  *obj = value;
}
const void* sut(bool) { return symbol(&mf_program_writes_freed_link); }
Outcome model(Model& m, const Operands& a) { return m.pool_uaf_link(a[0].model, a[1].model, a[2].model); }
}  // namespace pool_uaf_link_op

namespace mem_uaf_link_op {
using namespace no_call;
// The program's own store through a stale pointer into a slab block, the
// write that mem_alloc's check of the free head is there to catch (see
// pool_uaf_link_op).
extern "C" void mf_program_writes_freed_block_link(std::uint64_t* block, std::uint64_t value) { *block = value; }
const void* sut(bool) { return symbol(&mf_program_writes_freed_block_link); }
Outcome model(Model& m, const Operands& a) { return m.mem_uaf_link(a[0].model, a[1].model); }
}  // namespace mem_uaf_link_op

namespace mem_alloc_op {
using namespace no_call;
const void* sut(bool checked) { return checked ? symbol(&::__mf_mem_alloc) : symbol(&::mem_alloc); }
Outcome model(Model& m, const Operands& a) { return m.mem_alloc(a[0].sut); }
}  // namespace mem_alloc_op

namespace mem_free_op {
using namespace no_call;
const void* sut(bool checked) { return checked ? symbol(&::__mf_mem_free) : symbol(&::mem_free); }
Outcome model(Model& m, const Operands& a) { return m.mem_free(a[0].model, a[1].sut); }
}  // namespace mem_free_op

namespace mem_trim_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::mem_trim); }
Outcome model(Model& m, const Operands&) { return m.mem_trim(); }
}  // namespace mem_trim_op

namespace load_i64_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::__mf_load_i64); }
Outcome model(Model& m, const Operands& a) { return m.load_i64(a[0].model); }
}  // namespace load_i64_op

namespace poke_i64_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::__mf_poke_i64); }
Outcome model(Model& m, const Operands& a) { return m.poke_i64(a[0].model, a[1].sut); }
}  // namespace poke_i64_op

namespace load_byte_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::__mf_load_byte); }
Outcome model(Model& m, const Operands& a) { return m.load_byte(a[0].model); }
}  // namespace load_byte_op

namespace poke_byte_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::__mf_poke_byte); }
Outcome model(Model& m, const Operands& a) { return m.poke_byte(a[0].model, a[1].sut); }
}  // namespace poke_byte_op

namespace memcpy_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::__mf_memcpy); }
Outcome model(Model& m, const Operands& a) { return m.memcpy(a[0].model, a[1].model, a[2].sut); }
}  // namespace memcpy_op

namespace os_fail_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) {
  if (static_cast<ops::OsCall>(a[0]) == ops::OsCall::mmap) {
    rules.fail_mmap(a[1]);
  } else {
    rules.fail_munmap(a[1]);
  }
}
}  // namespace os_fail_op

namespace clock_set_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) { rules.set_time(static_cast<std::int64_t>(a[0])); }
}  // namespace clock_set_op

namespace clock_advance_op {
using namespace no_call;
// The clock is a 64-bit register that wraps, like the kernel's time_t
// would: the seconds are added in unsigned arithmetic, where wrapping is
// defined.
void control(model::OsRules& rules, const RawArgs& a) {
  rules.set_time(static_cast<std::int64_t>(static_cast<std::uint64_t>(rules.time()) + a[0]));
}
}  // namespace clock_advance_op

namespace memory_limit_op {
using namespace no_call;
// A lower limit refuses the next mmap that would pass it; what is mapped
// stays mapped.  Above kMaxMemoryLimit the limit is kMaxMemoryLimit.
void control(model::OsRules& rules, const RawArgs& a) {
  rules.set_memory_limit(std::min(a[0], model::kMaxMemoryLimit));
}
}  // namespace memory_limit_op

namespace monitor_memory_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::daemon_monitor_memory); }
Outcome model(Model& m, const Operands&) { return m.daemon_monitor_memory(); }
}  // namespace monitor_memory_op

// The meminfo target's control ops build the simulated /proc/meminfo; the
// text of a line or a filler is written once, in models/daemon.
namespace meminfo_line_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) {
  rules.append_meminfo(model::daemon::meminfo_line(a[0], a[1], a[2]));
}
}  // namespace meminfo_line_op

namespace meminfo_filler_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) { rules.append_meminfo(model::daemon::meminfo_filler(a[0])); }
}  // namespace meminfo_filler_op

namespace meminfo_fail_op {
using namespace no_call;
// Even: opening the file fails; odd: reading it does, once N / 2 bytes
// (modulo DAEMON_MEMINFO_MAX, so that a reader of the contract's always
// gets that far when the file is longer) have been read: 1 fails the first
// read, a larger N lets the reader have some lines first.
void control(model::OsRules& rules, const RawArgs& a) {
  if (a[0] % 2 == 0) {
    rules.fail_meminfo(model::OsRules::FileFailure::open);
  } else {
    rules.fail_meminfo(model::OsRules::FileFailure::read, a[0] / 2 % layout::DAEMON_MEMINFO_MAX);
  }
}
}  // namespace meminfo_fail_op

namespace read_chunk_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) { rules.set_read_chunk(a[0]); }
}  // namespace read_chunk_op

namespace clean_snapshots_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::daemon_clean_snapshots); }
Outcome model(Model& m, const Operands&) { return m.daemon_clean_snapshots(); }
}  // namespace clean_snapshots_op

namespace clean_sandboxes_op {
using namespace no_call;
const void* sut(bool) { return symbol(&::daemon_clean_sandboxes); }
Outcome model(Model& m, const Operands&) { return m.daemon_clean_sandboxes(); }
}  // namespace clean_sandboxes_op

// The daemon target's control ops build the cleaner's world; what their
// numbers mean is written once, in models/daemon/world_ops.h.
namespace dir_entry_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) {
  rules.cleaner().put(model::daemon::entry_for(a[0], a[1], a[2], rules.time(), rules.cleaner()));
}
}  // namespace dir_entry_op

namespace dir_state_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) { model::daemon::set_directory_state(rules.cleaner(), a[0]); }
}  // namespace dir_state_op

namespace dir_read_fails_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) { rules.cleaner().dir.unreadable_after = a[0]; }
}  // namespace dir_read_fails_op

namespace dir_batch_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) { rules.cleaner().batch = a[0]; }
}  // namespace dir_batch_op

namespace daemon_config_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) { model::daemon::configure(rules.cleaner(), a[0], a[1]); }
}  // namespace daemon_config_op

namespace meminfo_threshold_op {
using namespace no_call;
void control(model::OsRules& rules, const RawArgs& a) { rules.cleaner().mem_threshold = static_cast<std::int64_t>(a[0]); }
}  // namespace meminfo_threshold_op

namespace zeroed_stack_op {
using namespace no_call;
// Odd: zeros below the next memory checks; even: the pattern again.
void control(model::OsRules& rules, const RawArgs& a) { rules.cleaner().zeroed_stack = a[0] % 2 == 1; }
}  // namespace zeroed_stack_op

namespace stack_addresses_op {
using namespace no_call;
// The depth, 16-aligned and within the 1 MiB of the cleaner's stack; 0: off.
void control(model::OsRules& rules, const RawArgs& a) { rules.cleaner().stack_address_depth = a[0] % (1 << 20) & ~std::uint64_t{15}; }
}  // namespace stack_addresses_op

struct Calls {
  SutSymbol sut;
  ModelFunction model;
  ControlFunction control;
};

// In row (OpCode) order.
constexpr std::array<Calls, ops::kOpCount> kCalls = {
#define MF_OP_CALLS(name, ...) Calls{name##_op::sut, name##_op::model, name##_op::control},
    MF_OP_LIST(MF_OP_CALLS)
#undef MF_OP_CALLS
};

// A SUT op has both its calls, a control op its control call, and no more.
constexpr bool calls_match_rows() {
  for (const ops::OpInfo& op : ops::kOpTable) {
    const Calls& c = kCalls[static_cast<std::size_t>(op.code)];
    if ((c.sut == nullptr) != op.control || (c.model == nullptr) != op.control || (c.control == nullptr) == op.control) {
      return false;
    }
  }
  return true;
}
static_assert(calls_match_rows(), "every SUT op has its SUT and model calls, every control op its control call");

}  // namespace

SutCall sut_call(ops::OpCode code, bool checked_alloc_entry) {
  const SutSymbol sut = kCalls[static_cast<std::size_t>(code)].sut;
  if (sut == nullptr) throw std::logic_error("a control op has no SUT call");
  const ops::OpInfo& op = ops::info(code);
  const bool cleaner = op.allowed_in(ops::Target::meminfo) || op.allowed_in(ops::Target::daemon);
  // The cleaner's functions run below the code: they keep their buffers on
  // the stack and compare cursors into them with other pointers.
  return {sut(checked_alloc_entry), op.result != ops::ResultKind::none, op.arity,
          cleaner ? kStackFillCleaner : kStackFillOther, cleaner};
}

bool sut_implements(ops::OpCode code, ops::Target target) {
  return ops::info(code).control || sut_call(code, ops::uses_checked_alloc_entry(target)).function != nullptr;
}

std::vector<ops::OpCode> ops_not_implemented(ops::Target target) {
  std::vector<ops::OpCode> missing;
  for (ops::OpCode code : ops::sut_ops_of(target)) {
    if (!sut_implements(code, target)) missing.push_back(code);
  }
  return missing;
}

namespace {
constexpr std::uint64_t kLowestStackBase = 0x10000;
constexpr std::uint64_t kLowestStackSize = 1 << 20;  // the cleaner's 12 KiB and the simulated OS's frames
}  // namespace

std::uint64_t lowest_stack_top() {
  static const std::uint64_t top = [] {
    // NOREPLACE: never over a mapping of ours.  No guard page below it:
    // Linux maps nothing below vm.mmap_min_addr (64 KiB by default), so an
    // overflow faults there.
    void* p = mmap(reinterpret_cast<void*>(kLowestStackBase), kLowestStackSize, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    return p == MAP_FAILED ? std::uint64_t{0} : kLowestStackBase + kLowestStackSize;
  }();
  return top;
}

std::uint64_t call_through_boundary(const SutCall& call, const RawArgs& args, CallBoundary& check) {
  arm(check);
  check.stack_fill = call.stack_fill;
  check.stack_pattern = call.stack_pattern;
  check.stack_top = call.below_the_code ? lowest_stack_top() : 0;
  if (call.stack_address_depth != 0 && check.stack_top != 0) {
    check.stack_pattern = check.stack_top - call.stack_address_depth;
  }
  // Under ASan: a call left by longjmp (an exit, a fault, a hang) leaves the
  // redzones of the simulated OS's frames poisoned on this stack, which ASan
  // clears only on a stack it knows.  (A no-op in other builds.)
  if (check.stack_top != 0) {
    ASAN_UNPOISON_MEMORY_REGION(reinterpret_cast<void*>(kLowestStackBase), kLowestStackSize);
  }
  RawArgs passed = args;
  for (std::size_t i = call.arity; i < passed.size(); ++i) passed[i] = unused_argument(check, i);
  const std::uint64_t rax = mf_call_with_boundary_checks(call.function, passed.data(), &check);
  return call.returns_value ? rax : 0;  // a void function leaves rax undefined
}

void configure_cleaner(const model::daemon::CleanerWorld& world) {
  // A SUT without the globals (a foreign cleaner) keeps its own values.
  if (&::daemon_snapshot_ttl != nullptr) ::daemon_snapshot_ttl = world.snapshot_ttl;
  if (&::daemon_sandbox_ttl != nullptr) ::daemon_sandbox_ttl = world.sandbox_ttl;
  if (&::daemon_pid_max != nullptr) ::daemon_pid_max = world.pid_max;
  // The simulated OS serves the directory at world.dir.path, which lives as
  // long as the world: the pointer stays valid through the pass.
  if (&::daemon_monitor_dir != nullptr) ::daemon_monitor_dir = world.dir.path.c_str();
  if (&::daemon_log_fd != nullptr) ::daemon_log_fd = world.log_fd;
}

void configure_monitor(const model::daemon::CleanerWorld& world) {
  if (&::daemon_mem_threshold != nullptr) ::daemon_mem_threshold = world.mem_threshold;
}

model::Outcome call_model_function(model::Model& model, ops::OpCode code, const Operands& args) {
  const ModelFunction call = kCalls[static_cast<std::size_t>(code)].model;
  if (call == nullptr) throw std::logic_error("a control op has no model call");
  return call(model, args);
}

void apply_control_op(model::OsRules& os_rules, model::OsRules& model_rules, ops::OpCode code, const RawArgs& args) {
  const ControlFunction call = kCalls[static_cast<std::size_t>(code)].control;
  if (call == nullptr) throw std::logic_error("a SUT op is no control op");
  call(os_rules, args);
  call(model_rules, args);
}

}  // namespace mf::runner
