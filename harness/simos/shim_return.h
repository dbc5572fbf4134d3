// shim_return.h - how the harness's __mf_os_* functions return to the SUT.
//
// The ABI lets a call clobber rcx, rdx, rsi, rdi, r8-r11 and the flags; the
// real os.s is less harsh: its wrappers are a `syscall` between a few moves,
// and Linux's syscall changes only rax (the result), rcx (the return
// address it jumps back to) and r11 (the rflags it saved, which sysret loads
// back, so the caller sees its own flags again).  The shim functions of the
// bindings (os_binding.h) are C++, and compiled C++ usually leaves the
// caller-saved registers as the SUT put them: code of the SUT that reads
// one after a call would then work by luck in the harness whichever way
// the real OS treats it.  So each binding's entry point is a thunk that
// calls the C++ function and returns in one of two ways, chosen by the
// runner for each call into the SUT (set_os_return, below):
//
// garbage (the default): every caller-saved register but rax holds garbage,
//   which is what the ABI allows a C function to leave.  Code that relies on
//   a register the call may clobber (a reload deleted, a test of rax missing
//   before a js) goes wrong:
//   - rdi, rsi, rdx, rcx, r8, r9, r10, r11: kShimReturnGarbage + 0, 8, ...,
//     56, eight non-canonical addresses (a pointer read from one faults), in
//     increasing order (rdi < rsi < rdx, so code that compares a cursor with
//     an end it lost walks instead of stopping);
//   - the flags: SF and ZF the opposite of what `test %rax, %rax` gives, so
//     that a js or jz that lost its test takes the wrong way.
// as Linux: rdi, rsi, rdx, r8, r9, r10 and the flags as the SUT called with
//   them, rcx and r11 the garbage above.  Code that took a register left by
//   an earlier call for the one it meant to load (a deleted load that the
//   kernel's kept value makes wrong) then acts as it does on the real OS,
//   where the garbage would have hidden it.  (os.s's four-argument wrappers
//   also copy rcx to r10 and its mmap uses more registers; the SUT relying
//   on either is caught in the garbage calls.)
//
// Both are fixed, so a replay finds the same.  The thunk keeps the stack's
// alignment (the C++ function sees rsp as the SUT's call left it, 16 bytes
// lower, less a multiple of 16) and everything else the ABI preserves.
#pragma once

#include <cstdint>

namespace mf::simos {
// The base of the garbage: call_boundary.h's kStackPattern, which read as
// an address is not canonical.  The thunk's text spells it below.
inline constexpr std::uint64_t kShimReturnGarbage = 0xa53901803700ff35;

// How the OS calls return from now on: as Linux leaves the registers (true)
// or with garbage (false, the default).
void set_os_return_as_linux(bool as_linux);
}  // namespace mf::simos

// Read by the thunks: nonzero returns as Linux does.  Defined in
// shim_return.cpp (mf_simos).
extern "C" unsigned char mf_os_return_as_linux;
#define MF_SHIM_RETURN_GARBAGE "0xa53901803700ff35"

// Defines the function `entry` (a C symbol) as: call `impl` (a C function of
// the same parameters) and return its rax with the registers and flags above.
// The entry saves the flags and the six registers Linux keeps (seven quads:
// with the return address, rsp is 16-aligned at the call of impl) and,
// returning as Linux, puts them back after the garbage of rcx and r11.
#define MF_SHIM_RETURN_THUNK(entry, impl)                                        \
  asm(".text\n"                                                                  \
      ".globl " #entry "\n"                                                      \
      ".type " #entry ", @function\n"                                            \
      ".p2align 4\n" #entry ":\n"                                                \
      "  pushfq\n"                                                               \
      "  pushq %rdi\n"                                                           \
      "  pushq %rsi\n"                                                           \
      "  pushq %rdx\n"                                                           \
      "  pushq %r8\n"                                                            \
      "  pushq %r9\n"                                                            \
      "  pushq %r10\n"                                                           \
      "  call " #impl "@PLT\n"                                                   \
      "  movq mf_os_return_as_linux@GOTPCREL(%rip), %r11\n"                      \
      "  cmpb $0, (%r11)\n"                                                      \
      "  jne 1f\n"                                                               \
      "  addq $56, %rsp\n"                                                       \
      "  movq %rax, %r11\n"                                                      \
      "  notq %r11\n"                                                            \
      "  testq %r11, %r11\n" /* SF = rax >= 0, ZF = rax == -1: flags from here on */ \
      "  movabsq $" MF_SHIM_RETURN_GARBAGE ", %rdi\n"                            \
      "  leaq 8(%rdi), %rsi\n"                                                   \
      "  leaq 16(%rdi), %rdx\n"                                                  \
      "  leaq 24(%rdi), %rcx\n"                                                  \
      "  leaq 32(%rdi), %r8\n"                                                   \
      "  leaq 40(%rdi), %r9\n"                                                   \
      "  leaq 48(%rdi), %r10\n"                                                  \
      "  leaq 56(%rdi), %r11\n"                                                  \
      "  ret\n"                                                                  \
      "1:\n"                                                                     \
      "  popq %r10\n"                                                            \
      "  popq %r9\n"                                                             \
      "  popq %r8\n"                                                             \
      "  popq %rdx\n"                                                            \
      "  popq %rsi\n"                                                            \
      "  popq %rdi\n"                                                            \
      "  movabsq $" MF_SHIM_RETURN_GARBAGE " + 24, %rcx\n"                       \
      "  movabsq $" MF_SHIM_RETURN_GARBAGE " + 56, %r11\n"                       \
      "  popfq\n" /* the caller's flags, as sysret gives them back */           \
      "  ret\n"                                                                  \
      ".size " #entry ", . - " #entry "\n")
