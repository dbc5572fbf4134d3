// remove_ops keeps handle numbering consistent, and divergence_signature
// ignores the numbers that change from one trace to the next.
#include <gtest/gtest.h>

#include "divergence_signature.h"
#include "text_format.h"
#include "trace_edit.h"

namespace {

using mf::ops::Trace;

Trace read(const std::string& body, const char* target = "arena") {
  mf::ops::TextReadResult r = mf::ops::read_text_trace(std::string("# mfh trace v1 target=") + target + "\n" + body);
  EXPECT_TRUE(r.trace.has_value()) << mf::ops::to_string(r.error);
  return r.trace.value_or(Trace{});
}

std::string text(const Trace& t) { return mf::ops::write_text_trace(t); }

TEST(TraceEdit, RemovingACreationRenumbersLaterHandles) {
  const Trace t = read(
      "arena_create 64 -> a0\n"
      "arena_create 128 -> a1\n"
      "arena_alloc a1 8 -> a1.start+0\n"
      "arena_usage a1 -> 8\n");
  const Trace out = mf::mfh::remove_ops(t, {false, true, true, true});
  EXPECT_EQ(text(out), text(read(
                           "arena_create 128 -> a0\n"
                           "arena_alloc a0 8 -> a0.start+0\n"
                           "arena_usage a0 -> 8\n")));
}

TEST(TraceEdit, OpsNamingARemovedHandleGoToo) {
  const Trace t = read(
      "mem_alloc 16 -> m0\n"
      "mem_alloc 32 -> m1\n"
      "poke_i64 m0+8 7 -> ok\n"
      "memcpy m1 m0 8 -> m1\n"
      "load_i64 m1 -> 0x0\n",
      "builtins");
  const Trace out = mf::mfh::remove_ops(t, {false, true, true, true, true});
  // poke and memcpy name m0; the load only m1, now m0.
  EXPECT_EQ(text(out), text(read("mem_alloc 32 -> m0\nload_i64 m0 -> 0x0\n", "builtins")));
  // Whatever is removed, the result reads back.
  for (std::size_t drop = 0; drop < t.ops.size(); ++drop) {
    std::vector<bool> keep(t.ops.size(), true);
    keep[drop] = false;
    const Trace edited = mf::mfh::remove_ops(t, keep);
    EXPECT_TRUE(mf::ops::read_text_trace(text(edited)).trace.has_value()) << text(edited);
  }
}

TEST(TraceEdit, PrefixAndWithoutExpectations) {
  const Trace t = read("arena_create 64 -> a0\narena_usage a0 -> 0\narena_reset a0 -> ok\n");
  EXPECT_EQ(mf::mfh::prefix(t, 2).ops.size(), 2u);
  for (const auto& op : mf::mfh::without_expectations(t).ops) {
    EXPECT_EQ(op.expect.kind, mf::ops::Expectation::Kind::none);
  }
}

TEST(DivergenceSignature, IgnoresNumbersButNotTheCheck) {
  mf::runner::Divergence a;
  a.op_text = "arena_alloc a3 40";
  a.what = "a3 header: current differs";
  a.expected = "1";
  mf::runner::Divergence b = a;
  b.op_text = "arena_alloc a0 8 -> a0.start+0";
  b.what = "a0 header: current differs";
  b.expected = "2";
  using mf::runner::divergence_signature;
  EXPECT_EQ(divergence_signature(mf::ops::Target::arena, a), divergence_signature(mf::ops::Target::arena, b));
  EXPECT_EQ(to_string(divergence_signature(mf::ops::Target::arena, a)),
            "MF-DIVERGENCE target=arena op=arena_alloc field=aN_header_current_differs");

  mf::runner::Divergence other_field = a;
  other_field.what = "a3 header: end differs";
  EXPECT_NE(divergence_signature(mf::ops::Target::arena, a), divergence_signature(mf::ops::Target::arena, other_field));
  mf::runner::Divergence other_op = a;
  other_op.op_text = "arena_reset a3";
  EXPECT_NE(divergence_signature(mf::ops::Target::arena, a), divergence_signature(mf::ops::Target::arena, other_op));
  EXPECT_NE(divergence_signature(mf::ops::Target::arena, a), divergence_signature(mf::ops::Target::mixed, a));
  mf::runner::Divergence end = a;
  end.op_text = "(end of run)";
  EXPECT_EQ(divergence_signature(mf::ops::Target::arena, end).op, "end_of_run");
}

}  // namespace
