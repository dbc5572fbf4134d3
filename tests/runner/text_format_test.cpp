// The text form of traces (harness/ops/text_format.h): what it reads, what it
// rejects (with the line), and that the writer's output reads back the same.

#include <gtest/gtest.h>

#include <string>

#include "text_format.h"

namespace {

using namespace mf::ops;

Trace read_ok(const std::string& text) {
  TextReadResult r = read_text_trace(text);
  EXPECT_TRUE(r.trace.has_value()) << to_string(r.error);
  return r.trace.value_or(Trace{});
}

TraceError read_error(const std::string& text) {
  TextReadResult r = read_text_trace(text);
  EXPECT_FALSE(r.trace.has_value());
  return r.error;
}

const char* kDesignExample =
    "# mfh trace v1 target=arena\n"
    "arena_create 4096                     -> a0\n"
    "arena_alloc a0 1                      -> a0.start+0\n"
    "arena_alloc a0 18446744073709551615   -> 0\n"
    "os_fail mmap 1\n"
    "arena_create 64                       -> 0\n"
    "arena_alloc null 8                    -> exit 110\n";

TEST(TextReader, ReadsTheDesignExample) {
  Trace t = read_ok(kDesignExample);
  EXPECT_EQ(t.target, Target::arena);
  ASSERT_EQ(t.ops.size(), 6u);
  EXPECT_EQ(t.ops[0], make_op(OpCode::arena_create, {num(4096)}, Expectation::pointer_to(PtrExpr::handle(HandleKind::arena, 0))));
  EXPECT_EQ(t.ops[1], make_op(OpCode::arena_alloc, {arena_ref(0), num(1)},
                              Expectation::pointer_to(PtrExpr::handle(HandleKind::arena, 0, true, 0))));
  EXPECT_EQ(t.ops[2].args[1].number, ~std::uint64_t{0});
  EXPECT_EQ(t.ops[2].expect, Expectation::pointer_to(PtrExpr::null()));
  EXPECT_EQ(t.ops[3], make_op(OpCode::os_fail, {num(0), num(1)}));
  EXPECT_EQ(t.ops[4].expect, Expectation::pointer_to(PtrExpr::null()));
  EXPECT_EQ(t.ops[5], make_op(OpCode::arena_alloc, {null_ref(), num(8)}, Expectation::exits(110)));
}

TEST(TextReader, ReadsEveryPointerForm) {
  Trace t = read_ok(
      "# mfh trace v1 target=mixed\n"
      "mem_alloc 16 -> m0\n"
      "pool_create 16 4 -> p0\n"
      "mem_free m0+8 16 -> exit 111\n"
      "pool_free p0 p0.start+16\n"
      "load_byte abs:0xfff -> exit 110\n"
      "load_byte abs:FFF\n"
      "mem_free m0-16 0x10   # a comment\n");
  EXPECT_EQ(t.ops[2].args[0].ptr, PtrExpr::handle(HandleKind::block, 0, false, 8));
  EXPECT_EQ(t.ops[3].args[1].ptr, PtrExpr::handle(HandleKind::pool, 0, true, 16));
  EXPECT_EQ(t.ops[4].args[0].ptr, PtrExpr::absolute(0xfff));
  EXPECT_EQ(t.ops[5].args[0].ptr, PtrExpr::absolute(0xfff));
  EXPECT_EQ(t.ops[6].args[0].ptr.offset, 0 - std::uint64_t{16});
  EXPECT_EQ(t.ops[6].args[1].number, 16u);
}

TEST(TextReader, NumbersHandlesByCreatingOpWhetherOrNotItSucceeds) {
  Trace t = read_ok(
      "# mfh trace v1 target=arena\n"
      "arena_create 0 -> 0\n"
      "arena_create 64 -> a1\n"
      "arena_alloc a0 8\n");
  EXPECT_EQ(t.ops[1].expect.ptr, PtrExpr::handle(HandleKind::arena, 1));
  TraceError e = read_error("# mfh trace v1 target=arena\narena_create 0 -> 0\narena_create 64 -> a0\n");
  EXPECT_EQ(e.line, 3u);
  EXPECT_NE(e.message.find("creates a1"), std::string::npos) << e.message;
}

struct BadLine {
  const char* text;
  std::size_t line;
  const char* words;  // a part of the message
};

TEST(TextReader, RejectsEachKindOfErrorWithItsLine) {
  const BadLine cases[] = {
      {"", 0, "empty"},
      {"arena_create 8\n", 1, "bad header"},
      {"# mfh trace v2 target=arena\n", 1, "bad header"},
      {"# mfh trace v1 target=heap\n", 1, "bad header"},
      {"# mfh trace v1 target=arena\n\narena_alocc 8\n", 3, "unknown op 'arena_alocc'"},
      {"# mfh trace v1 target=arena\narena_create\n", 2, "wrong argument count"},
      {"# mfh trace v1 target=arena\narena_create 1 2\n", 2, "wrong argument count"},
      {"# mfh trace v1 target=arena\narena_create 12x\n", 2, "bad number"},
      {"# mfh trace v1 target=arena\narena_create 18446744073709551616\n", 2, "bad number"},
      {"# mfh trace v1 target=arena\narena_create -1\n", 2, "bad number"},
      {"# mfh trace v1 target=arena\nmem_alloc 8\n", 2, "not in target arena"},
      {"# mfh trace v1 target=arena\narena_alloc a0 8\n", 2, "a0 never created"},
      {"# mfh trace v1 target=alloc\nmem_alloc 8\nmem_free m1 8\n", 3, "m1 never created"},
      {"# mfh trace v1 target=arena\narena_create 8\narena_alloc m0 8\n", 3, "bad operand"},
      {"# mfh trace v1 target=arena\narena_create 8\narena_alloc a0+8 8\n", 3, "bad operand"},
      {"# mfh trace v1 target=alloc\nmem_alloc 8\nmem_free m0.start 8\n", 3, "no .start"},
      {"# mfh trace v1 target=alloc\nmem_alloc 8\nmem_free m0*2 8\n", 3, "bad pointer"},
      {"# mfh trace v1 target=alloc\nmem_free q0 8\n", 2, "bad pointer"},
      {"# mfh trace v1 target=arena\nos_fail mprotect 1\n", 2, "bad system call"},
      {"# mfh trace v1 target=arena\narena_create 8 -> ok\n", 2, "this op creates a0"},
      {"# mfh trace v1 target=arena\narena_create 8\narena_reset a0 -> 5\n", 3, "returns nothing"},
      {"# mfh trace v1 target=arena\narena_create 8 ->\n", 2, "missing expectation"},
      {"# mfh trace v1 target=arena\narena_create 8 -> exit\n", 2, "exit <code>"},
      {"# mfh trace v1 target=arena\narena_create 8 -> exit 256\n", 2, "above 255"},
  };
  for (const BadLine& c : cases) {
    TraceError e = read_error(c.text);
    EXPECT_EQ(e.line, c.line) << c.text;
    EXPECT_NE(e.message.find(c.words), std::string::npos) << c.text << " -> " << e.message;
    EXPECT_NE(to_string(e).find(c.words), std::string::npos);
  }
}

TEST(TextReader, LineNumbersCountCommentsAndBlankLines) {
  TraceError e = read_error("# mfh trace v1 target=pool\n# note\n\n  \npool_create 8 8\npool_alloc p1\n");
  EXPECT_EQ(e.line, 6u);
  EXPECT_EQ(to_string(e).rfind("line 6: ", 0), 0u) << to_string(e);
}

TEST(TextReader, AcceptsWindowsLineEnds) {
  Trace t = read_ok("# mfh trace v1 target=alloc\r\nmem_alloc 8 -> m0\r\nmem_free m0 8 -> ok\r\n");
  EXPECT_EQ(t.ops.size(), 2u);
}

TEST(TextWriter, WritesWhatItReadsBack) {
  Trace t = read_ok(std::string(kDesignExample) +
                    "clock_set 100\nclock_advance 0x20\nos_fail munmap 3\narena_create 64 -> a2\n"
                    "arena_usage a2 -> 0\narena_capacity a2 -> 64\narena_reset a2 -> ok\narena_destroy a2\n");
  const std::string written = write_text_trace(t);
  Trace again = read_ok(written);
  EXPECT_EQ(again, t);
  EXPECT_EQ(write_text_trace(again), written);
}

TEST(TextWriter, RoundTripsEveryOpOfTheMixedTarget) {
  Trace t;
  t.target = Target::mixed;
  t.ops = {
      make_op(OpCode::arena_create, {num(100)}, Expectation::pointer_to(PtrExpr::handle(HandleKind::arena, 0))),
      make_op(OpCode::pool_create, {num(24), num(7)}),
      make_op(OpCode::mem_alloc, {num(1 << 20)}, Expectation::pointer_to(PtrExpr::null())),
      make_op(OpCode::arena_alloc, {arena_ref(0), num(9)},
              Expectation::pointer_to(PtrExpr::handle(HandleKind::arena, 0, true, 8))),
      make_op(OpCode::pool_alloc, {pool_ref(0)}),
      make_op(OpCode::pool_free, {pool_ref(0), ptr(PtrExpr::handle(HandleKind::pool, 0, true, 24))},
              Expectation::returns()),
      make_op(OpCode::load_i64, {ptr(PtrExpr::handle(HandleKind::arena, 0, true, 3))},
              Expectation::value(0xdeadbeefcafef00dull)),
      make_op(OpCode::poke_byte, {block_ref(0, 0 - std::uint64_t{1}), num(0xff)}),
      make_op(OpCode::memcpy, {block_ref(0, 4), ptr(PtrExpr::absolute(0x800000000000)), num(0)},
              Expectation::pointer_to(PtrExpr::handle(HandleKind::block, 0, false, 4))),
      make_op(OpCode::mem_free, {block_ref(0), num(1 << 20)}, Expectation::exits(111)),
      make_op(OpCode::arena_usage, {arena_ref(0)}, Expectation::value(16)),
      make_op(OpCode::pool_destroy, {null_ref()}, Expectation::exits(110)),
  };
  TextReadResult r = read_text_trace(write_text_trace(t));
  ASSERT_TRUE(r.trace) << to_string(r.error) << "\n" << write_text_trace(t);
  EXPECT_EQ(*r.trace, t) << write_text_trace(t);
}

TEST(TextWriter, FormatsPointersAsTheExamplesDo) {
  EXPECT_EQ(format_ptr(PtrExpr::handle(HandleKind::arena, 0, true, 0)), "a0.start+0");
  EXPECT_EQ(format_ptr(PtrExpr::handle(HandleKind::block, 3, false, 0)), "m3");
  EXPECT_EQ(format_ptr(PtrExpr::handle(HandleKind::block, 3, false, 0 - std::uint64_t{16})), "m3-16");
  EXPECT_EQ(format_ptr(PtrExpr::absolute(0xfff)), "abs:0xfff");
  EXPECT_EQ(format_ptr(PtrExpr::null()), "null");
  EXPECT_EQ(format_expectation(OpCode::arena_alloc, Expectation::pointer_to(PtrExpr::null())), "0");
  EXPECT_EQ(format_expectation(OpCode::load_byte, Expectation::value(255)), "0xff");
  EXPECT_EQ(format_expectation(OpCode::arena_usage, Expectation::value(255)), "255");
}

TEST(TextDetection, TellsTextFromBinary) {
  EXPECT_TRUE(looks_like_text_trace("# mfh trace v1 target=arena\n"));
  EXPECT_TRUE(looks_like_text_trace("# mfh trac"));         // damaged header: still text, so a bad header
  EXPECT_TRUE(looks_like_text_trace("# some notes\nfoo\n"));
  EXPECT_FALSE(looks_like_text_trace(std::string("#\x01\x02", 3)));
  EXPECT_FALSE(looks_like_text_trace("\x05\x80\x10"));
  EXPECT_FALSE(looks_like_text_trace(""));
}

}  // namespace
