// code_digest.h - which code a verdict is about: the SHA-256 of a
// function's bytes in its object file, together with its relocations (the
// calls and data references the linker will patch, which the proof reads
// too).  The proof report prints it, so a reader can match a PROVED to the
// exact object it was given (`objdump -d -r` of the same bytes).
#pragma once

#include <string>

#include "object_code.h"

namespace mf::proof {

struct CodeDigest {
  std::uint64_t size = 0;      // bytes of the function
  std::string sha256;          // 64 hex digits
};

// Throws ProofError when the object does not define the function or lacks
// its bytes.
CodeDigest code_digest(const ObjectCode& code, const std::string& function);

}  // namespace mf::proof
