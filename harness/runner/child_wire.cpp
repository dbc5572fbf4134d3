#include "child_wire.h"

#include <cstring>

namespace mf::runner {

std::uint8_t WireIn::fail() {
  ok_ = false;
  pos_ = bytes_.size();
  return 0;
}

std::uint8_t WireIn::u8() {
  if (pos_ + 1 > bytes_.size()) return fail();
  return static_cast<std::uint8_t>(bytes_[pos_++]);
}

std::uint64_t WireIn::u64() {
  if (pos_ + 8 > bytes_.size()) return fail();
  std::uint64_t v;
  std::memcpy(&v, bytes_.data() + pos_, 8);
  pos_ += 8;
  return v;
}

std::string WireIn::str() {
  const std::uint64_t n = u64();
  if (!ok_ || n > bytes_.size() - pos_) {
    fail();
    return {};
  }
  std::string s(bytes_.substr(pos_, n));
  pos_ += n;
  return s;
}

void put_expectation(WireOut& out, std::size_t index, const ops::Expectation& e) {
  out.u8('O');
  out.u64(index);
  out.u8(static_cast<std::uint8_t>(e.kind));
  out.u64(e.number);
  out.u8(static_cast<std::uint8_t>(e.ptr.base));
  out.u8(e.ptr.start ? 1 : 0);
  out.u64(e.ptr.index);
  out.u64(e.ptr.offset);
}

ops::Expectation get_expectation(WireIn& in) {
  ops::Expectation e;
  e.kind = static_cast<ops::Expectation::Kind>(in.u8());
  e.number = in.u64();
  e.ptr.base = static_cast<ops::PtrExpr::Base>(in.u8());
  e.ptr.start = in.u8() != 0;
  e.ptr.index = static_cast<std::uint32_t>(in.u64());
  e.ptr.offset = in.u64();
  return e;
}

void put_result(WireOut& out, const RunResult& r) {
  out.u8('R');
  out.u8(static_cast<std::uint8_t>(r.verdict));
  out.str(r.invalid_reason);
  out.u64(r.ops_run);
  out.u64(r.ops_skipped);
  out.u8(r.exit_code ? 1 : 0);
  out.u64(r.exit_code.value_or(0));
  out.u64(r.exit_op.value_or(0));
  out.u8(r.not_implemented ? 1 : 0);
  out.u8(static_cast<std::uint8_t>(r.not_implemented.value_or(ops::OpCode{})));
  out.u8(r.divergence ? 1 : 0);
  if (r.divergence) {
    const Divergence& d = *r.divergence;
    out.u64(d.op_index);
    for (const std::string* s : {&d.op_text, &d.what, &d.expected, &d.actual, &d.sut_state, &d.model_state}) out.str(*s);
  }
}

void get_result(WireIn& in, RunResult& r) {
  r.verdict = static_cast<Verdict>(in.u8());
  r.invalid_reason = in.str();
  r.ops_run = in.u64();
  r.ops_skipped = in.u64();
  const bool exited = in.u8() != 0;
  const auto code = static_cast<int>(in.u64());
  const std::uint64_t op = in.u64();
  if (exited) {
    r.exit_code = code;
    r.exit_op = op;
  }
  const bool not_implemented = in.u8() != 0;
  const auto missing = static_cast<ops::OpCode>(in.u8());
  if (not_implemented) r.not_implemented = missing;
  if (in.u8() != 0) {
    Divergence d;
    d.op_index = in.u64();
    for (std::string* s : {&d.op_text, &d.what, &d.expected, &d.actual, &d.sut_state, &d.model_state}) *s = in.str();
    r.divergence = std::move(d);
  }
}

}  // namespace mf::runner
