// The differential runner in simulated mode: it agrees with a correct SUT,
// and it notices each kind of disagreement.  A correct SUT cannot produce a
// disagreement on demand, so the tests make one: they write into the SUT's
// memory (or the simulated OS) between two steps of a Session, exactly where
// a faulty SUT would have.

#include <gtest/gtest.h>

#include <cstring>

#include "exit_message.h"
#include "morph_abi.h"
#include "pattern.h"
#include "runner.h"
#include "runner_test_support.h"
#include "sim_os.h"
#include "text_format.h"

namespace {

using namespace mf::runner;
using mf::runner_test::explain;
using mf::runner_test::parse;
using mf::runner_test::run_text;
using mf::ops::Expectation;

constexpr std::uint64_t kFirstBlock = mf::layout::SLAB_BLOCKS_OFFSET;

std::uint64_t head_page() { return reinterpret_cast<std::uint64_t>(mem_page_list_head()); }

// Runs the ops of `text` in a Session, stopping at the first that does not
// succeed; returns the status of the last step.
StepStatus steps(Session& session, const std::string& text) {
  StepStatus status = StepStatus::ok;
  for (const mf::ops::Op& op : parse(text).ops) {
    status = session.step(op);
    if (status != StepStatus::ok) break;
  }
  return status;
}

TEST(Runner, AgreesOnTheDesignExample) {
  RunResult r = run_text(
      "# mfh trace v1 target=arena\n"
      "arena_create 4096                     -> a0\n"
      "arena_alloc a0 1                      -> a0.start+0\n"
      "arena_alloc a0 18446744073709551615   -> 0\n"
      "os_fail mmap 1\n"
      "arena_create 64                       -> 0\n"
      "arena_alloc null 8                    -> exit 110\n");
  ASSERT_EQ(r.verdict, Verdict::agree) << explain(r);
  EXPECT_EQ(r.exit_code, 110);
  EXPECT_EQ(r.exit_op, 5u);
  EXPECT_EQ(r.ops_run, 6u);
}

// 64 MiB until the trace says otherwise; a lower limit refuses new mappings
// and leaves the old ones mapped; no trace may allow more than 1 GiB.
TEST(Runner, TheTraceSetsTheMemoryLimit) {
  RunResult r = run_text(
      "# mfh trace v1 target=arena\n"
      "arena_create 100000000      -> 0\n"
      "memory_limit 1073741824\n"
      "arena_create 100000000      -> a1\n"
      "memory_limit 4096\n"
      "arena_create 64             -> 0\n"
      "arena_alloc a1 99999999     -> a1.start+0\n"
      "memory_limit 1099511627776\n"
      "arena_create 2147483648     -> 0\n"
      "arena_create 64             -> a4\n");
  ASSERT_EQ(r.verdict, Verdict::agree) << explain(r);
  EXPECT_EQ(r.ops_run, 9u);
}

TEST(Runner, RecordsEachOpsOutcomeInTraceTerms) {
  RunResult r = run_text(
      "# mfh trace v1 target=mixed\n"
      "arena_create 64\n"
      "arena_alloc a0 10\n"
      "arena_alloc a0 8\n"
      "arena_usage a0\n"
      "pool_create 12 4\n"
      "pool_alloc p0\n"
      "pool_alloc p0\n"
      "mem_alloc 0\n"
      "mem_alloc 40\n"
      "memcpy m1+8 a0.start+16 4\n"
      "clock_advance 5\n");
  ASSERT_EQ(r.verdict, Verdict::agree) << explain(r);
  const std::vector<std::string> want = {"a0", "a0.start+0", "a0.start+16", "24", "p0", "p0.start+0",
                                         "p0.start+16", "0", "m1", "m1+8", "ok"};
  ASSERT_EQ(r.observed.size(), want.size());
  const mf::ops::Trace trace = parse(
      "# mfh trace v1 target=mixed\narena_create 64\narena_alloc a0 10\narena_alloc a0 8\narena_usage a0\n"
      "pool_create 12 4\npool_alloc p0\npool_alloc p0\nmem_alloc 0\nmem_alloc 40\nmemcpy m1+8 a0.start+16 4\n"
      "clock_advance 5\n");
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(mf::ops::format_expectation(trace.ops[i].code, r.observed[i]), want[i]) << "op " << i;
  }
}

TEST(Runner, RunsAreIndependent) {
  const std::string text =
      "# mfh trace v1 target=arena\narena_create 64 -> a0\narena_create 64 -> a1\narena_destroy a0\n";
  RunResult first = run_text(text);
  RunResult second = run_text(text);  // ids and pages start afresh, or the header check fails
  ASSERT_EQ(first.verdict, Verdict::agree) << explain(first);
  ASSERT_EQ(second.verdict, Verdict::agree) << explain(second);
  EXPECT_EQ(first.observed, second.observed);
}

TEST(Runner, AWrongExpectationIsADivergenceAtItsOp) {
  RunResult r = run_text("# mfh trace v1 target=arena\narena_create 64 -> a0\narena_alloc a0 8 -> a0.start+8\n");
  ASSERT_EQ(r.verdict, Verdict::diverged);
  EXPECT_EQ(r.divergence->op_index, 1u);
  EXPECT_EQ(r.divergence->op_text, "arena_alloc a0 8 -> a0.start+8");
  EXPECT_NE(r.divergence->what.find("expectation"), std::string::npos);
  EXPECT_EQ(r.divergence->expected, "a0.start+8");

  RunResult exit = run_text("# mfh trace v1 target=pool\npool_alloc null -> exit 111\n");
  ASSERT_EQ(exit.verdict, Verdict::diverged);
  EXPECT_NE(exit.divergence->actual.find("exit 110"), std::string::npos) << exit.divergence->actual;
}

TEST(Runner, OpsOutsideTheContractAreSkippedOrMakeTheRunInvalid) {
  const std::string text =
      "# mfh trace v1 target=arena\narena_create 64\narena_destroy a0\narena_alloc a0 8\narena_create 8\n";
  RunResult skipped = run_text(text);
  ASSERT_EQ(skipped.verdict, Verdict::agree) << explain(skipped);
  EXPECT_EQ(skipped.ops_skipped, 1u);
  EXPECT_EQ(skipped.ops_run, 3u);
  EXPECT_EQ(skipped.observed[2].kind, Expectation::Kind::none);

  RunOptions strict;
  strict.unsafe_is_invalid = true;
  RunResult invalid = run_text(text, strict);
  ASSERT_EQ(invalid.verdict, Verdict::invalid);
  EXPECT_NE(invalid.invalid_reason.find("op 2"), std::string::npos) << invalid.invalid_reason;
}

TEST(Runner, LoadsSeeTheIntegrityPatternAndPokes) {
  RunResult ok = run_text(
      "# mfh trace v1 target=builtins\n"
      "mem_alloc 32 -> m0\n"
      "load_i64 m0+8\n"
      "poke_i64 m0+8 0x1122334455667788\n"
      "load_i64 m0+8 -> 0x1122334455667788\n"
      "memcpy m0+9 m0+8 8 -> m0+9\n"
      "load_i64 m0+9 -> 0x1122334455667788\n"
      "load_byte m0+8 -> 0x88\n"
      "poke_byte m0 0x1ff\n"
      "load_byte m0 -> 0xff\n"
      "load_i64 abs:0x800000000000 -> exit 111\n");
  ASSERT_EQ(ok.verdict, Verdict::agree) << explain(ok);
  // The first load read the pattern the runner wrote into m0.
  const std::uint64_t seed = pattern_seed(0, static_cast<std::uint64_t>(mf::ops::OpCode::mem_alloc));
  EXPECT_EQ(ok.observed[1].number, pattern_word(seed, 1));
}

TEST(Runner, NoticesABlockClobberedByItsNeighbour) {
  Session session(mf::ops::Target::alloc);
  ASSERT_EQ(steps(session, "# mfh trace v1 target=alloc\nmem_alloc 16\nmem_alloc 16\nmem_alloc 16\n"), StepStatus::ok);
  // What an overrunning write from m0 would do to m1.
  reinterpret_cast<unsigned char*>(head_page() + kFirstBlock + 16)[3] ^= 0xFF;
  EXPECT_EQ(session.step(parse("# mfh trace v1 target=alloc\nmem_alloc 16\nmem_free m0 16\n").ops[1]),
            StepStatus::diverged);
  ASSERT_TRUE(session.result().divergence);
  EXPECT_EQ(session.result().divergence->op_index, 3u);
  EXPECT_NE(session.result().divergence->what.find("m1 (16 bytes) was overwritten at +3"), std::string::npos)
      << to_text(*session.result().divergence);
}

TEST(Runner, NoticesACorruptArenaHeader) {
  Session session(mf::ops::Target::arena);
  ASSERT_EQ(steps(session, "# mfh trace v1 target=arena\narena_create 64\narena_alloc a0 8\n"), StepStatus::ok);
  auto* header = reinterpret_cast<MfArenaHeader*>(head_page() + kFirstBlock);
  header->id = 7;
  EXPECT_EQ(session.step(parse("# mfh trace v1 target=arena\narena_create 8\narena_reset a0\n").ops[1]),
            StepStatus::diverged);
  EXPECT_EQ(session.result().divergence->what, "a0 header: id differs");
  EXPECT_EQ(session.result().divergence->expected, "1");
  EXPECT_EQ(session.result().divergence->actual, "7");
  EXPECT_NE(session.result().divergence->sut_state.find("id 7"), std::string::npos);
  EXPECT_NE(session.result().divergence->model_state.find("id 1"), std::string::npos);
}

TEST(Runner, NoticesACorruptPoolBitmap) {
  Session session(mf::ops::Target::pool);
  ASSERT_EQ(steps(session, "# mfh trace v1 target=pool\npool_create 8 4\npool_alloc p0\npool_alloc p0\n"),
            StepStatus::ok);
  auto* header = reinterpret_cast<MfPoolHeader*>(head_page() + kFirstBlock);
  // Slot 1 marked free while live; the next op on slot 0 checks its neighbours' bits.
  reinterpret_cast<std::uint64_t*>(header->end)[0] |= 2;
  EXPECT_EQ(session.step(parse("# mfh trace v1 target=pool\npool_create 8 4\npool_free p0 p0.start+0\n").ops[1]),
            StepStatus::diverged);
  EXPECT_NE(session.result().divergence->what.find("bitmap"), std::string::npos)
      << to_text(*session.result().divergence);
}

TEST(Runner, NoticesACorruptPageHeader) {
  Session session(mf::ops::Target::alloc);
  ASSERT_EQ(steps(session, "# mfh trace v1 target=alloc\nmem_alloc 16\n"), StepStatus::ok);
  reinterpret_cast<MfPageHeader*>(head_page())->timestamp = 12345;
  EXPECT_EQ(session.step(parse("# mfh trace v1 target=alloc\nmem_alloc 16\n").ops[0]), StepStatus::diverged);
  EXPECT_EQ(session.result().divergence->what, "page 0 header: timestamp differs");
}

TEST(Runner, NoticesAnUnexpectedSystemCallAndStrayStderr) {
  {
    Session session(mf::ops::Target::alloc);
    ASSERT_EQ(steps(session, "# mfh trace v1 target=alloc\nmem_alloc 16\n"), StepStatus::ok);
    ASSERT_GT(mf::simos::SimOs::instance().mmap(4096), 0);  // a call the model did not make
    EXPECT_EQ(session.step(parse("# mfh trace v1 target=alloc\nmem_alloc 16\n").ops[0]), StepStatus::diverged);
    EXPECT_EQ(session.result().divergence->what, "the number of mmap calls differs");
  }
  {
    Session session(mf::ops::Target::alloc);
    ASSERT_EQ(steps(session, "# mfh trace v1 target=alloc\nmem_alloc 16\n"), StepStatus::ok);
    mf::simos::SimOs::instance().write(2, "noise", 5);
    EXPECT_EQ(session.step(parse("# mfh trace v1 target=alloc\nmem_alloc 16\n").ops[0]), StepStatus::diverged);
    EXPECT_EQ(session.result().divergence->what, "the SUT wrote to stderr without exiting");
  }
}

TEST(Runner, TheFinalSweepChecksEveryLiveBlock) {
  Session session(mf::ops::Target::arena);
  ASSERT_EQ(steps(session, "# mfh trace v1 target=arena\narena_create 64\narena_alloc a0 8\narena_alloc a0 8\n"),
            StepStatus::ok);
  // The first arena block; no later op touches it, only the final sweep.
  reinterpret_cast<unsigned char*>(head_page() + kFirstBlock + 32)[0] ^= 1;
  RunResult r = session.finish();
  ASSERT_EQ(r.verdict, Verdict::diverged);
  EXPECT_EQ(r.divergence->op_index, 3u);
  EXPECT_EQ(r.divergence->op_text, "(end of run)");
  EXPECT_NE(r.divergence->what.find("a0.start+0"), std::string::npos) << r.divergence->what;
}

TEST(Runner, OnlyOneSessionAtATime) {
  Session first(mf::ops::Target::arena);
  EXPECT_THROW(Session second(mf::ops::Target::arena), std::logic_error);
}

TEST(Runner, AnOpOutsideTheTargetMakesTheRunInvalid) {
  Session session(mf::ops::Target::arena);
  EXPECT_EQ(session.step(mf::ops::make_op(mf::ops::OpCode::mem_alloc, {mf::ops::num(8)})), StepStatus::invalid);
}

TEST(ExitMessage, AcceptsExactlyTheContractsLine) {
  EXPECT_EQ(exit_message_problem("morph: NULL pointer dereference in arena_alloc (exit 110)\n", 110, "arena_alloc"),
            std::nullopt);
  EXPECT_EQ(exit_message_problem("morph: out-of-bounds access in mem_free (exit 111)\n", 111, "arena_destroy|mem_free"),
            std::nullopt);
  EXPECT_NE(exit_message_problem("morph: out-of-bounds access in mem_free (exit 111)\n", 110, "mem_free"), std::nullopt);
  EXPECT_NE(exit_message_problem("morph: NULL pointer dereference in pool_free (exit 110)\n", 110, "pool_alloc"),
            std::nullopt);
  EXPECT_NE(exit_message_problem("morph: NULL pointer dereference in pool_alloc (exit 110)", 110, "pool_alloc"),
            std::nullopt);
  EXPECT_NE(exit_message_problem("", 110, "pool_alloc"), std::nullopt);
}

TEST(Pattern, ChecksFindTheExactByteThatChanged) {
  std::vector<std::uint8_t> block(100);
  fill_pattern(block.data(), block.size(), 42);
  EXPECT_EQ(check_pattern(block.data(), block.size(), 42), std::nullopt);
  EXPECT_NE(check_pattern(block.data(), block.size(), 43), std::nullopt);
  block[77] ^= 0x10;
  EXPECT_EQ(check_pattern(block.data(), block.size(), 42), 77u);
}

// check_range compares 64 bytes at a time, then narrows down: every byte of
// a block, at every alignment of its first byte, must still be found exactly.
TEST(Pattern, EveryChangedByteIsFoundExactly) {
  std::vector<std::uint8_t> storage(300 + 8);
  for (std::size_t shift = 0; shift < 8; ++shift) {
    std::uint8_t* block = storage.data() + shift;
    const std::uint64_t size = 300;
    fill_pattern(block, size, 7);
    for (std::uint64_t i = 0; i < size; ++i) {
      block[i] ^= 0x80;
      ASSERT_EQ(check_pattern(block, size, 7), i) << "shift " << shift;
      EXPECT_EQ(check_range(block, i + 1, size, 7), std::nullopt);
      block[i] ^= 0x80;
    }
    EXPECT_EQ(check_pattern(block, size, 7), std::nullopt);
  }
}

// fill_range and check_range work eight words at a time (PatternWords8):
// from any first byte to any last one, every byte written must be
// pattern_byte's, and nothing outside the range may be touched.
TEST(Pattern, EveryByteOfAnyRangeIsTheOneByteFormula) {
  const std::uint64_t seed = 0x0123456789ABCDEFull;
  std::vector<std::uint8_t> block(400);
  for (std::uint64_t from = 0; from < 24; ++from) {
    for (std::uint64_t to = from; to < block.size(); to += 5) {
      std::fill(block.begin(), block.end(), std::uint8_t{0xEE});
      fill_range(block.data(), from, to, seed);
      for (std::uint64_t i = 0; i < block.size(); ++i) {
        const std::uint8_t want = i >= from && i < to ? pattern_byte(seed, i) : std::uint8_t{0xEE};
        ASSERT_EQ(block[i], want) << "[" << from << ", " << to << ") byte " << i;
      }
      EXPECT_EQ(check_range(block.data(), from, to, seed), std::nullopt) << from << " " << to;
      if (to > from) {
        block[to - 1] ^= 1;
        EXPECT_EQ(check_range(block.data(), from, to, seed), to - 1) << from << " " << to;
      }
    }
  }
}

TEST(Pattern, LargeBlocksCarryItAtBothEdges) {
  std::vector<std::uint8_t> block(kWholeLimit * 2 + 3, 0);
  fill_pattern(block.data(), block.size(), 5);
  EXPECT_EQ(block[kEdgeBytes + 10], 0);  // the middle is left alone
  block[block.size() - 1] ^= 1;
  EXPECT_EQ(check_pattern(block.data(), block.size(), 5), block.size() - 1);
}

}  // namespace
