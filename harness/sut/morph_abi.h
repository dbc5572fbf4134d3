// morph_abi.h - the C++ view of the Morph memory builtins: every function of
// the assembly ABI and every layout constant of asm/layout.inc.
//
// asm/layout.inc is the source of truth for the assembly; this header is the
// source of truth for C++.  tests/unit/layout_test.cpp checks, value by value,
// that the two agree (the assembler's own values, through a generated probe),
// and that neither has a constant the other lacks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mf::layout {

// X(name, value): one line per `.equ` of asm/layout.inc, in the same order.
#define MF_LAYOUT_CONSTANTS(X)                 \
  X(MF_EXIT_NULL, 110)                         \
  X(MF_EXIT_BOUNDS, 111)                       \
  X(MF_EXIT_STACK, 112)                        \
  X(PAGE_NEXT, 0x00)                           \
  X(PAGE_PREV, 0x08)                           \
  X(PAGE_TIMESTAMP, 0x10)                      \
  X(PAGE_SIZE_FIELD, 0x18)                     \
  X(PAGE_MAGIC, 0x20)                          \
  X(PAGE_RESERVED, 0x28)                       \
  X(PAGE_HDR_SIZE, 48)                         \
  X(PAGE_MAGIC_VALUE, 0x584F464C454F5A56ull)   \
  X(PAGE_BLOCK_SIZE, 0x30)                     \
  X(PAGE_LIVE, 0x38)                           \
  X(PAGE_FREE_HEAD, 0x40)                      \
  X(PAGE_BUMP, 0x48)                           \
  X(PAGE_CLASS, 0x50)                          \
  X(PAGE_RECIP, 0x58)                          \
  X(PAGE_EXT_END, 0x60)                        \
  X(PAGE_BITMAP, 0x60)                         \
  X(PAGE_BITMAP_BYTES, 512)                    \
  X(SLAB_BLOCKS_OFFSET, 0x260)                 \
  X(PAGE_CLASS_LARGE, 0xFFFF)                  \
  X(LARGE_USER_OFFSET, 0x60)                   \
  X(OS_PAGE_SIZE, 4096)                        \
  X(SLAB_SIZE, 65536)                          \
  X(MEM_ALIGN, 16)                             \
  X(SMALL_MAX, 8192)                           \
  X(MEM_MAX_REQUEST, 0x10000000000ull)         \
  X(NUM_CLASSES, 67)                           \
  X(ARENA_START, 0x00)                         \
  X(ARENA_CURRENT, 0x08)                       \
  X(ARENA_END, 0x10)                           \
  X(ARENA_ID, 0x18)                            \
  X(ARENA_HDR_SIZE, 32)                        \
  X(ARENA_ALIGN, 8)                            \
  X(POOL_START, 0x00)                          \
  X(POOL_CURRENT, 0x08)                        \
  X(POOL_END, 0x10)                            \
  X(POOL_OBJ_SIZE, 0x18)                       \
  X(POOL_FREE_HEAD, 0x20)                      \
  X(POOL_RESERVED, 0x28)                       \
  X(POOL_HDR_SIZE, 48)                         \
  X(POOL_MIN_OBJ, 8)                           \
  X(POOL_ALIGN, 8)                             \
  X(NULL_PAGE_END, 4096)                       \
  X(USER_SPACE_END, 0x800000000000ull)         \
  X(ALTSTACK_SIZE, 65536)                      \
  X(STACK_GUARD_WINDOW, 65536)                 \
  X(DAEMON_SNAPSHOT_TTL, 300)                  \
  X(DAEMON_SANDBOX_TTL, 60)                    \
  X(DAEMON_LOOP_SECONDS, 2)                    \
  X(DAEMON_MEM_THRESHOLD, 80)                  \
  X(SYSNO_read, 0)                               \
  X(SYSNO_write, 1)                              \
  X(SYSNO_close, 3)                              \
  X(SYSNO_fstat, 5)                              \
  X(SYSNO_mmap, 9)                               \
  X(SYSNO_munmap, 11)                            \
  X(SYSNO_rt_sigaction, 13)                      \
  X(SYSNO_rt_sigreturn, 15)                      \
  X(SYSNO_nanosleep, 35)                         \
  X(SYSNO_getpid, 39)                            \
  X(SYSNO_fork, 57)                              \
  X(SYSNO_exit, 60)                              \
  X(SYSNO_kill, 62)                              \
  X(SYSNO_getuid, 102)                           \
  X(SYSNO_setsid, 112)                           \
  X(SYSNO_sigaltstack, 131)                      \
  X(SYSNO_time, 201)                             \
  X(SYSNO_getdents64, 217)                       \
  X(SYSNO_exit_group, 231)                       \
  X(SYSNO_openat, 257)                           \
  X(SYSNO_unlinkat, 263)                         \
  X(SYSNO_fstatat, 262)

#define MF_DEFINE_LAYOUT_CONSTANT(name, value) inline constexpr std::uint64_t name = value;
MF_LAYOUT_CONSTANTS(MF_DEFINE_LAYOUT_CONSTANT)
#undef MF_DEFINE_LAYOUT_CONSTANT

}  // namespace mf::layout

// The seed's headers as C++ structs, for tests and the runner to read fields
// by name.  The static_asserts tie each field to its layout constant.
struct MfPageHeader {
  MfPageHeader* next;
  MfPageHeader* prev;
  std::uint64_t timestamp;
  std::uint64_t page_size;
  std::uint64_t magic;
  std::uint64_t reserved;
};
struct MfArenaHeader {
  std::uint64_t start;
  std::uint64_t current;
  std::uint64_t end;
  std::uint64_t id;
};
struct MfPoolHeader {
  std::uint64_t start;
  std::uint64_t current;
  std::uint64_t end;
  std::uint64_t obj_size;
  std::uint64_t free_head;
  std::uint64_t reserved;
};

static_assert(offsetof(MfPageHeader, next) == mf::layout::PAGE_NEXT);
static_assert(offsetof(MfPageHeader, prev) == mf::layout::PAGE_PREV);
static_assert(offsetof(MfPageHeader, timestamp) == mf::layout::PAGE_TIMESTAMP);
static_assert(offsetof(MfPageHeader, page_size) == mf::layout::PAGE_SIZE_FIELD);
static_assert(offsetof(MfPageHeader, magic) == mf::layout::PAGE_MAGIC);
static_assert(offsetof(MfPageHeader, reserved) == mf::layout::PAGE_RESERVED);
static_assert(sizeof(MfPageHeader) == mf::layout::PAGE_HDR_SIZE);
static_assert(offsetof(MfArenaHeader, start) == mf::layout::ARENA_START);
static_assert(offsetof(MfArenaHeader, current) == mf::layout::ARENA_CURRENT);
static_assert(offsetof(MfArenaHeader, end) == mf::layout::ARENA_END);
static_assert(offsetof(MfArenaHeader, id) == mf::layout::ARENA_ID);
static_assert(sizeof(MfArenaHeader) == mf::layout::ARENA_HDR_SIZE);
static_assert(offsetof(MfPoolHeader, start) == mf::layout::POOL_START);
static_assert(offsetof(MfPoolHeader, current) == mf::layout::POOL_CURRENT);
static_assert(offsetof(MfPoolHeader, end) == mf::layout::POOL_END);
static_assert(offsetof(MfPoolHeader, obj_size) == mf::layout::POOL_OBJ_SIZE);
static_assert(offsetof(MfPoolHeader, free_head) == mf::layout::POOL_FREE_HEAD);
static_assert(offsetof(MfPoolHeader, reserved) == mf::layout::POOL_RESERVED);
static_assert(sizeof(MfPoolHeader) == mf::layout::POOL_HDR_SIZE);

// The ABI.  Every function is System V x86-64; see docs/spec.md for the
// contract of each (results, failures, exit codes).
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
