// outcome.h - what one operation of the model produced.
//
// Every operation returns an Outcome, whose `kind` says which fields matter:
//
//   Void     the function returns nothing (arena_reset, mem_free, ...).
//   Number   `number` is the result; for loads, only the bytes selected by
//            `known_mask` are predicted (a byte of 0xFF in the mask = that
//            byte of the result is known; compare (actual & known_mask) ==
//            (number & known_mask)).
//   Pointer  `pointer` is the result, canonical (Page + offset, or null).
//   Exit     the process exits with `exit_code` (110, 111, 112).  Exits are
//            final: Model refuses every later operation.  Nothing changed.
//   Unsafe   the contract leaves this call undefined here, or the access would
//            touch memory that is not a live user region (it passes the 110/111
//            checks, so the real code would perform it).  The runner must not
//            execute it in-process; the model state is unchanged.
//
// The optional fields tell the runner which new handles the operation made,
// so that it can bind them to the real addresses (e.g. a new page's base is
// real result - pointer.offset), and which pages went back to the OS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "addr.h"

namespace mf::model {

enum class OutcomeKind : std::uint8_t { Void, Number, Pointer, Exit, Unsafe };

struct Outcome {
  OutcomeKind kind = OutcomeKind::Void;
  std::uint64_t number = 0;
  std::uint64_t known_mask = ~std::uint64_t{0};
  Addr pointer;
  int exit_code = 0;
  std::string reason;  // why an Exit or Unsafe happened, for reports
  std::string log;     // what the call writes to stderr while returning (the cleaner's log)
  std::vector<std::int64_t> signals;  // the pids the call sends a signal (the cleaner's SIGUSR2)

  std::optional<PageHandle> new_page;      // a page mapped by this operation
  std::optional<BlockHandle> new_block;    // a block mem_alloc handed out
  std::optional<ArenaHandle> new_arena;
  std::optional<PoolHandle> new_pool;
  std::optional<BlockHandle> freed_block;  // a block a successful mem_free released
  std::vector<PageHandle> released_pages;  // pages unlinked (unmapped, or leaked)

  static Outcome nothing() { return {}; }
  static Outcome value(std::uint64_t n, std::uint64_t mask = ~std::uint64_t{0});
  static Outcome ptr(Addr p);
  static Outcome null_ptr() { return ptr(Addr::null()); }
  static Outcome exit(int code, std::string why);
  static Outcome unsafe(std::string why);

  bool is_exit() const { return kind == OutcomeKind::Exit; }
  bool is_unsafe() const { return kind == OutcomeKind::Unsafe; }
};

// One line, e.g. "pointer page 0+0x260 (new page 0, new block 0)", "exit 111 (...)".
std::string to_string(const Outcome& outcome);

}  // namespace mf::model
