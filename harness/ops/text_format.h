// text_format.h - the human form of a trace (grammar: docs/traces.md).
//
//   # mfh trace v1 target=arena
//   arena_create 4096                    -> a0
//   arena_alloc a0 1                     -> a0.start+0
//   arena_alloc null 8                   -> exit 110
//
// write_text_trace(read_text_trace(t)) reads back to the same ops.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "op.h"

namespace mf::ops {

inline constexpr std::string_view kTextHeaderPrefix = "# mfh trace v1 target=";

struct TraceError {
  std::size_t line = 0;  // 1-based; 0 when the error concerns the whole input
  std::string message;
};
std::string to_string(const TraceError& error);  // "line 3: unknown op 'arena_alocc'"

struct TextReadResult {
  std::optional<Trace> trace;  // set on success
  TraceError error;            // meaningful when trace is empty
};

// Parses a whole text trace.  Stops at the first error: unknown op, wrong
// argument count, bad number, bad pointer, op not in the header's target,
// bad header, a handle referenced before the op that creates it, or an
// expectation that does not fit the op's result.
TextReadResult read_text_trace(std::string_view text);

// Whether bytes are meant as a text trace: they start with the header
// prefix, or with '#' and hold only printable text (a damaged header is then
// reported as a bad header instead of being decoded as binary).
bool looks_like_text_trace(std::string_view bytes);

std::string header_line(Target target);          // without the newline
std::string format_ptr(const PtrExpr& ptr);      // "a0.start+16", "null", "abs:0xfff"
std::string format_expectation(OpCode code, const Expectation& expect);  // "a0.start+0", "exit 110"
std::string format_op(const Op& op);             // one line without newline, expectation included
std::string write_text_trace(const Trace& trace);  // header and one line per op, each ending in '\n'

}  // namespace mf::ops
