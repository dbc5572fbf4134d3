// morph_abi.h - the functions of the Morph memory builtins' assembly ABI,
// as C++ declarations.  The layout constants and header structs they use
// are in layout.h (models/layout/, generated from asm/layout.inc).
#pragma once

#include <cstddef>
#include <cstdint>

#include "layout.h"

extern "C" {

// Page allocator (asm/alloc.s).
void* mem_alloc(std::uint64_t size);
void mem_free(void* ptr, std::uint64_t size);
// Read-only views of the allocator's state, for the harness and tests.
MfPageHeader* mem_page_list_head(void);
std::uint64_t mem_page_count(void);

// Arena allocator (asm/arena.s).
MfArenaHeader* arena_create(std::uint64_t size);
void* arena_alloc(MfArenaHeader* arena, std::uint64_t size);
void arena_reset(MfArenaHeader* arena);
std::uint64_t arena_get_usage(MfArenaHeader* arena);
std::uint64_t arena_get_capacity(MfArenaHeader* arena);
void arena_destroy(MfArenaHeader* arena);

// Pool allocator (asm/pool.s).
MfPoolHeader* pool_create(std::uint64_t obj_size, std::uint64_t capacity);
void* pool_alloc(MfPoolHeader* pool);
void pool_free(MfPoolHeader* pool, void* obj);
void pool_destroy(MfPoolHeader* pool);

// Checked builtins (asm/builtins.s).
void* __mf_mem_alloc(std::uint64_t size);
void __mf_mem_free(void* ptr, std::uint64_t size);
std::int64_t __mf_load_i64(const void* addr);
void __mf_poke_i64(void* addr, std::int64_t value);
std::uint64_t __mf_load_byte(const void* addr);
void __mf_poke_byte(void* addr, std::uint64_t value);
void* __mf_memcpy(void* dst, const void* src, std::uint64_t n);
std::int64_t __mf_init(void);

// Daemon cleaner (asm/daemon_cleaner.s).
std::int64_t daemon_clean_snapshots(void);
std::int64_t daemon_clean_sandboxes(void);
std::int64_t daemon_monitor_memory(void);
std::int64_t daemon_start(void);

// The shared failure path (asm/panic.s): message on stderr, then exit(code).
[[noreturn]] void __mf_panic(int code, const char* where);
// The same, naming a fault address: "morph: <reason> at 0x<hex> (exit N)".
[[noreturn]] void __mf_panic_at(int code, std::uint64_t address);

}  // extern "C"
