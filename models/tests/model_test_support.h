// Helpers shared by the model's tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model.h"

namespace mf::model::testing {

// Fails the test with every violated invariant listed.
inline void expect_sound(const Model& model) {
  std::vector<std::string> bad = model.check_invariants();
  std::string all;
  for (const std::string& s : bad) all += "\n  " + s;
  EXPECT_TRUE(bad.empty()) << "violated invariants:" << all;
}

inline void expect_pointer(const Outcome& out, Addr expected) {
  ASSERT_EQ(out.kind, OutcomeKind::Pointer) << to_string(out);
  EXPECT_EQ(out.pointer, expected) << to_string(out) << " expected " << to_string(expected);
}

inline void expect_null(const Outcome& out) { expect_pointer(out, Addr::null()); }

inline void expect_exit(const Outcome& out, int code) {
  ASSERT_EQ(out.kind, OutcomeKind::Exit) << to_string(out);
  EXPECT_EQ(out.exit_code, code) << to_string(out);
}

inline void expect_number(const Outcome& out, std::uint64_t value) {
  ASSERT_EQ(out.kind, OutcomeKind::Number) << to_string(out);
  EXPECT_EQ(out.number, value);
  EXPECT_EQ(out.known_mask, ~std::uint64_t{0}) << "some bytes unknown";
}

inline void expect_void(const Outcome& out) { EXPECT_EQ(out.kind, OutcomeKind::Void) << to_string(out); }
inline void expect_unsafe(const Outcome& out) { EXPECT_EQ(out.kind, OutcomeKind::Unsafe) << to_string(out); }

// Canonical address of a pointer result (asserting it is one).
inline Addr pointer_of(const Outcome& out) {
  EXPECT_EQ(out.kind, OutcomeKind::Pointer) << to_string(out);
  return out.pointer;
}

}  // namespace mf::model::testing
