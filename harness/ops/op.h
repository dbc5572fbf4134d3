// op.h - one op of a trace, with its operands and optional expectation, as
// every engine (text, binary, runner, generators) passes it around.
//
// Pointers are never machine addresses: they name a handle (a<i>, p<i>, m<i>)
// plus an offset, or an absolute address that is only ever meaningful in the
// check-failing zones (the null page, beyond user space).
//
// Handles are numbered by the position of their creating op among the ops of
// the same kind: the i-th arena_create of a trace creates a<i>, whether or not
// it succeeds.  A handle whose creating op returned 0 stands for the null
// pointer.  This keeps numbering a static property of the trace, so that the
// reader can check references and an edited trace keeps its meaning.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

#include "op_table.h"

namespace mf::ops {

enum class HandleKind : std::uint8_t { arena, pool, block };
inline constexpr std::size_t kHandleKinds = 3;
char handle_letter(HandleKind kind);  // 'a', 'p', 'm'

// <handle>[.start][+|-offset], null, or abs:<hex>.
struct PtrExpr {
  enum class Base : std::uint8_t { null, abs, arena, pool, block };
  Base base = Base::null;
  bool start = false;        // ".start": the handle's data start (arena header + 32, pool header + 48)
  std::uint32_t index = 0;   // the handle number, for arena / pool / block
  std::uint64_t offset = 0;  // added modulo 2^64; for abs, the address itself

  static constexpr PtrExpr null() { return {}; }
  static constexpr PtrExpr absolute(std::uint64_t address) { return {Base::abs, false, 0, address}; }
  static constexpr PtrExpr handle(HandleKind kind, std::uint32_t index, bool start = false, std::uint64_t offset = 0) {
    return {kind == HandleKind::arena ? Base::arena : kind == HandleKind::pool ? Base::pool : Base::block, start,
            index, offset};
  }
  constexpr bool is_handle() const { return base == Base::arena || base == Base::pool || base == Base::block; }
  constexpr HandleKind kind() const {
    return base == Base::arena ? HandleKind::arena : base == Base::pool ? HandleKind::pool : HandleKind::block;
  }
  // The handle itself, nothing added: what a destroy or free kills.
  constexpr bool is_exact_handle() const { return is_handle() && !start && offset == 0; }

  friend constexpr bool operator==(const PtrExpr&, const PtrExpr&) = default;
};

// One operand.  Numeric kinds (and os_call, as an OsCall value) use `number`;
// arena, pool and pointer kinds use `ptr`.
struct Arg {
  std::uint64_t number = 0;
  PtrExpr ptr;
  friend constexpr bool operator==(const Arg&, const Arg&) = default;
};

// What the trace says the op must do.  Replay checks both the SUT and the
// model against it.
struct Expectation {
  enum class Kind : std::uint8_t {
    none,     // nothing said
    ok,       // returns normally (void ops)
    exit,     // the process exits with `number`
    number,   // returns `number` (number and bits results)
    pointer,  // returns the address `ptr` (0 is PtrExpr::null()); for a
              // creation, the handle it creates
  };
  Kind kind = Kind::none;
  std::uint64_t number = 0;
  PtrExpr ptr;

  static constexpr Expectation nothing() { return {}; }
  static constexpr Expectation returns() { return {Kind::ok, 0, {}}; }
  static constexpr Expectation exits(int code) { return {Kind::exit, static_cast<std::uint64_t>(code), {}}; }
  static constexpr Expectation value(std::uint64_t n) { return {Kind::number, n, {}}; }
  static constexpr Expectation pointer_to(PtrExpr p) { return {Kind::pointer, 0, p}; }

  friend constexpr bool operator==(const Expectation&, const Expectation&) = default;
};

struct Op {
  OpCode code = OpCode::clock_advance;
  std::array<Arg, kMaxArgs> args{};
  Expectation expect;

  const OpInfo& info() const { return ops::info(code); }
  friend constexpr bool operator==(const Op&, const Op&) = default;
};

struct Trace {
  Target target = Target::mixed;
  std::vector<Op> ops;
  friend bool operator==(const Trace&, const Trace&) = default;
};

// Convenience constructors, for tests and generators.
Op make_op(OpCode code, std::initializer_list<Arg> args, Expectation expect = {});
inline Arg num(std::uint64_t n) { return Arg{n, {}}; }
inline Arg ptr(PtrExpr p) { return Arg{0, p}; }
inline Arg arena_ref(std::uint32_t i) { return ptr(PtrExpr::handle(HandleKind::arena, i)); }
inline Arg pool_ref(std::uint32_t i) { return ptr(PtrExpr::handle(HandleKind::pool, i)); }
inline Arg block_ref(std::uint32_t i, std::uint64_t offset = 0) {
  return ptr(PtrExpr::handle(HandleKind::block, i, false, offset));
}
inline Arg null_ref() { return ptr(PtrExpr::null()); }

// The handle an op creates (its kind and number), given how many ops of each
// creating kind came before it; counts advances past it.
struct HandleCounts {
  std::array<std::uint32_t, kHandleKinds> created{};
  std::uint32_t& of(HandleKind kind) { return created[static_cast<std::size_t>(kind)]; }
  std::uint32_t of(HandleKind kind) const { return created[static_cast<std::size_t>(kind)]; }
};
// The kind of handle `code` creates, if it creates one.
std::optional<HandleKind> created_kind(OpCode code);

}  // namespace mf::ops
