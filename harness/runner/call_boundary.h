// call_boundary.h - every call from the runner into the SUT goes through
// one assembly trampoline (call_boundary.s) that checks the calling
// convention at the call's boundary, the way checkasm does for video
// codecs' assembly: the callee-saved registers (rbx, rbp, r12-r15) hold
// fresh random canaries at the call and must hold them after it; the stack
// pointer must be back where it was; the direction flag must be clear.
// A C++ caller would otherwise notice a clobbered register only if the
// compiler happened to keep something in it.  The other way round, every
// register the callee may not rely on gets fresh garbage at the call: rax,
// rcx, r8-r10, xmm0-xmm15 and the argument registers the function does not
// take (a function that reads rdx without setting it, say a `div` whose
// `xor %edx, %edx` went missing, would otherwise read the 0 our caller
// happened to leave there).  The stack below the call gets garbage too,
// a fixed pattern over `stack_fill` bytes (kStackPattern): a function that
// reads a stack slot it never wrote, or a buffer past what it filled, finds
// bytes that make the read go wrong (digits where a parser looks for one,
// a non-canonical address where a pointer was expected) instead of what
// the harness's own frames happened to leave there.  The pattern is fixed,
// and rsp is 16-aligned at every call, so a replay finds the same bytes.
// A meminfo trace may ask for zeros instead (zeroed_stack), the stack a new
// process starts with: a read of a slot never written that only the zeros
// make go wrong shows there; or for one address of the stack in every quad
// (stack_addresses, op_calls.h), what an earlier, deeper call leaves: a
// never-written slot read as a pointer, or as the end of a buffer, then
// holds a plausible one.
//
// The call may also run on a stack of its own (stack_top): the cleaner's
// calls run on one mapped below the program's code (op_calls.cpp).  A
// program may put a stack anywhere (a thread's or a coroutine's mapping),
// but the harness's own lies above every static address, so code that
// compares a stack address with a static one (a buffer's cursor with a
// string constant's) would otherwise always find the stack above.
//
// The trampoline puts rsp back and clears the direction flag before it
// returns, so the harness goes on safely and reports the violation as a
// divergence of its own (session_checks.cpp).  A call that ends by an exit
// or a fault leaves through longjmp and is not checked.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace mf::runner {

// Eight bytes, repeated below the call: in memory 35 ff 00 37 80 01 39 a5,
// so three of every eight bytes are ASCII digits, and a quad read as a
// pointer is not canonical (it faults).
inline constexpr std::uint64_t kStackPattern = 0xa5390180'3700ff35;
// How much stack the SUT's functions may use: the cleaner's about 10 KiB
// (daemon_cleaner.s), the allocators' and builtins' a few hundred bytes.
inline constexpr std::uint64_t kStackFillCleaner = 12 * 1024;
inline constexpr std::uint64_t kStackFillOther = 1024;

// Shared with call_boundary.s: the offsets there follow this layout.
struct CallBoundary {
  std::array<std::uint64_t, 6> canary{};  // rbx, rbp, r12, r13, r14, r15 at the call
  std::array<std::uint64_t, 6> after{};   // the same registers after it
  std::uint64_t rsp_before = 0;
  std::uint64_t rsp_after = 0;
  std::uint64_t rflags_after = 0;
  std::array<std::uint64_t, 4> scratch{};  // garbage for rax, rcx, r8-r10 and the xmm registers at the call
  std::uint64_t stack_fill = 0;            // bytes below rsp filled with stack_pattern at the call (multiple of 8)
  std::uint64_t stack_top = 0;             // 0: the call runs on the caller's stack; else rsp at the call (16-aligned)
  std::uint64_t stack_pattern = kStackPattern;  // or 0: a zeroed stack (zeroed_stack), or an address (stack_addresses)
};
static_assert(sizeof(CallBoundary) == 22 * 8, "call_boundary.s reads this layout");

// Fresh canaries for the next call (a different random value per register
// and per call, so that a register restored from a stale save is caught too),
// and fresh garbage for the scratch registers.
void arm(CallBoundary& check);

// Garbage for argument register i (0 rdi, 1 rsi, 2 rdx) of a function that
// does not take it: on every other call, one of 0, 1, 2, 3 in turn, what a
// caller leaves there after passing a flag, a kind or a small count (so
// that an entry point of code shared by several, which forgot to load the
// selector the shared code dispatches on, meets each selector within eight
// calls; uniform garbage is 1 once in 2^32 draws); on the other calls
// check.scratch[i].
std::uint64_t unused_argument(const CallBoundary& check, std::size_t i);

// What the last call broke, one line ("rbx and r12 not preserved; rsp moved
// by -8; the direction flag left set"), or empty.
std::string violation(const CallBoundary& check);

}  // namespace mf::runner

extern "C" {
// Calls fn(args[0], args[1], args[2]) with the checks above; returns rax.
// (An argument the function does not take should be garbage too: the
// caller puts check->scratch values there.)
std::uint64_t mf_call_with_boundary_checks(const void* fn, const std::uint64_t* args,
                                           mf::runner::CallBoundary* check);
}
