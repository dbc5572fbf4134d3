// PageMemory's comparison a chunk at a time against the byte-by-byte answer
// of read(): the runner trusts it to find every wrong byte a builtin left.
#include "page_memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace mf::model {
namespace {

// What first_known_difference must answer, one read() per byte.
std::optional<std::uint64_t> byte_by_byte(const PageMemory& memory, std::uint64_t offset,
                                          const std::vector<std::uint8_t>& have) {
  for (std::uint64_t i = 0; i < have.size(); ++i) {
    const std::optional<std::uint8_t> want = memory.read(offset + i);
    if (want && *want != have[i]) return i;
  }
  return std::nullopt;
}

// The bytes as the model knows them, unknown ones as `filler`.
std::vector<std::uint8_t> known_bytes(const PageMemory& memory, std::uint64_t offset, std::uint64_t n,
                                      std::uint8_t filler) {
  std::vector<std::uint8_t> bytes(n);
  for (std::uint64_t i = 0; i < n; ++i) bytes[i] = memory.read(offset + i).value_or(filler);
  return bytes;
}

TEST(PageMemory, AbsentChunksAreKnownZero) {
  PageMemory memory;
  std::vector<std::uint8_t> have(3000, 0);
  EXPECT_EQ(memory.first_known_difference(100, have), std::nullopt);
  have[2999] = 1;
  EXPECT_EQ(memory.first_known_difference(100, have), 2999u);
  have[0] = 7;
  EXPECT_EQ(memory.first_known_difference(100, have), 0u);
}

TEST(PageMemory, UnknownBytesMatchAnything) {
  PageMemory memory;
  memory.forget(1000, 50);  // crosses the first chunk boundary
  std::vector<std::uint8_t> have(50, 0xA5);
  EXPECT_EQ(memory.first_known_difference(1000, have), std::nullopt);
  // One byte further is known zero.
  have.push_back(0xA5);
  EXPECT_EQ(memory.first_known_difference(1000, have), 50u);
}

TEST(PageMemory, FindsTheFirstWrongByteOfAWrittenSpan) {
  PageMemory memory;
  std::vector<std::uint8_t> written(2500);
  for (std::size_t i = 0; i < written.size(); ++i) written[i] = static_cast<std::uint8_t>(i * 7 + 1);
  memory.write(700, written);
  std::vector<std::uint8_t> have = written;
  EXPECT_EQ(memory.first_known_difference(700, have), std::nullopt);
  have[1800] ^= 0x10;  // in the third chunk the span touches
  have[2400] ^= 0x01;
  EXPECT_EQ(memory.first_known_difference(700, have), 1800u);
}

// Random mixes of known, unknown and absent chunks, and of right and wrong
// bytes, against the byte-by-byte answer.
TEST(PageMemory, AgreesWithReadingByteByByte) {
  std::mt19937_64 random(12345);
  for (int round = 0; round < 300; ++round) {
    PageMemory memory;
    for (int edit = 0; edit < 6; ++edit) {
      const std::uint64_t at = random() % 6000;
      const std::uint64_t n = 1 + random() % 1500;
      switch (random() % 4) {
        case 0: {
          std::vector<std::uint8_t> bytes(n);
          for (auto& b : bytes) b = static_cast<std::uint8_t>(random());
          memory.write(at, bytes);
          break;
        }
        case 1: memory.forget(at, n); break;
        case 2: memory.zero(at, n); break;
        default: memory.write_quad(at, random()); break;
      }
    }
    const std::uint64_t offset = random() % 6000;
    const std::uint64_t n = 1 + random() % 3000;
    std::vector<std::uint8_t> have = known_bytes(memory, offset, n, static_cast<std::uint8_t>(random()));
    ASSERT_EQ(memory.first_known_difference(offset, have), std::nullopt) << "round " << round;
    for (int wrong = random() % 3; wrong > 0; --wrong) have[random() % n] ^= static_cast<std::uint8_t>(1 + random() % 255);
    ASSERT_EQ(memory.first_known_difference(offset, have), byte_by_byte(memory, offset, have)) << "round " << round;
  }
}

}  // namespace
}  // namespace mf::model
