// libFuzzer target of the asm coverage smoke test: the only branches that
// depend on the input's bytes are in mf_fx_magic (tests/asm_cov/fixtures/
// magic.s), so libFuzzer can only make progress towards "MFZ" if it sees the
// assembly's counters.  Built twice: against the instrumented fixture and
// against the plain one.

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" std::uint64_t mf_fx_magic(const std::uint8_t* data, std::uint64_t size);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (mf_fx_magic(data, size) != 0) {
    std::fprintf(stderr, "mf-fuzz-smoke: magic found\n");
    std::abort();
  }
  return 0;
}
