// morph_abi.h - the functions of the Morph memory builtins' assembly ABI,
// as C++ declarations.  The layout constants and header structs they use
// are in layout.h (models/layout/, generated from asm/layout.inc).
#pragma once

#include <cstddef>
#include <cstdint>

#include "layout.h"

// The functions behind the op table's ops (MF_SUT_OP) are optional: a SUT
// may lack any of them and still be checked on the others.  The op table's
// adapters (harness/runner/op_calls.cpp) define MF_SUT_OPS_OPTIONAL before
// including this header, which declares them weak there: a function the SUT
// lacks then has a null address, and its ops are "not implemented by this
// SUT".  Every other file sees ordinary declarations, so a test that calls
// a function directly still fails to link without it.  (A program whose only
// reference is the weak one must link the SUT whole, or the linker would
// leave out the very members it looks for: MF_SUT_LINK in cmake/MorphAsm.cmake.)
#if defined(MF_SUT_OPS_OPTIONAL)
#define MF_SUT_OP __attribute__((weak))
#else
#define MF_SUT_OP
#endif

extern "C" {

// Page allocator (asm/alloc.s).
MF_SUT_OP void* mem_alloc(std::uint64_t size);
MF_SUT_OP void mem_free(void* ptr, std::uint64_t size);
MF_SUT_OP std::uint64_t mem_trim(void);
// Read-only views of the allocator's state, for the harness and tests.
MfPageHeader* mem_page_list_head(void);
std::uint64_t mem_page_count(void);

// Arena allocator (asm/arena.s).
MF_SUT_OP MfArenaHeader* arena_create(std::uint64_t size);
MF_SUT_OP void* arena_alloc(MfArenaHeader* arena, std::uint64_t size);
MF_SUT_OP void arena_reset(MfArenaHeader* arena);
MF_SUT_OP std::uint64_t arena_get_usage(MfArenaHeader* arena);
MF_SUT_OP std::uint64_t arena_get_capacity(MfArenaHeader* arena);
MF_SUT_OP void arena_destroy(MfArenaHeader* arena);

// Pool allocator (asm/pool.s).
MF_SUT_OP MfPoolHeader* pool_create(std::uint64_t obj_size, std::uint64_t capacity);
MF_SUT_OP void* pool_alloc(MfPoolHeader* pool);
MF_SUT_OP void pool_free(MfPoolHeader* pool, void* obj);
MF_SUT_OP void pool_destroy(MfPoolHeader* pool);

// Checked builtins (asm/builtins.s).
MF_SUT_OP void* __mf_mem_alloc(std::uint64_t size);
MF_SUT_OP void __mf_mem_free(void* ptr, std::uint64_t size);
MF_SUT_OP std::int64_t __mf_load_i64(const void* addr);
MF_SUT_OP void __mf_poke_i64(void* addr, std::int64_t value);
MF_SUT_OP std::uint64_t __mf_load_byte(const void* addr);
MF_SUT_OP void __mf_poke_byte(void* addr, std::uint64_t value);
MF_SUT_OP void* __mf_memcpy(void* dst, const void* src, std::uint64_t n);
std::int64_t __mf_init(void);

// Daemon cleaner (asm/daemon_cleaner.s).
MF_SUT_OP std::int64_t daemon_clean_snapshots(void);
MF_SUT_OP std::int64_t daemon_clean_sandboxes(void);
MF_SUT_OP std::int64_t daemon_monitor_memory(void);
std::int64_t daemon_start(void);
// Its configuration (docs/spec.md, "Configuration"), read at each call; the
// runner sets the directory's path, the TTLs and pid_max of the daemon
// target's trace and the threshold of the meminfo target's (optional like
// the ops' functions).
MF_SUT_OP extern const char* daemon_monitor_dir;
extern const char* daemon_meminfo_path;
MF_SUT_OP extern std::int64_t daemon_snapshot_ttl;
MF_SUT_OP extern std::int64_t daemon_sandbox_ttl;
extern std::int64_t daemon_interval;
MF_SUT_OP extern std::int64_t daemon_mem_threshold;
extern std::int64_t daemon_log_fd;
MF_SUT_OP extern std::int64_t daemon_pid_max;

// The shared failure path (asm/panic.s): message on stderr, then exit(code).
[[noreturn]] void __mf_panic(int code, const char* where);
// The same, naming a fault address: "morph: <reason> at 0x<hex> (exit N)".
[[noreturn]] void __mf_panic_at(int code, std::uint64_t address);

}  // extern "C"
