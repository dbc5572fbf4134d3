// The per-op sequence of a differential run: resolve the operands, ask the
// model, call the SUT, compare, apply the effects, check what the op touched.

#include <stdexcept>

#include "morph_abi.h"
#include "os_binding.h"
#include "shim_return.h"
#include "session_impl.h"
#include "sut_state.h"
#include "text_format.h"

namespace mf::runner {

namespace {

using ops::Expectation;
using ops::OpCode;
using ops::PtrExpr;

// The SUT's globals are process-wide: one run at a time.
bool g_session_alive = false;
// Whether the SUT already ran in this process (matters when its globals
// cannot be restored).
bool g_sut_used_in_process = false;

}  // namespace

// ---- Session, the public face ----

Session::Session(ops::Target target, RunOptions options) {
  if (options.mode != OsMode::simulated) {
    throw std::invalid_argument("a Session runs in simulated mode; native runs go through run_trace");
  }
  impl_ = std::make_unique<Impl>(target, options, nullptr);
}
Session::~Session() = default;
StepStatus Session::step(const ops::Op& op) { return impl_->step(op); }
RunResult Session::finish() { return impl_->finish(); }
const RunResult& Session::result() const { return impl_->result(); }

// ---- Impl ----

Session::Impl::Impl(ops::Target target, RunOptions options, ChildChannel* channel)
    : target_(target), options_(options), channel_(channel), env_(simos::os_environment(options.mode)) {
  if (env_ == nullptr || !simos::select_os_mode(options.mode)) {
    throw std::invalid_argument("the linked OS binding has no " +
                                std::string(options.mode == OsMode::native ? "native" : "simulated") + " mode");
  }
  if (g_session_alive) throw std::logic_error("only one runner Session may exist at a time");
  if (options.mode == OsMode::simulated && g_sut_used_in_process && !simos::SutState::available()) {
    throw std::logic_error(
        "the SUT keeps no morph_state section, so its globals cannot be reset: one in-process run per process "
        "(run_trace forks instead)");
  }
  g_session_alive = true;
  if (options.mode == OsMode::simulated) g_sut_used_in_process = true;
  env_->begin_run(options.memory_limit);
  if (options.hang_interval_seconds > 0) hang_watch_.emplace(options.hang_interval_seconds, env_->rules());
  model_.os().set_memory_limit(options.memory_limit);
  if (options.mode == OsMode::simulated) {
    catch_simulated_exits(true);
    if (options.catch_faults) fault_trap_.emplace();
  }
}

Session::Impl::~Impl() {
  fault_trap_.reset();
  hang_watch_.reset();
  if (options_.mode == OsMode::simulated) catch_simulated_exits(false);
  env_->end_run();
  g_session_alive = false;
}

StepStatus Session::Impl::step(const ops::Op& op) {
  if (over_) return final_status_;
  current_op_ = &op;
  StepStatus status;
  if (!op.info().allowed_in(target_)) {
    status = invalid("op " + std::to_string(op_index_) + ": " + std::string(op.info().name) + " is not in target " +
                     std::string(ops::target_name(target_)));
  } else if (options_.mode == OsMode::native && ops::needs_simulated_os(op.info())) {
    status = invalid("op " + std::to_string(op_index_) + ": " + std::string(op.info().name) +
                     " needs the simulated OS's files: its target runs in simulated mode only");
  } else if (!sut_implements(op.code, target_)) {
    // Not a divergence and not a broken trace: the SUT offers no such
    // function, so the rest of this run cannot be checked.
    result_.not_implemented = op.code;
    status = invalid("op " + std::to_string(op_index_) + ": " + std::string(op.info().name) + " is " +
                     std::string(kNotImplemented));
  } else {
    status = op.info().control ? step_control(op) : step_sut(op);
  }
  ++op_index_;
  return status;
}

RunResult Session::Impl::finish() {
  if (!over_) {
    current_op_ = nullptr;
    if (std::optional<Problem> p = check_everything()) diverge(std::move(*p));
  }
  over_ = true;
  if (final_status_ == StepStatus::ok || final_status_ == StepStatus::skipped) final_status_ = StepStatus::exited;
  return result_;
}

StepStatus Session::Impl::step_control(const ops::Op& op) {
  apply_control_op(env_->rules(), model_.os(), op.code, {op.args[0].number, op.args[1].number, op.args[2].number});
  ++result_.ops_run;
  if (options_.check_expectations && op.expect.kind == Expectation::Kind::exit) {
    return diverge({"the trace expects an exit from a control op, which never exits",
                    ops::format_expectation(op.code, op.expect), "ok"});
  }
  record_observed(Expectation::returns());
  return StepStatus::ok;
}

Session::Impl::Operand Session::Impl::resolve(const PtrExpr& ptr) const {
  switch (ptr.base) {
    case PtrExpr::Base::null:
      return {};
    case PtrExpr::Base::abs:
      return {ptr.offset, model::Addr::raw(ptr.offset)};
    default:
      break;
  }
  const std::vector<Slot>& slots = slots_[static_cast<std::size_t>(ptr.kind())];
  if (ptr.index >= slots.size()) return {ptr.offset, model::Addr::raw(ptr.offset)};  // never created: reader-checked
  const Slot& slot = slots[ptr.index];
  std::uint64_t added = ptr.offset;
  if (ptr.start) added += ptr.kind() == ops::HandleKind::arena ? layout::ARENA_HDR_SIZE : layout::POOL_HDR_SIZE;
  if (slot.null) return {added, model::Addr::raw(added)};
  Operand operand{slot.sut + added, {}};
  // Page form is exact while the handle's page is live and the address stays
  // in it; otherwise only the absolute address means anything (the range may
  // now belong to another page), and the model canonicalises it itself.
  std::optional<std::uint64_t> base = pages_.base_of(slot.model.handle);
  const std::uint64_t page_offset = slot.model.offset + added;
  if (base && page_offset >= slot.model.offset && page_offset < model_.pages().page(slot.model.handle).size) {
    operand.model = model::Addr::page(slot.model.handle, page_offset);
  } else {
    operand.model = model::Addr::raw(operand.sut);
  }
  return operand;
}

model::Outcome Session::Impl::call_model(const ops::Op& op, const std::array<Operand, ops::kMaxArgs>& a) {
  return call_model_function(model_, op.code, a);
}

StepStatus Session::Impl::step_sut(const ops::Op& op) {
  const ops::OpInfo& info = op.info();
  std::array<Operand, ops::kMaxArgs> args{};
  for (std::size_t i = 0; i < info.arity; ++i) {
    const ops::SyntaxClass syntax = ops::syntax_of(info.args[i]);
    if (syntax == ops::SyntaxClass::number || syntax == ops::SyntaxClass::os_call) {
      args[i].sut = op.args[i].number;
    } else {
      args[i] = resolve(op.args[i].ptr);
    }
  }

  model::Outcome expected;
  try {
    expected = call_model(op, args);
  } catch (const std::exception& e) {
    return invalid("op " + std::to_string(op_index_) + ": the model cannot run it: " + e.what());
  }
  if (expected.is_unsafe()) {
    if (options_.unsafe_is_invalid) {
      return invalid("op " + std::to_string(op_index_) + " (" + ops::format_op(op) +
                     ") is outside the contract and cannot be run: " + expected.reason);
    }
    ++result_.ops_skipped;
    record_observed(Expectation::nothing());
    return StepStatus::skipped;
  }
  if (options_.check_expectations && op.expect.kind != Expectation::Kind::none) {
    if (std::optional<Problem> p = check_expectation(op, expected)) return diverge(std::move(*p));
  }

  if (info.allowed_in(ops::Target::daemon)) configure_cleaner(env_->rules().cleaner());
  if (info.allowed_in(ops::Target::meminfo)) configure_monitor(env_->rules().cleaner());
  if (channel_ != nullptr) channel_->before_sut(op_index_, expected.is_exit() ? expected.exit_code : -1);
  const bool meminfo = info.allowed_in(ops::Target::meminfo);
  const bool zeroed_stack = meminfo && env_->rules().cleaner().zeroed_stack;
  const std::uint64_t stack_address_depth = meminfo ? env_->rules().cleaner().stack_address_depth : 0;
  // The OS calls of a run's first SUT call return with garbage, those of its
  // second as Linux leaves the registers, and so on (shim_return.h): a SUT
  // that relies on a register a call may clobber goes wrong in the one, one
  // that relies on the value the kernel keeps there in the other, and a
  // trace that calls a function twice in a row meets both.
  simos::set_os_return_as_linux(sut_calls_++ % 2 == 1);
  const SutOutcome actual =
      call_sut(op.code, args[0].sut, args[1].sut, args[2].sut, ops::uses_checked_alloc_entry(target_), zeroed_stack,
               stack_address_depth);
  simos::set_os_return_as_linux(false);
  ++result_.ops_run;

  if (actual.kind == SutOutcome::Kind::hung) {
    const double interval = options_.hang_interval_seconds;
    const auto allowance = static_cast<double>(actual.hang_intervals);
    return diverge({"the SUT call did not return within the per-op budget",
                    "a return (or the contract's exit) within " + std::to_string(interval) +
                        " s of CPU time, plus as much again per " +
                        std::to_string(kHangBytesPerExtraInterval >> 20) + " MiB the SUT has mapped",
                    "still running after " + std::to_string(allowance * interval) + " to " +
                        std::to_string((allowance + 1) * interval) + " s of CPU time with " +
                        std::to_string(actual.hang_mapped_bytes >> 20) + " MiB mapped; stopped"});
  }
  if (expected.is_exit() || actual.kind != SutOutcome::Kind::returned) {
    if (std::optional<Problem> p = compare_exit(op, expected, actual)) return diverge(std::move(*p));
    result_.exit_code = actual.exit_code;
    result_.exit_op = op_index_;
    record_observed(Expectation::exits(actual.exit_code));
    // "Nothing is changed before a check that exits": everything must still
    // be as the model has it.
    if (std::optional<Problem> p = check_everything()) return diverge(std::move(*p));
    over_ = true;
    final_status_ = StepStatus::exited;
    return final_status_;
  }
  if (!actual.boundary_violation.empty()) {
    // Checked before anything else: the C++ caller's state may be broken.
    return diverge({"the SUT broke the calling convention", "rbx, rbp, r12-r15 and rsp as at the call, DF clear",
                    actual.boundary_violation});
  }
  if (expected.new_page) {
    if (std::optional<Problem> p = bind_new_page(*expected.new_page)) return diverge(std::move(*p));
  }
  if (std::optional<Problem> p = compare_result(op, expected, actual)) return diverge(std::move(*p));
  if (op.info().allowed_in(ops::Target::daemon)) {
    if (std::optional<Problem> p = compare_cleaner_effects(expected)) return diverge(std::move(*p));
  }
  if (std::optional<Problem> p = compare_log(expected)) return diverge(std::move(*p));
  if (std::optional<Problem> p = apply_effects(op, args, expected, actual)) return diverge(std::move(*p));
  if (std::optional<Problem> p = check_after(op, args, expected)) return diverge(std::move(*p));
  // Only a channel or a recording run wants the observed form (not fuzzing).
  if (channel_ != nullptr || options_.record_observed) record_observed(observed_form(op, args, expected, actual));
  return StepStatus::ok;
}

StepStatus Session::Impl::diverge(Problem problem) {
  Divergence d;
  d.op_index = op_index_;
  d.op_text = current_op_ != nullptr ? ops::format_op(*current_op_) : "(end of run)";
  d.what = std::move(problem.what);
  d.expected = std::move(problem.expected);
  d.actual = std::move(problem.actual);
  d.sut_state = dump_sut_state();
  d.model_state = dump_model_state();
  result_.verdict = Verdict::diverged;
  result_.divergence = std::move(d);
  over_ = true;
  final_status_ = StepStatus::diverged;
  return final_status_;
}

StepStatus Session::Impl::invalid(std::string reason) {
  result_.verdict = Verdict::invalid;
  result_.invalid_reason = std::move(reason);
  over_ = true;
  final_status_ = StepStatus::invalid;
  return final_status_;
}

void Session::Impl::record_observed(const ops::Expectation& what) {
  if (channel_ != nullptr) channel_->observed(op_index_, what);
  if (!options_.record_observed) return;
  if (result_.observed.size() <= op_index_) result_.observed.resize(op_index_ + 1);
  result_.observed[op_index_] = what;
}

std::uint32_t Session::Impl::slot_object(ops::HandleKind kind, std::uint32_t index) const {
  const std::vector<Slot>& slots = slots_[static_cast<std::size_t>(kind)];
  return index < slots.size() ? slots[index].object : kNoObject;
}

std::uint32_t Session::Impl::operand_object(ops::HandleKind kind, const ops::Op& op, const Operand& operand) const {
  // Usually the object of the operand's handle.  When that one is dead, the
  // pointer may now be another, live arena or pool at the same address (its
  // block was freed by a plain mem_free and reused): the model resolves
  // pointers by address, so the runner must too.
  const std::uint32_t own = slot_object(kind, op.args[0].ptr.index);
  const bool arena = kind == ops::HandleKind::arena;
  if (own != kNoObject) {
    const bool live = arena ? arenas_[own].live && arenas_[own].header == operand.sut
                            : pools_[own].live && pools_[own].header == operand.sut;
    if (live) return own;
  }
  const model::Addr at = model_.canonical(operand.model);
  if (arena) {
    std::optional<model::ArenaHandle> h = model_.arenas().live_arena_at(at);
    return h && *h < arena_by_model_.size() ? arena_by_model_[*h] : kNoObject;
  }
  std::optional<model::PoolHandle> h = model_.pools().live_pool_at(at);
  return h && *h < pool_by_model_.size() ? pool_by_model_[*h] : kNoObject;
}

// ---- free functions of runner.h ----

bool mode_available(OsMode mode) { return simos::os_environment(mode) != nullptr; }

}  // namespace mf::runner
