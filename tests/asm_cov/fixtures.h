// The functions of tests/asm_cov/fixtures/*.s, twice: as instrumented by
// mf-asm-instrument (mf_fx_*) and as written (plain_mf_fx_*, the same
// objects assembled from the untouched sources with every symbol renamed).
#pragma once

#include <cstdint>

#define MF_FIXTURE_FUNCTIONS(X)                                              \
  X(std::uint64_t, mf_fx_magic, (const std::uint8_t* data, std::uint64_t n)) \
  X(std::uint64_t, mf_fx_sum_bytes, (const std::uint8_t* p, std::uint64_t n)) \
  X(std::uint64_t, mf_fx_find_zero, (const std::uint8_t* p, std::uint64_t n)) \
  X(std::uint64_t, mf_fx_classify, (const std::uint8_t* p, std::uint64_t n))  \
  X(std::uint64_t, mf_fx_redzone, (std::uint64_t a, std::uint64_t b))         \
  X(std::uint64_t, mf_fx_flags_across_label, (std::uint64_t a, std::uint64_t b)) \
  X(std::int64_t, mf_fx_compare3, (std::uint64_t a, std::uint64_t b))         \
  X(std::int64_t, mf_fx_compare3_signed, (std::int64_t a, std::int64_t b))    \
  X(std::uint64_t, mf_fx_carry_across_label, (std::uint64_t a, std::uint64_t b)) \
  X(std::uint64_t, mf_fx_direction_across_label, (void))                      \
  X(void*, mf_fx_fill, (void* dst, std::uint64_t byte, std::uint64_t n))      \
  X(void*, mf_fx_fill_split, (void* dst, std::uint64_t byte, std::uint64_t n)) \
  X(void*, mf_fx_fill_separated, (void* dst, std::uint64_t byte, std::uint64_t n)) \
  X(std::uint64_t, mf_fx_clamp, (std::uint64_t x, std::uint64_t max))         \
  X(std::uint64_t, mf_fx_read_text_word, (void))                              \
  X(std::uint64_t, mf_fx_extra_section, (std::uint64_t x))                    \
  X(std::uint64_t, mf_fx_after_pop, (void))

#define MF_DECLARE_FIXTURE(ret, name, params) \
  ret name params;                            \
  ret plain_##name params;

extern "C" {
MF_FIXTURE_FUNCTIONS(MF_DECLARE_FIXTURE)
// The counter arrays of the instrumented fixtures (one byte per probe).
extern std::uint8_t __mf_asm_cov_magic_counters[];
extern std::uint8_t __mf_asm_cov_loops_counters[];
extern std::uint8_t __mf_asm_cov_flags_counters[];
extern std::uint8_t __mf_asm_cov_rep_counters[];
}

#undef MF_DECLARE_FIXTURE
