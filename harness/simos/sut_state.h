// sut_state.h - the SUT's mutable globals, saved once and put back before
// every simulated run, so that each run starts from a freshly loaded SUT
// (no pages, no open slabs, nothing kept, the next arena id 1) without a new
// process.
//
// Convention the assembly follows: every mutable global lives in a section
// named `morph_state` (`.section morph_state, "aw", @progbits`: one type in
// every file, or the linker makes two output sections of that name).  The
// linker then defines __start_morph_state and __stop_morph_state around all
// of them.  A foreign file's .data/.bss are moved there before it is
// assembled (tools/sut_prepare).  A SUT without that section links
// fine (the symbols are weak); available() is then false and a process can
// run the SUT from a fresh state only once.
#pragma once

#include <cstddef>

namespace mf::simos {

class SutState {
 public:
  static bool available();
  static std::size_t size();
  // Puts back the bytes the section held when the program was loaded.
  static void restore();
};

}  // namespace mf::simos
