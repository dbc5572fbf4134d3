// The digest the proof report names the proved code by, against the
// examples of FIPS 180-4 and a message that needs a second padding block.
#include <gtest/gtest.h>

#include <string>

#include "sha256.h"

namespace {

using mf::proof::sha256_hex;

TEST(Sha256, StandardVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, OneByteChangesTheDigest) {
  std::string code(100, '\x90');
  const std::string before = sha256_hex(code);
  code[57] = '\x91';
  EXPECT_NE(sha256_hex(code), before);
}

}  // namespace
