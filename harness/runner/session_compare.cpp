// Comparing one op's outcome: the model's with the trace's expectation, the
// SUT's with the model's; and the outcome in trace terms for the record.

#include <cstdio>

#include "exit_message.h"
#include "morph_abi.h"
#include "session_impl.h"
#include "text_format.h"
#include "hex_text.h"

namespace mf::runner {

namespace {

using ops::Expectation;
using ops::PtrExpr;
using ops::ResultKind;


std::string describe(const SutOutcome& outcome, std::string_view captured) {
  switch (outcome.kind) {
    case SutOutcome::Kind::returned:
      return "returned " + hex(outcome.value);
    case SutOutcome::Kind::exited: {
      std::string text = "exit " + std::to_string(outcome.exit_code);
      if (!captured.empty()) text += ", stderr: " + std::string(captured.substr(0, 200));
      while (!text.empty() && text.back() == '\n') text.pop_back();
      return text;
    }
    case SutOutcome::Kind::faulted:
      return "fault: signal " + std::to_string(outcome.signal) + " at " + hex(outcome.fault_address);
    case SutOutcome::Kind::hung:
      return "did not return (stopped at the per-op budget)";
  }
  return "?";
}

}  // namespace

std::optional<Problem> Session::Impl::check_expectation(const ops::Op& op, const model::Outcome& outcome) const {
  const Expectation& e = op.expect;
  bool matches = false;
  switch (e.kind) {
    case Expectation::Kind::none:
      return std::nullopt;
    case Expectation::Kind::exit:
      matches = outcome.is_exit() && static_cast<std::uint64_t>(outcome.exit_code) == e.number;
      break;
    case Expectation::Kind::ok:
      matches = !outcome.is_exit();
      break;
    case Expectation::Kind::number:
      matches = outcome.kind == model::OutcomeKind::Number && ((outcome.number ^ e.number) & outcome.known_mask) == 0;
      break;
    case Expectation::Kind::pointer:
      if (outcome.kind != model::OutcomeKind::Pointer) break;
      if (e.ptr.base == PtrExpr::Base::null) {
        matches = outcome.pointer.is_null();
      } else if (op.info().creates_handle()) {
        matches = !outcome.pointer.is_null();  // the reader checked that it names this op's handle
      } else {
        matches = model_.canonical(resolve(e.ptr).model) == outcome.pointer;
      }
      break;
  }
  if (matches) return std::nullopt;
  return Problem{"the model disagrees with the trace's expectation", ops::format_expectation(op.code, e),
                 model::to_string(outcome)};
}

std::optional<Problem> Session::Impl::compare_exit(const ops::Op& op, const model::Outcome& expected,
                                                   const SutOutcome& actual) {
  const std::string_view captured = env_->captured_stderr().substr(stderr_seen_);
  if (expected.is_exit()) {
    if (actual.kind == SutOutcome::Kind::exited && actual.exit_code == expected.exit_code) {
      return check_exit_message(op, actual.exit_code);
    }
    return Problem{"the SUT did not exit as the contract says",
                   "exit " + std::to_string(expected.exit_code) + " (" + expected.reason + ")",
                   describe(actual, captured)};
  }
  return Problem{actual.kind == SutOutcome::Kind::exited ? "the SUT exited where the contract says it returns"
                                                         : "the SUT faulted",
                 model::to_string(expected), describe(actual, captured)};
}

namespace {
// A log for a report line: its newlines and other control bytes visible.
std::string visible(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c > 0x7e) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}
}  // namespace

std::optional<Problem> Session::Impl::compare_log(const model::Outcome& expected) {
  const std::string_view written = env_->captured_stderr().substr(stderr_seen_);
  std::optional<Problem> problem;
  if (written != expected.log) {
    if (expected.log.empty()) {
      problem = Problem{"the SUT wrote to stderr without exiting", "nothing", std::string(written.substr(0, 200))};
    } else {
      problem = Problem{"the SUT's log differs from the model's", visible(expected.log), visible(written)};
    }
  }
  // Compared: the next op's output starts afresh, however long the run.
  env_->forget_stderr();
  stderr_seen_ = 0;
  return problem;
}

std::optional<Problem> Session::Impl::compare_cleaner_effects(const model::Outcome& expected) {
  const auto pids = [](const std::vector<std::int64_t>& list) {
    std::string out;
    for (std::int64_t pid : list) out += (out.empty() ? "" : " ") + std::to_string(pid);
    return out.empty() ? std::string("none") : out;
  };
  const std::vector<std::int64_t> sent = env_->take_signals();
  if (sent != expected.signals) {
    return Problem{"the SUT signalled other processes than the model", pids(expected.signals), pids(sent)};
  }
  const auto names = [](const model::daemon::CleanerWorld& world) {
    std::string out;
    for (const model::daemon::Entry& e : world.dir.entries) out += (out.empty() ? "" : " ") + visible(e.name);
    return out.empty() ? std::string("(empty)") : out;
  };
  const std::string left = names(env_->rules().cleaner());
  const std::string predicted = names(model_.os().cleaner());
  if (left != predicted) return Problem{"the monitor directory differs from the model's", predicted, left};
  return std::nullopt;
}

std::optional<Problem> Session::Impl::check_exit_message(const ops::Op& op, int code) const {
  std::optional<std::string> problem =
      exit_message_problem(env_->captured_stderr().substr(stderr_seen_), code, op.info().panic_names);
  if (!problem) return std::nullopt;
  return Problem{"the exit message is wrong", "exit " + std::to_string(code) + " with the contract's one line",
                 *problem};
}

std::optional<Problem> Session::Impl::compare_result(const ops::Op& op, const model::Outcome& expected,
                                                     const SutOutcome& actual) {
  switch (op.info().result) {
    case ResultKind::none:
      return std::nullopt;
    case ResultKind::number:
      if (expected.number == actual.value) return std::nullopt;
      return Problem{"the result differs", std::to_string(expected.number), std::to_string(actual.value)};
    case ResultKind::bits:
      if (((expected.number ^ actual.value) & expected.known_mask) == 0) return std::nullopt;
      return Problem{"the loaded value differs",
                     hex(expected.number) + (expected.known_mask == ~std::uint64_t{0}
                                                 ? ""
                                                 : " (known bytes: mask " + hex(expected.known_mask) + ")"),
                     hex(actual.value)};
    default:
      break;
  }
  // Pointers: compared as page + offset, never as raw addresses.
  const model::Addr& want = expected.pointer;
  bool same = false;
  if (want.is_null()) {
    same = actual.value == 0;
  } else if (want.base == model::Base::Raw) {
    same = actual.value == want.offset;
  } else {
    std::optional<model::Addr> got = pages_.locate(actual.value);
    same = got && *got == want;
  }
  if (same) return std::nullopt;
  std::string want_text = model::to_string(want);
  if (std::optional<std::uint64_t> abs = pages_.absolute(want); abs && !want.is_null()) want_text += " = " + hex(*abs);
  return Problem{"the result differs", want_text, pages_.describe(actual.value) + " = " + hex(actual.value)};
}

ops::Expectation Session::Impl::observed_form(const ops::Op& op, const std::array<Operand, ops::kMaxArgs>& args,
                                              const model::Outcome& outcome, const SutOutcome& actual) const {
  (void)outcome;
  const ops::OpInfo& info = op.info();
  switch (info.result) {
    case ResultKind::none:
      return Expectation::returns();
    case ResultKind::number:
    case ResultKind::bits:
      return Expectation::value(actual.value);
    case ResultKind::new_arena:
    case ResultKind::new_pool:
    case ResultKind::new_block: {
      if (actual.value == 0) return Expectation::pointer_to(PtrExpr::null());
      const ops::HandleKind kind = *ops::created_kind(op.code);
      const auto index = static_cast<std::uint32_t>(slots_[static_cast<std::size_t>(kind)].size() - 1);
      return Expectation::pointer_to(PtrExpr::handle(kind, index));
    }
    case ResultKind::pointer:
      break;
  }
  if (actual.value == 0) return Expectation::pointer_to(PtrExpr::null());
  const ops::Effect effect = op.info().effect;
  // A copy returns its destination; an arena's or pool's allocation is
  // written relative to the start of its owner's memory.
  if (effect == ops::Effect::copy && actual.value == args[0].sut) return Expectation::pointer_to(op.args[0].ptr);
  if (effect == ops::Effect::arena_bump || effect == ops::Effect::pool_take) {
    const PtrExpr& owner = op.args[0].ptr;
    const std::uint64_t header = slots_[static_cast<std::size_t>(owner.kind())][owner.index].sut;
    const std::uint64_t start =
        header + (effect == ops::Effect::arena_bump ? layout::ARENA_HDR_SIZE : layout::POOL_HDR_SIZE);
    return Expectation::pointer_to(PtrExpr::handle(owner.kind(), owner.index, true, actual.value - start));
  }
  return Expectation::pointer_to(PtrExpr::absolute(actual.value));
}

}  // namespace mf::runner
