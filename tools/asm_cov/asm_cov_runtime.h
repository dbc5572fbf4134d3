/* The run-time side of assembly coverage: finds every file instrumented by
 * mf-asm-instrument that is linked into the program, and resets, copies or
 * folds its counters.  C-compatible so that any fuzz driver can use it.
 *
 * Each instrumented object contributes one record to the section
 * mf_asm_cov_files; the linker brackets them with __start_mf_asm_cov_files
 * and __stop_mf_asm_cov_files.  The counters themselves live in
 * __libfuzzer_extra_counters, where libFuzzer reads them without help.
 * Counters are 8-bit and saturate at 255.
 *
 * Not thread-safe, like the builtins it observes.
 */
#ifndef MF_ASM_COV_RUNTIME_H
#define MF_ASM_COV_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The record an instrumented file carries (layout fixed by probe_text.cpp:
 * four quads). */
typedef struct mf_asm_cov_file {
  uint8_t *counters;   /* one byte per probe */
  uint64_t count;      /* number of probes (may be 0) */
  const char *name;    /* the source name given to the instrumenter, e.g. "alloc.s";
                          its map is <name>.covmap in the library's map directory */
  uint64_t name_hash;  /* FNV-1a 64 of name: a stable id of the file */
} mf_asm_cov_file;

/* The instrumented files linked into this program, in link order. */
size_t mf_asm_cov_file_count(void);
const mf_asm_cov_file *mf_asm_cov_file_at(size_t i); /* NULL when i is out of range */
const mf_asm_cov_file *mf_asm_cov_find_file(const char *name); /* NULL when absent */

/* Sum of the counts of every file. */
size_t mf_asm_cov_total_counters(void);

/* Sets every counter of every file to 0. */
void mf_asm_cov_reset(void);

/* Copies every counter, file after file in mf_asm_cov_file_at order, into
 * out (at most capacity bytes); returns mf_asm_cov_total_counters(). */
size_t mf_asm_cov_snapshot(uint8_t *out, size_t capacity);

/* Number of counters that are not 0. */
size_t mf_asm_cov_nonzero_count(void);

/* The cell of an AFL++ coverage map of `map_size` bytes (map_size > 0) that
 * counter `index` of the file with `name_hash` lands in; stable across runs
 * and builds as long as the file's name and the counter's index are. */
size_t mf_asm_cov_afl_index(uint64_t name_hash, uint64_t index, size_t map_size);

/* For AFL++: adds every nonzero counter into area[mf_asm_cov_afl_index(...)],
 * saturating at 255, then resets all counters.  Call it once after each
 * persistent-loop iteration, with __afl_area_ptr and __afl_map_size, so
 * that the next iteration starts from zero like AFL++'s own map. */
void mf_asm_cov_fold_into_afl(uint8_t *area, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* MF_ASM_COV_RUNTIME_H */
