#include "asm_cov_runtime.h"

#include <cstdint>
#include <cstring>

static_assert(sizeof(mf_asm_cov_file) == 32, "the record is four quads (probe_text.cpp)");

// Weak: a program without any instrumented file still links, and then both
// are null.
extern "C" {
extern const mf_asm_cov_file __start_mf_asm_cov_files[] __attribute__((weak));
extern const mf_asm_cov_file __stop_mf_asm_cov_files[] __attribute__((weak));
}

namespace {

// The records as an array.  Computed on integer addresses: __start_ and
// __stop_ are distinct symbols to the compiler, so subtracting the pointers
// would formally compare unrelated objects.
size_t record_count() {
  if (!__start_mf_asm_cov_files) return 0;
  auto begin = reinterpret_cast<uintptr_t>(__start_mf_asm_cov_files);
  auto end = reinterpret_cast<uintptr_t>(__stop_mf_asm_cov_files);
  return (end - begin) / sizeof(mf_asm_cov_file);
}

const mf_asm_cov_file *files_begin() { return __start_mf_asm_cov_files; }
const mf_asm_cov_file *files_end() { return files_begin() + record_count(); }

// splitmix64's finalizer: spreads consecutive indices of one file over the
// whole map, and different files apart.
uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

extern "C" {

size_t mf_asm_cov_file_count(void) { return record_count(); }

const mf_asm_cov_file *mf_asm_cov_file_at(size_t i) {
  return i < mf_asm_cov_file_count() ? files_begin() + i : nullptr;
}

const mf_asm_cov_file *mf_asm_cov_find_file(const char *name) {
  for (const mf_asm_cov_file *f = files_begin(); f != files_end(); ++f)
    if (std::strcmp(f->name, name) == 0) return f;
  return nullptr;
}

size_t mf_asm_cov_total_counters(void) {
  size_t total = 0;
  for (const mf_asm_cov_file *f = files_begin(); f != files_end(); ++f) total += f->count;
  return total;
}

void mf_asm_cov_reset(void) {
  for (const mf_asm_cov_file *f = files_begin(); f != files_end(); ++f)
    if (f->count) std::memset(f->counters, 0, f->count);
}

size_t mf_asm_cov_snapshot(uint8_t *out, size_t capacity) {
  size_t at = 0;
  for (const mf_asm_cov_file *f = files_begin(); f != files_end(); ++f) {
    for (uint64_t k = 0; k < f->count; ++k, ++at)
      if (at < capacity) out[at] = f->counters[k];
  }
  return at;
}

size_t mf_asm_cov_nonzero_count(void) {
  size_t n = 0;
  for (const mf_asm_cov_file *f = files_begin(); f != files_end(); ++f)
    for (uint64_t k = 0; k < f->count; ++k) n += f->counters[k] != 0;
  return n;
}

size_t mf_asm_cov_afl_index(uint64_t name_hash, uint64_t index, size_t map_size) {
  return static_cast<size_t>(mix(name_hash ^ mix(index + 1)) % map_size);
}

void mf_asm_cov_fold_into_afl(uint8_t *area, size_t size) {
  if (!area || size == 0) return;
  for (const mf_asm_cov_file *f = files_begin(); f != files_end(); ++f) {
    for (uint64_t k = 0; k < f->count; ++k) {
      uint8_t c = f->counters[k];
      if (!c) continue;
      uint8_t &cell = area[mf_asm_cov_afl_index(f->name_hash, k, size)];
      cell = static_cast<uint8_t>(cell + c < 255 ? cell + c : 255);
      f->counters[k] = 0;
    }
  }
}

}  // extern "C"
