// The binary form of traces (harness/ops/binary_format.h): every byte string
// decodes to a valid op list, and encoding is the decoder's inverse.

#include <gtest/gtest.h>

#include <bit>
#include <random>
#include <set>
#include <vector>

#include "binary_format.h"
#include "binary_values.h"
#include "text_format.h"

namespace {

using namespace mf::ops;
using Bytes = std::vector<std::uint8_t>;

Trace decode(const Bytes& bytes, Target target) { return decode_binary(bytes, target).trace; }

// A trace is valid when the text reader accepts what the writer makes of it:
// right target, arity, and no handle used before its creation.
void expect_valid(const Trace& trace) {
  TextReadResult r = read_text_trace(write_text_trace(trace));
  ASSERT_TRUE(r.trace) << to_string(r.error) << "\n" << write_text_trace(trace);
  EXPECT_EQ(*r.trace, trace);
}

TEST(BinaryDecoder, EveryRandomByteStringDecodesToAValidTraceOfItsTarget) {
  std::mt19937_64 rng(12345);
  for (Target target : kAllTargets) {
    for (int round = 0; round < 300; ++round) {
      Bytes bytes(rng() % 200);
      for (std::uint8_t& b : bytes) b = static_cast<std::uint8_t>(rng());
      Trace t = decode(bytes, target);
      EXPECT_EQ(t.target, target);
      for (const Op& op : t.ops) EXPECT_TRUE(op.info().allowed_in(target)) << op.info().name;
      expect_valid(t);
    }
  }
}

TEST(BinaryDecoder, AbsoluteAddressesOnlyLandInTheCheckFailingZones) {
  std::mt19937_64 rng(777);
  for (int round = 0; round < 500; ++round) {
    Bytes bytes(64);
    for (std::uint8_t& b : bytes) b = static_cast<std::uint8_t>(rng());
    for (const Op& op : decode(bytes, Target::builtins).ops) {
      for (std::size_t i = 0; i < op.info().arity; ++i) {
        const PtrExpr& p = op.args[i].ptr;
        if (syntax_of(op.info().args[i]) != SyntaxClass::pointer || p.base != PtrExpr::Base::abs) continue;
        EXPECT_TRUE(p.offset < 4096 || p.offset >= (std::uint64_t{1} << 47)) << format_op(op);
      }
    }
  }
}

TEST(BinaryDecoder, DecodesTheDocumentedLayout) {
  // arena target: SUT ops in table order: create, alloc, reset, usage, capacity, destroy.
  const Bytes bytes = {
      0x00, 0x85,              // arena_create, size from table entry 5 (15)
      0x00, 0xC1, 0x00,        // arena_create, size (1 << 8) | 0 = 256
      0x01, 0x01, 0x10,        // arena_alloc, live arena 1 (a1), size 16
      0x01, 0xFF, 0x08,        // arena_alloc null 8
      0x05, 0x00,              // arena_destroy a0
      0x03, 0x00,              // arena_usage of live arena 0, which is now a1
      0xF0, 0x01, 0x02,        // os_fail munmap 3
      0xF1, 0xF0, 1, 0, 0, 0, 0, 0, 0, 0,  // clock_set 1 (eight-byte size)
      0xF2, 0xE0, 0x34, 0x12,  // clock_advance 0x1234
      0xF3, 0x0E,              // memory_limit 2^(12 + 14) = 64 MiB
      0xF7, 0x13 + 0x12,       // memory_limit: (0xF7 - 0xF0) mod 4 = 3; 2^(12 + 0x25 mod 19) = 1 GiB
      0xF4, 0x00, 0x00,        // os_fail: (0xF4 - 0xF0) mod 4 = 0; mmap 1
  };
  Trace t = decode(bytes, Target::arena);
  ASSERT_EQ(t.ops.size(), 12u) << write_text_trace(t);
  EXPECT_EQ(format_op(t.ops[0]), "arena_create 15");
  EXPECT_EQ(format_op(t.ops[1]), "arena_create 256");
  EXPECT_EQ(format_op(t.ops[2]), "arena_alloc a1 16");
  EXPECT_EQ(format_op(t.ops[3]), "arena_alloc null 8");
  EXPECT_EQ(format_op(t.ops[4]), "arena_destroy a0");
  EXPECT_EQ(format_op(t.ops[5]), "arena_usage a1");
  EXPECT_EQ(format_op(t.ops[6]), "os_fail munmap 3");
  EXPECT_EQ(format_op(t.ops[7]), "clock_set 1");
  EXPECT_EQ(format_op(t.ops[8]), "clock_advance 4660");
  EXPECT_EQ(format_op(t.ops[9]), "memory_limit 67108864");
  EXPECT_EQ(format_op(t.ops[10]), "memory_limit 1073741824");
  EXPECT_EQ(format_op(t.ops[11]), "os_fail mmap 1");
}

TEST(BinaryDecoder, MemoryLimitsAreThePowersOfTwoFrom4KiBTo1GiB) {
  std::set<std::uint64_t> limits;
  for (unsigned b = 0; b < 256; ++b) {
    Trace t = decode({0xF3, static_cast<std::uint8_t>(b)}, Target::pool);
    ASSERT_EQ(t.ops.size(), 1u);
    ASSERT_EQ(t.ops[0].code, OpCode::memory_limit);
    limits.insert(t.ops[0].args[0].number);
  }
  ASSERT_EQ(limits.size(), 19u);
  EXPECT_EQ(*limits.begin(), 4096u);
  EXPECT_EQ(*limits.rbegin(), std::uint64_t{1} << 30);
  for (std::uint64_t limit : limits) EXPECT_TRUE(std::has_single_bit(limit)) << limit;
  // meminfo and daemon map nothing: their control bytes keep their ops.
  Bytes meminfo_op(16, 0x00);
  meminfo_op[0] = 0xF3;
  const Trace meminfo = decode(meminfo_op, Target::meminfo);
  ASSERT_FALSE(meminfo.ops.empty());
  EXPECT_EQ(meminfo.ops[0].code, control_ops_of(Target::meminfo)[3]);
  EXPECT_NE(meminfo.ops[0].code, OpCode::memory_limit);
}

TEST(BinaryDecoder, PointerFormsFollowTheSelector) {
  const Bytes bytes = {
      0x00, 0x20,                          // mem_alloc 32 -> m0
      0x00, 0x40,                          // mem_alloc 64 -> m1
      0x01, 0x00, 0x01, 0x00,              // mem_free: inside -> live block 1 (m1); size: m1's
      0x01, 0xC1, 0x00, 0x08, 0xC0, 0x10,  // mem_free: relative, minus -> m0-8; size: explicit 16
      0x01, 0xE3, 0xFF, 0xC0, 0x00,        // mem_free: null page -> abs:(3 << 8 | 0xff), size 0
      0x01, 0xF0, 0x08, 0xC0, 0x00,        // mem_free: high zone entry 8 (2^64 - 1)
  };
  Trace t = decode(bytes, Target::alloc);
  ASSERT_EQ(t.ops.size(), 6u) << write_text_trace(t);
  EXPECT_EQ(format_op(t.ops[2]), "mem_free m1 64");
  EXPECT_EQ(format_op(t.ops[3]), "mem_free m0-8 16");
  EXPECT_EQ(format_op(t.ops[4]), "mem_free abs:0x3ff 0");
  EXPECT_EQ(format_op(t.ops[5]), "mem_free abs:0xffffffffffffffff 0");
}

TEST(BinaryDecoder, AnOpNeedingAMissingHandleCreatesOneInstead) {
  // arena_alloc with no live arena (and not the null byte): arena_create 32.
  EXPECT_EQ(format_op(decode(Bytes{0x01, 0x05, 0x20}, Target::arena).ops.at(0)), "arena_create 32");
  // The null byte still gives null.
  EXPECT_EQ(format_op(decode(Bytes{0x01, 0xFF, 0x20}, Target::arena).ops.at(0)), "arena_alloc null 32");
  // mem_free with no live block: mem_alloc 24.
  EXPECT_EQ(format_op(decode(Bytes{0x01, 0x00, 0x18}, Target::alloc).ops.at(0)), "mem_alloc 24");
  // A load with no live memory: mem_alloc 8; a load into a zone needs none.
  EXPECT_EQ(format_op(decode(Bytes{0x03, 0x00, 0x08}, Target::builtins).ops.at(0)), "mem_alloc 8");
  EXPECT_EQ(format_op(decode(Bytes{0x03, 0xE0, 0x10}, Target::builtins).ops.at(0)), "load_i64 abs:0x10");
}

TEST(BinaryDecoder, CreationsTheContractRejectsMakeNoLiveHandle) {
  // arena_create 0 numbers a0 but leaves no live arena: the next arena op
  // creates one instead of passing the null a0.
  Trace t = decode(Bytes{0x00, 0x00, 0x01, 0x00, 0x10}, Target::arena);
  ASSERT_EQ(t.ops.size(), 2u) << write_text_trace(t);
  EXPECT_EQ(format_op(t.ops[1]), "arena_create 16");
  Trace t2 = decode(Bytes{0x00, 0x00, 0x00, 0x08, 0x01, 0x00, 0x10}, Target::arena);
  ASSERT_EQ(t2.ops.size(), 3u) << write_text_trace(t2);
  EXPECT_EQ(format_op(t2.ops[2]), "arena_alloc a1 16");
}

TEST(BinaryDecoder, PoolFreeFormZeroNamesASlotOfItsPool) {
  const Bytes bytes = {0x00, 0x0C, 0x05,  // pool_create 12 5 -> p0 (slots of 16)
                       0x02, 0x00, 0x00, 0x07};  // pool_free p0, form 0, slot 7 mod 5 = 2
  Trace t = decode(bytes, Target::pool);
  ASSERT_EQ(t.ops.size(), 2u);
  EXPECT_EQ(format_op(t.ops[1]), "pool_free p0 p0.start+32");
}

TEST(BinaryDecoder, DropsAnOpCutShortAndSaysHowManyBytes) {
  BinaryDecodeResult r = decode_binary(Bytes{0x00, 0x10, 0x01, 0x00}, Target::arena);
  EXPECT_EQ(r.trace.ops.size(), 1u);
  EXPECT_EQ(r.trailing_bytes, 2u);  // arena_alloc and its arena, without a size
}

TEST(BinaryDecoder, EmptyInputIsAnEmptyTrace) {
  BinaryDecodeResult r = decode_binary(Bytes{}, Target::pool);
  EXPECT_TRUE(r.trace.ops.empty());
  EXPECT_EQ(r.trailing_bytes, 0u);
}

TEST(BinaryEncoder, IsTheDecodersInverseOnRandomInputs) {
  std::mt19937_64 rng(99);
  for (Target target : kAllTargets) {
    for (int round = 0; round < 300; ++round) {
      Bytes bytes(rng() % 160);
      for (std::uint8_t& b : bytes) b = static_cast<std::uint8_t>(rng());
      const Trace t = decode(bytes, target);
      std::optional<Bytes> encoded = encode_binary(t);
      ASSERT_TRUE(encoded) << write_text_trace(t);
      EXPECT_EQ(write_text_trace(decode(*encoded, target)), write_text_trace(t));
      EXPECT_EQ(decode(*encoded, target), t);
    }
  }
}

TEST(BinaryEncoder, EncodesHandWrittenTracesAndDropsExpectations) {
  TextReadResult r = read_text_trace(
      "# mfh trace v1 target=mixed\n"
      "arena_create 4096 -> a0\n"
      "arena_alloc a0 1 -> a0.start+0\n"
      "arena_alloc a0 18446744073709551615 -> 0\n"
      "pool_create 24 100\n"
      "pool_free p0 p0.start+48\n"
      "mem_alloc 100000 -> m0\n"
      "poke_i64 m0+8 0x1122334455667788\n"
      "memcpy a0.start+16 m0+8 8\n"
      "load_byte abs:0xfff -> exit 110\n"
      "mem_free m0 100000\n"
      "os_fail mmap 8\n"
      "memory_limit 1073741824\n"
      "clock_advance 60\n");
  ASSERT_TRUE(r.trace);
  std::optional<Bytes> encoded = encode_binary(*r.trace);
  ASSERT_TRUE(encoded);
  Trace expected = *r.trace;
  for (Op& op : expected.ops) op.expect = Expectation::nothing();
  EXPECT_EQ(decode(*encoded, Target::mixed), expected);
}

TEST(BinaryEncoder, RefusesWhatTheBytesCannotSay) {
  auto encodable = [](const char* text) {
    TextReadResult r = read_text_trace(text);
    EXPECT_TRUE(r.trace) << to_string(r.error);
    return r.trace && encode_binary(*r.trace).has_value();
  };
  EXPECT_FALSE(encodable("# mfh trace v1 target=arena\nos_fail mmap 9\n"));
  EXPECT_FALSE(encodable("# mfh trace v1 target=pool\nmemory_limit 12288\n"));
  EXPECT_FALSE(encodable("# mfh trace v1 target=pool\nmemory_limit 2048\n"));
  EXPECT_FALSE(encodable("# mfh trace v1 target=pool\nmemory_limit 2147483648\n"));
  EXPECT_TRUE(encodable("# mfh trace v1 target=pool\nmemory_limit 4096\n"));
  EXPECT_FALSE(encodable("# mfh trace v1 target=builtins\nload_byte abs:0x5000\n"));
  EXPECT_FALSE(encodable("# mfh trace v1 target=arena\narena_create 8\narena_destroy a0\narena_destroy a0\n"));
  EXPECT_TRUE(encodable("# mfh trace v1 target=arena\narena_create 8\narena_destroy a0\n"));
}

TEST(BinaryValues, HighZoneIsBeyondUserSpaceAndSizesAreDistinct) {
  for (std::uint64_t a : binary_v1::kHighZone) EXPECT_GE(a, std::uint64_t{1} << 47);
  for (std::size_t i = 0; i < binary_v1::kBoundarySizes.size(); ++i) {
    for (std::size_t j = i + 1; j < binary_v1::kBoundarySizes.size(); ++j) {
      EXPECT_NE(binary_v1::kBoundarySizes[i], binary_v1::kBoundarySizes[j]) << i << " " << j;
    }
  }
}

}  // namespace
