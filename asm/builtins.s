# builtins.s - the checked entry points Morph programs call: allocation,
# loads and stores, memcpy, and the fault handler that turns a real fault
# into the documented exit codes.
#
# A range [a, a + n) is valid when a >= NULL_PAGE_END and a + n neither wraps
# nor passes USER_SPACE_END (docs/spec.md, "Checked builtins").  The checks
# only reject addresses no Morph program may touch; a valid range that is not
# mapped still faults, and __mf_init's handler reports that fault.

        .include "layout.inc"

# Linux x86-64 kernel ABI values used by __mf_init and the fault handler.
# They are the kernel's, not the builtins' layout, so they live here.
.equ SIGBUS,                    7
.equ SIGSEGV,                   11
.equ SA_SIGINFO,                0x00000004      # handler gets siginfo and ucontext
.equ SA_RESTORER,               0x04000000      # sa_restorer is valid (required on x86-64)
.equ SA_ONSTACK,                0x08000000      # run on the sigaltstack stack
.equ KERNEL_SIGSET_SIZE,        8               # sizeof the kernel's sigset_t
# struct k_sigaction as rt_sigaction(2) reads it: handler, flags, restorer, mask.
.equ KSA_HANDLER,               0
.equ KSA_FLAGS,                 8
.equ KSA_RESTORER,              16
.equ KSA_MASK,                  24
.equ KSA_SIZE,                  32
# stack_t: ss_sp, ss_flags (int, padded to 8), ss_size.
.equ SS_SP,                     0
.equ SS_FLAGS,                  8
.equ SS_SIZE,                   16
.equ STACK_T_SIZE,              24
# siginfo_t: si_signo, si_errno, si_code (3 ints), padding to 8, then the
# union whose first member for SIGSEGV/SIGBUS is si_addr.
.equ SIGINFO_CODE,              8
.equ SIGINFO_ADDR,              16
# si_code: a signal sent by a process (kill, sigqueue, tgkill) has a code
# <= 0 (SI_USER is 0) and no fault address; SI_KERNEL is what the kernel
# reports for a general-protection fault (a non-canonical address, for
# one), whose si_addr is 0 whatever the access was.
.equ SI_KERNEL,                 0x80
.equ SIG_DFL,                   0
# stack_t ss_flags
.equ SS_DISABLE,                2
# ucontext: uc_flags (8), uc_link (8), uc_stack (stack_t, 24), then
# uc_mcontext (struct sigcontext) at 40, whose quads are r8..r15, rdi, rsi,
# rbp, rbx, rdx, rax, rcx, rsp, ...: rsp is quad 15 (glibc's REG_RSP), so at
# 40 + 15 * 8.  tests/unit/fault_handler_test.cpp checks this against
# glibc's ucontext_t.
.equ UCONTEXT_RSP,              160

        .section .rodata
name_load_i64:  .asciz "__mf_load_i64"
name_poke_i64:  .asciz "__mf_poke_i64"
name_load_byte: .asciz "__mf_load_byte"
name_poke_byte: .asciz "__mf_poke_byte"
name_memcpy:    .asciz "__mf_memcpy"

        # Mutable state lives in morph_state (see docs/spec.md, Conventions):
        # the simulated OS snapshots and restores that section between runs.
        .section morph_state, "aw", @progbits   # one type for every file: see docs/spec.md
        .p2align 3
# Nonzero once __mf_init has installed the handler.  Signal actions belong to
# the process, so one installation serves every thread; the alternate stack
# belongs to a thread, so __mf_init asks the kernel about the calling
# thread's own instead of keeping a flag here.
handler_installed:      .quad 0

        .text

# CHECK_FIXED_RANGE width: for the range [rdi, rdi + width), jumps to the
# local label 1f when rdi < NULL_PAGE_END and to 2f when the range wraps or
# passes USER_SPACE_END.  For a constant width that second test is exactly
# rdi > USER_SPACE_END - width: an rdi whose sum wraps is far above that
# bound too.  Clobbers r11 and flags.
.macro CHECK_FIXED_RANGE width
        movabsq $USER_SPACE_END - \width, %r11
        cmpq    $NULL_PAGE_END, %rdi
        jb      1f
        cmpq    %r11, %rdi
        ja      2f
.endm

# PANIC code, name: tail call __mf_panic(code, name).  The return address on
# the stack stays the caller's, and rsp is congruent to a call's, so panic
# sees a normal frame.
.macro PANIC code, name
        movl    $\code, %edi
        leaq    \name(%rip), %rsi
        jmp     __mf_panic
.endm

# void *__mf_mem_alloc(uint64_t size)
#   Exactly mem_alloc (asm/alloc.s): the block, or 0.
#   Clobbers: as mem_alloc (caller-saved registers).
        .globl __mf_mem_alloc
        .type __mf_mem_alloc, @function
        .p2align 4
__mf_mem_alloc:
        jmp     mem_alloc
        .size __mf_mem_alloc, . - __mf_mem_alloc

# void __mf_mem_free(void *ptr, uint64_t size)
#   Exactly mem_free (asm/alloc.s); its exits name mem_free.
#   Clobbers: as mem_free (caller-saved registers).
        .globl __mf_mem_free
        .type __mf_mem_free, @function
        .p2align 4
__mf_mem_free:
        jmp     mem_free
        .size __mf_mem_free, . - __mf_mem_free

# int64_t __mf_load_i64(const void *a)
#   Returns the 8 bytes at a (any alignment).
#   Clobbers: rax, r11.
#   Exits 110 if a < NULL_PAGE_END, 111 if [a, a + 8) leaves user space.
        .globl __mf_load_i64
        .type __mf_load_i64, @function
        .p2align 4
__mf_load_i64:
        CHECK_FIXED_RANGE 8
        movq    (%rdi), %rax
        ret
1:      PANIC   MF_EXIT_NULL, name_load_i64
2:      PANIC   MF_EXIT_BOUNDS, name_load_i64
        .size __mf_load_i64, . - __mf_load_i64

# void __mf_poke_i64(void *a, int64_t v)
#   Stores the 8 bytes of v at a (any alignment).
#   Clobbers: r11.
#   Exits 110 if a < NULL_PAGE_END, 111 if [a, a + 8) leaves user space.
        .globl __mf_poke_i64
        .type __mf_poke_i64, @function
        .p2align 4
__mf_poke_i64:
        CHECK_FIXED_RANGE 8
        movq    %rsi, (%rdi)
        ret
1:      PANIC   MF_EXIT_NULL, name_poke_i64
2:      PANIC   MF_EXIT_BOUNDS, name_poke_i64
        .size __mf_poke_i64, . - __mf_poke_i64

# uint64_t __mf_load_byte(const void *a)
#   Returns the byte at a, zero-extended to 64 bits.
#   Clobbers: rax, r11.
#   Exits 110 if a < NULL_PAGE_END, 111 if a >= USER_SPACE_END.
        .globl __mf_load_byte
        .type __mf_load_byte, @function
        .p2align 4
__mf_load_byte:
        CHECK_FIXED_RANGE 1
        movzbl  (%rdi), %eax            # writing eax clears the upper half of rax
        ret
1:      PANIC   MF_EXIT_NULL, name_load_byte
2:      PANIC   MF_EXIT_BOUNDS, name_load_byte
        .size __mf_load_byte, . - __mf_load_byte

# void __mf_poke_byte(void *a, uint64_t v)
#   Stores the low 8 bits of v at a.
#   Clobbers: r11.
#   Exits 110 if a < NULL_PAGE_END, 111 if a >= USER_SPACE_END.
        .globl __mf_poke_byte
        .type __mf_poke_byte, @function
        .p2align 4
__mf_poke_byte:
        CHECK_FIXED_RANGE 1
        movb    %sil, (%rdi)
        ret
1:      PANIC   MF_EXIT_NULL, name_poke_byte
2:      PANIC   MF_EXIT_BOUNDS, name_poke_byte
        .size __mf_poke_byte, . - __mf_poke_byte

# void *__mf_memcpy(void *dst, const void *src, uint64_t n)
#   Copies n bytes from src to dst as memmove does (overlap allowed) and
#   returns dst.  n = 0 returns dst without checking or touching anything.
#   Clobbers: rax, rcx, rdx, rsi, rdi, r8, r11.  The direction flag stays clear.
#   Exits, checking dst before src: 110 if the range's start is below
#   NULL_PAGE_END, 111 if [start, start + n) wraps or passes USER_SPACE_END.
        .globl __mf_memcpy
        .type __mf_memcpy, @function
        .p2align 4
__mf_memcpy:
        movq    %rdi, %rax              # the result, whatever the path
        testq   %rdx, %rdx
        jz      9f
        movabsq $USER_SPACE_END, %r11

        cmpq    $NULL_PAGE_END, %rdi
        jb      1f
        movq    %rdi, %r8
        addq    %rdx, %r8               # end of dst
        jc      2f
        cmpq    %r11, %r8
        ja      2f

        cmpq    $NULL_PAGE_END, %rsi
        jb      1f
        movq    %rsi, %r8
        addq    %rdx, %r8               # end of src
        jc      2f
        cmpq    %r11, %r8
        ja      2f

        # Copying forward is safe unless dst starts inside [src, src + n):
        # exactly when (dst - src) mod 2^64 < n.
        movq    %rdi, %r8
        subq    %rsi, %r8
        cmpq    %rdx, %r8
        jb      3f
        movq    %rdx, %rcx
        rep movsb                       # forward; fast-string hardware path
9:      ret

        # Backward: dst lies above src and the ranges overlap.  Each step
        # loads before it stores, and every later step reads only below what
        # the earlier steps wrote, so no source byte is overwritten before it
        # is read.  Quads first from the end, then the leftover head bytes.
3:      movq    %rdx, %rcx
        cmpq    $8, %rcx
        jb      5f
4:      subq    $8, %rcx
        movq    (%rsi,%rcx), %r8
        movq    %r8, (%rdi,%rcx)
        cmpq    $8, %rcx
        jae     4b
5:      testq   %rcx, %rcx
        jz      9b
6:      decq    %rcx
        movb    (%rsi,%rcx), %r8b
        movb    %r8b, (%rdi,%rcx)
        jnz     6b                      # flags of the decq: movs leave them alone
        ret

1:      PANIC   MF_EXIT_NULL, name_memcpy
2:      PANIC   MF_EXIT_BOUNDS, name_memcpy
        .size __mf_memcpy, . - __mf_memcpy

# int64_t __mf_init(void)
#   Makes sure the calling thread has an alternate signal stack of at least
#   ALTSTACK_SIZE bytes (sigaltstack is per thread: a thread that already
#   has one that large keeps it, any other gets a fresh one mapped here),
#   then installs fault_handler for SIGSEGV and SIGBUS if no earlier call
#   did, so that even a stack overflow, which leaves no room on the
#   faulting stack, is reported.  Each thread that may fault calls it once.
#   Returns 0, or the negative errno of the system call that failed; then
#   everything done so far is undone (old alternate stack and SIGSEGV action
#   restored, the new stack unmapped).
#   Clobbers: rax, rcx, rdx, rsi, rdi, r8-r11.
        .globl __mf_init
        .type __mf_init, @function
        .p2align 4
__mf_init:
        pushq   %rbx                    # rbx = the new alternate stack, 0 if none
        pushq   %r12                    # r12 = the error being returned
        subq    $136, %rsp              # frame below, plus 8 to realign
        .equ FRAME_NEW_SS,  0
        .equ FRAME_OLD_SS,  32
        .equ FRAME_ACT,     64
        .equ FRAME_OLD_SEGV, 96

        # The thread's current alternate stack, kept if it is enabled and
        # large enough (the one an earlier call made, or the program's own).
        xorl    %ebx, %ebx
        xorl    %edi, %edi
        leaq    FRAME_OLD_SS(%rsp), %rsi
        call    __mf_os_sigaltstack
        testq   %rax, %rax
        js      .Linit_out              # nothing to undo
        testl   $SS_DISABLE, FRAME_OLD_SS+SS_FLAGS(%rsp)
        jnz     .Linit_new_stack
        cmpq    $ALTSTACK_SIZE, FRAME_OLD_SS+SS_SIZE(%rsp)
        jae     .Linit_handlers

.Linit_new_stack:
        movl    $ALTSTACK_SIZE, %edi
        call    __mf_os_mmap
        testq   %rax, %rax
        js      .Linit_out              # nothing to undo
        movq    %rax, %rbx

        movq    %rbx, FRAME_NEW_SS+SS_SP(%rsp)
        movq    $0, FRAME_NEW_SS+SS_FLAGS(%rsp)
        movq    $ALTSTACK_SIZE, FRAME_NEW_SS+SS_SIZE(%rsp)
        leaq    FRAME_NEW_SS(%rsp), %rdi
        leaq    FRAME_OLD_SS(%rsp), %rsi
        call    __mf_os_sigaltstack
        testq   %rax, %rax
        js      .Linit_unmap

.Linit_handlers:
        cmpq    $0, handler_installed(%rip)
        jne     .Linit_done
        leaq    fault_handler(%rip), %rax
        movq    %rax, FRAME_ACT+KSA_HANDLER(%rsp)
        movq    $SA_SIGINFO | SA_ONSTACK | SA_RESTORER, FRAME_ACT+KSA_FLAGS(%rsp)
        movq    __mf_os_sigreturn@GOTPCREL(%rip), %rax
        movq    %rax, FRAME_ACT+KSA_RESTORER(%rsp)
        movq    $0, FRAME_ACT+KSA_MASK(%rsp)    # the faulting signal itself stays blocked
        movl    $SIGSEGV, %edi
        leaq    FRAME_ACT(%rsp), %rsi
        leaq    FRAME_OLD_SEGV(%rsp), %rdx
        movl    $KERNEL_SIGSET_SIZE, %ecx
        call    __mf_os_rt_sigaction
        testq   %rax, %rax
        js      .Linit_restore_stack

        movl    $SIGBUS, %edi
        leaq    FRAME_ACT(%rsp), %rsi
        xorl    %edx, %edx
        movl    $KERNEL_SIGSET_SIZE, %ecx
        call    __mf_os_rt_sigaction
        testq   %rax, %rax
        js      .Linit_restore_segv
        movq    $1, handler_installed(%rip)
.Linit_done:
        xorl    %eax, %eax
.Linit_out:
        addq    $136, %rsp
        popq    %r12
        popq    %rbx
        ret

        # Undo in reverse order; the result stays the first error.
.Linit_restore_segv:
        movq    %rax, %r12
        movl    $SIGSEGV, %edi
        leaq    FRAME_OLD_SEGV(%rsp), %rsi
        xorl    %edx, %edx
        movl    $KERNEL_SIGSET_SIZE, %ecx
        call    __mf_os_rt_sigaction
        movq    %r12, %rax
.Linit_restore_stack:
        testq   %rbx, %rbx
        jz      .Linit_out              # the thread's own stack was kept
        movq    %rax, %r12
        leaq    FRAME_OLD_SS(%rsp), %rdi
        xorl    %esi, %esi
        call    __mf_os_sigaltstack
        movq    %r12, %rax
.Linit_unmap:
        movq    %rax, %r12
        movq    %rbx, %rdi
        movl    $ALTSTACK_SIZE, %esi
        call    __mf_os_munmap
        movq    %r12, %rax
        jmp     .Linit_out
        .size __mf_init, . - __mf_init

# void fault_handler(int sig, siginfo_t *info, ucontext_t *uc)
#   The SA_SIGINFO handler __mf_init installs; runs on the alternate stack.
#   First, by si_code, whether there is a fault address at all:
#     si_code <= 0: the signal was sent by a process, nothing faulted.  The
#       handler gives the signal back its default action, sends it to the
#       process again and returns: the process ends by the signal, as it
#       would have without __mf_init (the signal is blocked while this
#       handler runs, so it is delivered once the handler has returned).
#     SI_KERNEL: a general-protection fault, whose address the kernel does
#       not report (si_addr is 0): 111, "at an unreported address".
#   Otherwise classifies the fault address a against the interrupted rsp,
#   in exact integers (no wrap-around):
#     a < NULL_PAGE_END                                   -> 110
#     rsp - STACK_GUARD_WINDOW <= a < rsp + OS_PAGE_SIZE  -> 112
#     anything else                                       -> 111
#   and reports through __mf_panic_at (one line on stderr, then exit).
#   Global so that tests can check the classification with made-up
#   contexts; not part of the ABI.
#   Returns only for a signal sent by a process.
        .globl __mf_fault_handler
        .type __mf_fault_handler, @function
        .p2align 4
__mf_fault_handler:
fault_handler:
        movl    SIGINFO_CODE(%rsi), %eax
        testl   %eax, %eax
        jle     .Lsent_by_a_process
        cmpl    $SI_KERNEL, %eax
        je      .Lno_fault_address
        movq    SIGINFO_ADDR(%rsi), %rsi
        movq    UCONTEXT_RSP(%rdx), %rdx
        movl    $MF_EXIT_NULL, %edi
        cmpq    $NULL_PAGE_END, %rsi
        jb      3f
        movl    $MF_EXIT_STACK, %edi
        movq    %rdx, %rcx
        subq    %rsi, %rcx              # rsp - a
        jb      1f                      # a above rsp
        cmpq    $STACK_GUARD_WINDOW, %rcx
        jbe     3f
        jmp     2f
1:      negq    %rcx                    # a - rsp, nonzero
        cmpq    $OS_PAGE_SIZE, %rcx
        jb      3f
2:      movl    $MF_EXIT_BOUNDS, %edi
3:      jmp     __mf_panic_at           # entry rsp is call-like: the kernel pushed the restorer

.Lno_fault_address:
        movl    $MF_EXIT_BOUNDS, %edi
        jmp     __mf_panic_at_unreported

.Lsent_by_a_process:
        pushq   %rbx                    # rbx = the signal; rsp is 16-aligned now
        subq    $KSA_SIZE, %rsp
        movl    %edi, %ebx
        movq    $SIG_DFL, KSA_HANDLER(%rsp)
        movq    $0, KSA_FLAGS(%rsp)
        movq    $0, KSA_RESTORER(%rsp)
        movq    $0, KSA_MASK(%rsp)
        movq    %rsp, %rsi
        xorl    %edx, %edx
        movl    $KERNEL_SIGSET_SIZE, %ecx
        call    __mf_os_rt_sigaction    # edi is still the signal
        call    __mf_os_getpid
        movq    %rax, %rdi
        movl    %ebx, %esi
        call    __mf_os_kill
        addq    $KSA_SIZE, %rsp
        popq    %rbx
        ret
        .size __mf_fault_handler, . - __mf_fault_handler

        .section .note.GNU-stack, "", @progbits
