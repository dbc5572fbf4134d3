// crash_site.h - every distinct divergence crashes at its own, stable place.
//
// Distributed fuzzing (ClusterFuzz, ClusterFuzzLite) tells crashes apart by
// the top frames of the crashing stack, not by what the program printed.
// Were every divergence to abort from the same call, they would all be
// filed as one bug.  So the abort goes through a chain of three frames,
// each one of sixteen functions, picked by a hash of the signature line:
// 4096 crash sites, the same for a signature on every build and run, and
// two signatures share one only if 12 bits of their hashes agree.
#pragma once

#include <array>
#include <string_view>

namespace mf::fuzz {

// The three frames (0..15 each, outermost first) a signature crashes through.
std::array<unsigned, 3> crash_site(std::string_view signature_line);

// Aborts through the signature's crash site.
[[noreturn]] void crash_for_signature(std::string_view signature_line);

}  // namespace mf::fuzz
