// shim_return.h - how the harness's __mf_os_* functions return to the SUT.
//
// The ABI lets a call clobber rcx, rdx, rsi, rdi, r8-r11 and the flags; the
// real os.s clobbers rcx and r11 (the syscall instruction) and keeps the
// flags the caller had.  The shim functions of the bindings (os_binding.h)
// are C++, and compiled C++ usually leaves those registers as the SUT put
// them: code of the SUT that reads one after a call (a reload deleted, a
// test of rax missing before a js) then works by luck in the harness.  So
// each binding's entry point is a thunk that calls the C++ function and
// returns with garbage in every caller-saved register but rax:
//
//   - rdi, rsi, rdx, rcx, r8, r9, r10, r11: kReturnGarbage + 0, 8, ..., 56,
//     eight non-canonical addresses (a pointer read from one faults), in
//     increasing order (rdi < rsi < rdx, so code that compares a cursor
//     with an end it lost walks instead of stopping);
//   - the flags: SF and ZF the opposite of what `test %rax, %rax` gives, so
//     that a js or jz that lost its test takes the wrong way.
//
// The values are fixed, so a replay finds the same.  The thunk keeps the
// stack's alignment (the C++ function sees rsp as the SUT's call left it,
// 16 bytes lower) and everything else the ABI preserves.
#pragma once

#include <cstdint>

namespace mf::simos {
// The base of the garbage: call_boundary.h's kStackPattern, which read as
// an address is not canonical.  The thunk's text spells it below.
inline constexpr std::uint64_t kShimReturnGarbage = 0xa53901803700ff35;
}  // namespace mf::simos
#define MF_SHIM_RETURN_GARBAGE "0xa53901803700ff35"

// Defines the function `entry` (a C symbol) as: call `impl` (a C function of
// the same parameters) and return its rax with the registers and flags above.
#define MF_SHIM_RETURN_THUNK(entry, impl)                                        \
  asm(".text\n"                                                                  \
      ".globl " #entry "\n"                                                      \
      ".type " #entry ", @function\n"                                            \
      ".p2align 4\n" #entry ":\n"                                                \
      "  subq $8, %rsp\n"                                                        \
      "  call " #impl "@PLT\n"                                                   \
      "  addq $8, %rsp\n"                                                        \
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
      ".size " #entry ", . - " #entry "\n")
