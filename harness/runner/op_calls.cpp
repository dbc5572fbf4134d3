#include "op_calls.h"

#include <stdexcept>
#include <type_traits>

// The SUT's op functions are weak here: a SUT may lack any (morph_abi.h).
#define MF_SUT_OPS_OPTIONAL
#include "morph_abi.h"
#include "os_rules.h"

namespace mf::runner {

namespace {

template <typename T>
std::uint64_t raw(T value) {
  if constexpr (std::is_pointer_v<T>) {
    return reinterpret_cast<std::uint64_t>(value);
  } else {
    return static_cast<std::uint64_t>(value);
  }
}

template <typename T>
T* as(std::uint64_t v) {
  return reinterpret_cast<T*>(v);
}

using ModelFunction = model::Outcome (*)(model::Model&, const Operands&);
using ControlFunction = void (*)(model::OsRules&, const RawArgs&);
using ImplementedFunction = bool (*)(bool checked_alloc_entry);

// One namespace per row, named after it, holding its calls: `sut` and
// `model` for a SUT op (numbers go to the model as they are, .sut; pointers
// in the model's form, .model), and `implemented`, whether the SUT has the
// function (its address is null when it lacks it); `control` for a control
// op, which changes one OsRules (apply_control_op calls it on the OS's and
// on the model's).  What a row does not define it takes from no_call: null.
namespace no_call {
inline constexpr std::nullptr_t sut = nullptr;
inline constexpr std::nullptr_t model = nullptr;
inline constexpr std::nullptr_t control = nullptr;
inline constexpr std::nullptr_t implemented = nullptr;
}  // namespace no_call

using model::Model;
using model::Outcome;

namespace arena_create_op {
using namespace no_call;
bool implemented(bool) { return &::arena_create != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return raw(::arena_create(a[0])); }
Outcome model(Model& m, const Operands& a) { return m.arena_create(a[0].sut); }
}  // namespace arena_create_op

namespace arena_alloc_op {
using namespace no_call;
bool implemented(bool) { return &::arena_alloc != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return raw(::arena_alloc(as<MfArenaHeader>(a[0]), a[1])); }
Outcome model(Model& m, const Operands& a) { return m.arena_alloc(a[0].model, a[1].sut); }
}  // namespace arena_alloc_op

namespace arena_reset_op {
using namespace no_call;
bool implemented(bool) { return &::arena_reset != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return ::arena_reset(as<MfArenaHeader>(a[0])), 0; }
Outcome model(Model& m, const Operands& a) { return m.arena_reset(a[0].model); }
}  // namespace arena_reset_op

namespace arena_usage_op {
using namespace no_call;
bool implemented(bool) { return &::arena_get_usage != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return ::arena_get_usage(as<MfArenaHeader>(a[0])); }
Outcome model(Model& m, const Operands& a) { return m.arena_get_usage(a[0].model); }
}  // namespace arena_usage_op

namespace arena_capacity_op {
using namespace no_call;
bool implemented(bool) { return &::arena_get_capacity != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return ::arena_get_capacity(as<MfArenaHeader>(a[0])); }
Outcome model(Model& m, const Operands& a) { return m.arena_get_capacity(a[0].model); }
}  // namespace arena_capacity_op

namespace arena_destroy_op {
using namespace no_call;
bool implemented(bool) { return &::arena_destroy != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return ::arena_destroy(as<MfArenaHeader>(a[0])), 0; }
Outcome model(Model& m, const Operands& a) { return m.arena_destroy(a[0].model); }
}  // namespace arena_destroy_op

namespace pool_create_op {
using namespace no_call;
bool implemented(bool) { return &::pool_create != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return raw(::pool_create(a[0], a[1])); }
Outcome model(Model& m, const Operands& a) { return m.pool_create(a[0].sut, a[1].sut); }
}  // namespace pool_create_op

namespace pool_alloc_op {
using namespace no_call;
bool implemented(bool) { return &::pool_alloc != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return raw(::pool_alloc(as<MfPoolHeader>(a[0]))); }
Outcome model(Model& m, const Operands& a) { return m.pool_alloc(a[0].model); }
}  // namespace pool_alloc_op

namespace pool_free_op {
using namespace no_call;
bool implemented(bool) { return &::pool_free != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return ::pool_free(as<MfPoolHeader>(a[0]), as<void>(a[1])), 0; }
Outcome model(Model& m, const Operands& a) { return m.pool_free(a[0].model, a[1].model); }
}  // namespace pool_free_op

namespace pool_destroy_op {
using namespace no_call;
bool implemented(bool) { return &::pool_destroy != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return ::pool_destroy(as<MfPoolHeader>(a[0])), 0; }
Outcome model(Model& m, const Operands& a) { return m.pool_destroy(a[0].model); }
}  // namespace pool_destroy_op

namespace mem_alloc_op {
using namespace no_call;
bool implemented(bool checked) { return checked ? &::__mf_mem_alloc != nullptr : &::mem_alloc != nullptr; }
std::uint64_t sut(const RawArgs& a, bool checked) { return raw(checked ? ::__mf_mem_alloc(a[0]) : ::mem_alloc(a[0])); }
Outcome model(Model& m, const Operands& a) { return m.mem_alloc(a[0].sut); }
}  // namespace mem_alloc_op

namespace mem_free_op {
using namespace no_call;
bool implemented(bool checked) { return checked ? &::__mf_mem_free != nullptr : &::mem_free != nullptr; }
std::uint64_t sut(const RawArgs& a, bool checked) {
  if (checked) {
    ::__mf_mem_free(as<void>(a[0]), a[1]);
  } else {
    ::mem_free(as<void>(a[0]), a[1]);
  }
  return 0;
}
Outcome model(Model& m, const Operands& a) { return m.mem_free(a[0].model, a[1].sut); }
}  // namespace mem_free_op

namespace load_i64_op {
using namespace no_call;
bool implemented(bool) { return &::__mf_load_i64 != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return raw(::__mf_load_i64(as<const void>(a[0]))); }
Outcome model(Model& m, const Operands& a) { return m.load_i64(a[0].model); }
}  // namespace load_i64_op

namespace poke_i64_op {
using namespace no_call;
bool implemented(bool) { return &::__mf_poke_i64 != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return ::__mf_poke_i64(as<void>(a[0]), static_cast<std::int64_t>(a[1])), 0; }
Outcome model(Model& m, const Operands& a) { return m.poke_i64(a[0].model, a[1].sut); }
}  // namespace poke_i64_op

namespace load_byte_op {
using namespace no_call;
bool implemented(bool) { return &::__mf_load_byte != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return ::__mf_load_byte(as<const void>(a[0])); }
Outcome model(Model& m, const Operands& a) { return m.load_byte(a[0].model); }
}  // namespace load_byte_op

namespace poke_byte_op {
using namespace no_call;
bool implemented(bool) { return &::__mf_poke_byte != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return ::__mf_poke_byte(as<void>(a[0]), a[1]), 0; }
Outcome model(Model& m, const Operands& a) { return m.poke_byte(a[0].model, a[1].sut); }
}  // namespace poke_byte_op

namespace memcpy_op {
using namespace no_call;
bool implemented(bool) { return &::__mf_memcpy != nullptr; }
std::uint64_t sut(const RawArgs& a, bool) { return raw(::__mf_memcpy(as<void>(a[0]), as<const void>(a[1]), a[2])); }
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

struct Calls {
  SutFunction sut;
  ModelFunction model;
  ControlFunction control;
  ImplementedFunction implemented;
};

// In row (OpCode) order.
constexpr std::array<Calls, ops::kOpCount> kCalls = {
#define MF_OP_CALLS(name, ...) \
  Calls{name##_op::sut, name##_op::model, name##_op::control, name##_op::implemented},
    MF_OP_LIST(MF_OP_CALLS)
#undef MF_OP_CALLS
};

// A SUT op has both its calls, a control op its control call, and no more.
constexpr bool calls_match_rows() {
  for (const ops::OpInfo& op : ops::kOpTable) {
    const Calls& c = kCalls[static_cast<std::size_t>(op.code)];
    if ((c.sut == nullptr) != op.control || (c.model == nullptr) != op.control ||
        (c.implemented == nullptr) != op.control || (c.control == nullptr) == op.control) {
      return false;
    }
  }
  return true;
}
static_assert(calls_match_rows(),
              "every SUT op has its SUT, model and implemented calls, every control op its control call");

}  // namespace

bool sut_implements(ops::OpCode code, ops::Target target) {
  const ImplementedFunction implemented = kCalls[static_cast<std::size_t>(code)].implemented;
  return implemented == nullptr || implemented(ops::uses_checked_alloc_entry(target));
}

std::vector<ops::OpCode> ops_not_implemented(ops::Target target) {
  std::vector<ops::OpCode> missing;
  for (ops::OpCode code : ops::sut_ops_of(target)) {
    if (!sut_implements(code, target)) missing.push_back(code);
  }
  return missing;
}

std::uint64_t call_sut_function(ops::OpCode code, const RawArgs& args, bool checked_alloc_entry) {
  return kCalls[static_cast<std::size_t>(code)].sut(args, checked_alloc_entry);
}

SutFunction sut_function(ops::OpCode code) { return kCalls[static_cast<std::size_t>(code)].sut; }

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
