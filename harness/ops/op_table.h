// op_table.h - the vocabulary of the harness: every operation a trace can
// hold, described once.  The text reader and writer, the binary decoder and
// encoder, the runner's dispatch, the RapidCheck generators and the fuzz
// entry points all read this table; none of them lists ops of its own.
//
// An op is either a call of the system under test (an allocator function, a
// checked builtin, the cleaner's memory monitor) or a control op that
// changes the environment (the simulated OS's fault injection, clock and
// files).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mf::ops {

// What a trace exercises.  Each target allows a subset of the ops; `mixed`
// allows every op of the memory builtins.  `meminfo` (the cleaner's memory
// monitor over a simulated /proc/meminfo) and `daemon` (the cleaner's
// passes over a simulated monitor directory) have ops of their own, outside
// `mixed`: they need the simulated OS's files, which native mode lacks.
enum class Target : std::uint8_t { arena, pool, alloc, builtins, mixed, meminfo, daemon };
inline constexpr std::array<Target, 7> kAllTargets = {Target::arena, Target::pool,    Target::alloc, Target::builtins,
                                                      Target::mixed, Target::meminfo, Target::daemon};
std::string_view target_name(Target target);
std::optional<Target> target_from_name(std::string_view name);

// The kinds of operand.  Several kinds share a text syntax (see SyntaxClass);
// they differ in how the binary decoder draws them, so that random bytes
// mostly produce meaningful calls (a free of a live block with its size).
enum class ArgKind : std::uint8_t {
  size,        // a byte count or element count (number)
  value,       // a value stored by a poke (number)
  count,       // N of os_fail: the N-th call from now fails, N >= 1 (number)
  limit,       // the bytes a run may have mapped (memory_limit; number)
  time,        // seconds for the clock ops (number)
  os_call,     // mmap | munmap
  arena,       // null | a<i>
  pool,        // null | p<i>
  ptr,         // any pointer expression
  obj,         // pointer expression; the decoder prefers slots of the op's pool
  freed_obj,   // as obj; the generators prefer the pool's free objects
  link_value,  // as obj: what a freed object's link is made to hold (generators: free, live, wrong slots, null)
  freed_block, // as block; the generators prefer blocks already freed
  block,       // pointer expression; the decoder prefers live m<i> handles
  block_link,  // as block: what a freed block's link is made to hold (generators: the slab's other
               // free blocks, its header, at or past bump, inside a block, live blocks, null)
  block_size,  // size; the decoder prefers the size of the op's block operand
};

enum class SyntaxClass : std::uint8_t { number, os_call, arena_handle, pool_handle, pointer };
SyntaxClass syntax_of(ArgKind kind);

// What an op returns, which decides the expectation syntax and how the runner
// compares the SUT with the model.
enum class ResultKind : std::uint8_t {
  none,       // void function or control op: expectation `ok` or `exit N`
  number,     // usage, capacity: compared as numbers, written in decimal
  bits,       // loaded memory: compared under the model's known-byte mask, written in hex
  pointer,    // an address, written relative to a handle (or 0)
  new_arena,  // creates a<i> (i = how many arena_create ops came before), or 0
  new_pool,   // creates p<i>, or 0
  new_block,  // creates m<i>, or 0
};

// What an op does to the objects the harness tracks, beyond its result
// (a creation is said by its ResultKind).  The runner's bookkeeping and
// checks, the generators' guesses and the handle tracking act on this, not
// on the op's name.
enum class Effect : std::uint8_t {
  none,         // nothing beyond its result (a load, a creation, a control op)
  arena_read,   // reads the header of its arena operand
  arena_bump,   // allocates a block after the last one of its arena operand
  arena_reset,  // forgets every block of its arena operand
  pool_take,    // takes an object (zero-filled) from its pool operand
  pool_return,  // returns its object operand to its pool operand
  ends_handle,  // ends the handle its first operand names exactly (a destroy, a free)
  write,        // writes `width` bytes at its first operand
  copy,         // writes at its first operand as many bytes as its last operand says
};

// What an op's size operands mean, so that generators draw likely values.
enum class SizeRole : std::uint8_t {
  request,         // a request for bytes (the default)
  arena_capacity,  // an arena's capacity
  arena_request,   // a request that fits what its arena has left, mostly
  pool_shape,      // object size, then capacity
  copy_length,     // a length that fits both pointer operands, mostly
};

// Which ops may appear in which targets, as a bit set over Target.
using TargetMask = std::uint8_t;
constexpr TargetMask mask_of(Target target) { return static_cast<TargetMask>(1u << static_cast<unsigned>(target)); }

// X(name, targets, result, control, weight, effect, width, size_role, panic_names, arg kinds...)
//   targets:     the targets besides `mixed` (which has every op)
//   control:     true for ops handled by the environment, not the SUT
//   weight:      how often the generators draw it, relative to the other ops
//                of its target: enough creations to have objects, mostly
//                uses of them, a little fault injection
//   effect:      what it does to the objects the harness tracks (Effect)
//   width:       bytes it reads or writes at its first operand (0: none)
//   size_role:    what its size operands mean, for the generators (SizeRole)
//   panic_names: the function names the SUT's exit message may give for this
//                op, '|'-separated (a destroy exits through mem_free's check,
//                a creation through mem_alloc's check of a corrupt free head)
//   arg kinds:   none to three (an op without operands ends its row there)
#define MF_TGT(t) mask_of(Target::t)
#define MF_OP_LIST(X)                                                                                                                                 \
  X(arena_create, MF_TGT(arena), new_arena, false, 4, none, 0, arena_capacity, "arena_create|mem_alloc", ArgKind::size)                               \
  X(arena_alloc, MF_TGT(arena), pointer, false, 14, arena_bump, 0, arena_request, "arena_alloc", ArgKind::arena, ArgKind::size)                       \
  X(arena_reset, MF_TGT(arena), none, false, 2, arena_reset, 0, request, "arena_reset", ArgKind::arena)                                               \
  X(arena_usage, MF_TGT(arena), number, false, 2, arena_read, 0, request, "arena_get_usage", ArgKind::arena)                                          \
  X(arena_capacity, MF_TGT(arena), number, false, 2, arena_read, 0, request, "arena_get_capacity", ArgKind::arena)                                    \
  X(arena_destroy, MF_TGT(arena), none, false, 2, ends_handle, 0, request, "arena_destroy|mem_free", ArgKind::arena)                                  \
  X(pool_create, MF_TGT(pool), new_pool, false, 4, none, 0, pool_shape, "pool_create|mem_alloc", ArgKind::size, ArgKind::size)                        \
  X(pool_alloc, MF_TGT(pool), pointer, false, 12, pool_take, 0, request, "pool_alloc", ArgKind::pool)                                                 \
  X(pool_free, MF_TGT(pool), none, false, 10, pool_return, 0, request, "pool_free", ArgKind::pool, ArgKind::obj)                                      \
  X(pool_destroy, MF_TGT(pool), none, false, 2, ends_handle, 0, request, "pool_destroy|mem_free", ArgKind::pool)                                      \
  X(pool_uaf_link, MF_TGT(pool), none, false, 1, none, 0, request, "", ArgKind::pool, ArgKind::freed_obj, ArgKind::link_value)                            \
  X(mem_alloc, MF_TGT(alloc) | MF_TGT(builtins), new_block, false, 12, none, 0, request, "mem_alloc", ArgKind::size)                                  \
  X(mem_free, MF_TGT(alloc) | MF_TGT(builtins), none, false, 9, ends_handle, 0, request, "mem_free", ArgKind::block, ArgKind::block_size)             \
  X(mem_trim, MF_TGT(alloc) | MF_TGT(builtins), number, false, 1, none, 0, request, "mem_trim")                                                      \
  X(mem_uaf_link, MF_TGT(alloc), none, false, 1, none, 0, request, "", ArgKind::freed_block, ArgKind::block_link)                                       \
  X(load_i64, MF_TGT(builtins), bits, false, 4, none, 8, request, "__mf_load_i64", ArgKind::ptr)                                                      \
  X(poke_i64, MF_TGT(builtins), none, false, 4, write, 8, request, "__mf_poke_i64", ArgKind::ptr, ArgKind::value)                                     \
  X(load_byte, MF_TGT(builtins), bits, false, 3, none, 1, request, "__mf_load_byte", ArgKind::ptr)                                                    \
  X(poke_byte, MF_TGT(builtins), none, false, 3, write, 1, request, "__mf_poke_byte", ArgKind::ptr, ArgKind::value)                                   \
  X(memcpy, MF_TGT(builtins), pointer, false, 4, copy, 1, copy_length, "__mf_memcpy", ArgKind::ptr, ArgKind::ptr, ArgKind::size)                      \
  X(os_fail, kEveryTarget, none, true, 2, none, 0, request, "", ArgKind::os_call, ArgKind::count)                                                     \
  X(clock_set, kEveryTarget, none, true, 1, none, 0, request, "", ArgKind::time)                                                                      \
  X(clock_advance, kEveryTarget, none, true, 1, none, 0, request, "", ArgKind::time)                                                                  \
  X(memory_limit, MF_TGT(arena) | MF_TGT(pool) | MF_TGT(alloc) | MF_TGT(builtins), none, true, 1, none, 0, request, "", ArgKind::limit)              \
  X(monitor_memory, MF_TGT(meminfo), number, false, 4, none, 0, request, "daemon_monitor_memory")                                                    \
  X(meminfo_line, MF_TGT(meminfo), none, true, 8, none, 0, request, "", ArgKind::size, ArgKind::value, ArgKind::size)                                \
  X(meminfo_filler, MF_TGT(meminfo), none, true, 1, none, 0, request, "", ArgKind::size)                                                              \
  X(meminfo_fail, MF_TGT(meminfo), none, true, 1, none, 0, request, "", ArgKind::size)                                                                \
  X(read_chunk, MF_TGT(meminfo) | MF_TGT(daemon), none, true, 1, none, 0, request, "", ArgKind::size)                                               \
  X(clean_snapshots, MF_TGT(daemon), number, false, 4, none, 0, request, "daemon_clean_snapshots")                                                  \
  X(clean_sandboxes, MF_TGT(daemon), number, false, 4, none, 0, request, "daemon_clean_sandboxes")                                                  \
  X(dir_entry, MF_TGT(daemon), none, true, 10, none, 0, request, "", ArgKind::size, ArgKind::size, ArgKind::size)                                    \
  X(dir_state, MF_TGT(daemon), none, true, 1, none, 0, request, "", ArgKind::size)                                                                   \
  X(dir_read_fails, MF_TGT(daemon), none, true, 1, none, 0, request, "", ArgKind::size)                                                              \
  X(dir_batch, MF_TGT(daemon), none, true, 1, none, 0, request, "", ArgKind::size)                                                                   \
  X(daemon_config, MF_TGT(daemon), none, true, 1, none, 0, request, "", ArgKind::size, ArgKind::value)              \
  X(meminfo_threshold, MF_TGT(meminfo), none, true, 1, none, 0, request, "", ArgKind::value)                                                        \
  X(zeroed_stack, MF_TGT(meminfo), none, true, 1, none, 0, request, "", ArgKind::size)                                                             \
  X(stack_addresses, MF_TGT(meminfo), none, true, 1, none, 0, request, "", ArgKind::size)

inline constexpr TargetMask kEveryTarget = 0x7F;
// The targets whose ops `mixed` does not take (see Target).
inline constexpr TargetMask kOwnOpsTargets = mask_of(Target::meminfo) | mask_of(Target::daemon);

enum class OpCode : std::uint8_t {
#define MF_OP_ENUM(name, ...) name,
  MF_OP_LIST(MF_OP_ENUM)
#undef MF_OP_ENUM
};

inline constexpr std::size_t kOpCount = 0
#define MF_OP_COUNT(...) +1
    MF_OP_LIST(MF_OP_COUNT)
#undef MF_OP_COUNT
    ;

inline constexpr std::size_t kMaxArgs = 3;

struct OpInfo {
  OpCode code;
  std::string_view name;
  TargetMask targets;  // `mixed` included
  ResultKind result;
  bool control;
  unsigned weight;   // the generators' relative frequency
  Effect effect;
  std::uint8_t width;  // bytes accessed at the first operand
  SizeRole size_role;
  std::string_view panic_names;
  std::array<ArgKind, kMaxArgs> args;
  std::uint8_t arity;

  bool allowed_in(Target target) const { return (targets & mask_of(target)) != 0; }
  std::span<const ArgKind> arg_kinds() const { return {args.data(), arity}; }
  bool creates_handle() const {
    return result == ResultKind::new_arena || result == ResultKind::new_pool || result == ResultKind::new_block;
  }
};

namespace detail {
template <typename... Kinds>
constexpr OpInfo make_info(OpCode code, std::string_view name, TargetMask targets, ResultKind result, bool control,
                           unsigned weight, Effect effect, std::uint8_t width, SizeRole size_role,
                           std::string_view panic_names, Kinds... kinds) {
  // Every op is in `mixed` but those of the targets that keep their own.
  const bool own_ops = (targets & kOwnOpsTargets) != 0 && targets != kEveryTarget;
  return OpInfo{code,   name,    static_cast<TargetMask>(own_ops ? targets : targets | mask_of(Target::mixed)),
                result, control, weight,
                effect, width,   size_role,
                panic_names,     std::array<ArgKind, kMaxArgs>{kinds...},
                static_cast<std::uint8_t>(sizeof...(kinds))};
}
}  // namespace detail

inline constexpr std::array<OpInfo, kOpCount> kOpTable = {
#define MF_OP_INFO(name, targets, result, control, weight, effect, width, size_role, panic_names, ...)    \
  detail::make_info(OpCode::name, #name, targets, ResultKind::result, control, weight, Effect::effect, width, \
                    SizeRole::size_role, panic_names __VA_OPT__(, ) __VA_ARGS__),
    MF_OP_LIST(MF_OP_INFO)
#undef MF_OP_INFO
};
#undef MF_TGT

inline const OpInfo& info(OpCode code) { return kOpTable[static_cast<std::size_t>(code)]; }
// The ops of the targets that keep their own (kOwnOpsTargets): they read
// files that only the simulated OS serves.
inline bool needs_simulated_os(const OpInfo& op) { return !op.allowed_in(Target::mixed); }
inline bool simulated_only(Target target) { return (mask_of(target) & kOwnOpsTargets) != 0; }
std::optional<OpCode> op_from_name(std::string_view name);

// The ops of a target in table order: the SUT calls first, then the control
// ops.  The binary format numbers ops by their position in these lists.
std::span<const OpCode> sut_ops_of(Target target);
std::span<const OpCode> control_ops_of(Target target);

// mem_alloc / mem_free go through the checked entry points __mf_mem_alloc /
// __mf_mem_free in the builtins target (the functions Morph programs call),
// and through mem_alloc / mem_free everywhere else.
inline bool uses_checked_alloc_entry(Target target) { return target == Target::builtins; }

// Whether the runner mirrors its integrity pattern into the model's memory:
// only targets that can read memory back need the model to know the bytes.
inline bool target_reads_memory(Target target) { return target == Target::builtins || target == Target::mixed; }

// os_fail's first operand.
enum class OsCall : std::uint8_t { mmap = 0, munmap = 1 };
std::string_view os_call_name(OsCall call);
std::optional<OsCall> os_call_from_name(std::string_view name);

}  // namespace mf::ops
