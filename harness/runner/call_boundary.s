# call_boundary.s - the trampoline of call_boundary.h: calls a SUT function
# with canaries in the callee-saved registers, then records what became of
# them, of rsp and of the flags, and repairs rsp and the direction flag.
#
# uint64_t mf_call_with_boundary_checks(const void *fn (rdi),
#                                       const uint64_t args[3] (rsi),
#                                       struct CallBoundary *check (rdx))
# Returns the callee's rax.  CallBoundary: canary[6] at 0, after[6] at 48,
# rsp_before at 96, rsp_after at 104, rflags_after at 112, scratch[4] at 120,
# stack_fill at 152, stack_top at 160, stack_pattern at 168.

        .set CB_CANARY,        0
        .set CB_AFTER,         48
        .set CB_RSP_BEFORE,    96
        .set CB_RSP_AFTER,     104
        .set CB_RFLAGS_AFTER,  112
        .set CB_SCRATCH,       120
        .set CB_STACK_FILL,    152
        .set CB_STACK_TOP,     160
        .set CB_STACK_PATTERN, 168
        .set RFLAGS_DF,        0x400

        .bss
        .p2align 3
# The check being filled in.  Kept here, not on the stack, because the
# callee may have left rsp anywhere.
current_check:  .zero 8
# The function being called.
current_function: .zero 8
# Our rsp after the pushes: the callee may run on another stack.
caller_rsp:     .zero 8

        .text
        .globl mf_call_with_boundary_checks
        .type mf_call_with_boundary_checks, @function
        .p2align 4
mf_call_with_boundary_checks:
        # Our own callee-saved registers: our caller's, whatever the SUT does.
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp                        # return address + 6 pushes + 8: rsp 16-aligned at the call
        movq    %rdx, current_check(%rip)
        movq    %rdi, current_function(%rip)    # called through memory, so every register can hold garbage
        movq    %rsi, %r11                      # the arguments
        # The callee's stack: ours, or the one whose top the check names
        # (16-aligned, so rsp is aligned at the call either way).
        movq    %rsp, caller_rsp(%rip)
        cmpq    $0, CB_STACK_TOP(%rdx)
        je      1f
        movq    CB_STACK_TOP(%rdx), %rsp
1:      movq    %rsp, CB_RSP_BEFORE(%rdx)
        # The stack the callee will use, filled with stack_pattern: rep stosq
        # from rsp - stack_fill up to rsp (the direction flag is clear, as
        # the ABI guarantees at our own entry).
        movq    CB_STACK_FILL(%rdx), %rcx
        movq    %rsp, %rdi
        subq    %rcx, %rdi
        shrq    $3, %rcx
        movq    CB_STACK_PATTERN(%rdx), %rax
        rep stosq
        movq    current_check(%rip), %rdx
        # Garbage in every register the callee may not rely on: the scratch
        # values in rax, rcx, r8-r10, and two of them in each xmm register.
        movdqu  CB_SCRATCH(%rdx), %xmm0
        movdqu  CB_SCRATCH+16(%rdx), %xmm1
        movdqa  %xmm0, %xmm2
        movdqa  %xmm1, %xmm3
        movdqa  %xmm0, %xmm4
        movdqa  %xmm1, %xmm5
        movdqa  %xmm0, %xmm6
        movdqa  %xmm1, %xmm7
        movdqa  %xmm0, %xmm8
        movdqa  %xmm1, %xmm9
        movdqa  %xmm0, %xmm10
        movdqa  %xmm1, %xmm11
        movdqa  %xmm0, %xmm12
        movdqa  %xmm1, %xmm13
        movdqa  %xmm0, %xmm14
        movdqa  %xmm1, %xmm15
        movq    CB_SCRATCH+0(%rdx), %rax
        movq    CB_SCRATCH+8(%rdx), %rcx
        movq    CB_SCRATCH+16(%rdx), %r8
        movq    CB_SCRATCH+24(%rdx), %r9
        movq    %rcx, %r10
        movq    CB_CANARY+0(%rdx), %rbx
        movq    CB_CANARY+8(%rdx), %rbp
        movq    CB_CANARY+16(%rdx), %r12
        movq    CB_CANARY+24(%rdx), %r13
        movq    CB_CANARY+32(%rdx), %r14
        movq    CB_CANARY+40(%rdx), %r15
        movq    0(%r11), %rdi
        movq    8(%r11), %rsi
        movq    16(%r11), %rdx
        movq    %r9, %r11
        call    *current_function(%rip)
        # rax is the result from here on: only rcx and r11 are used below.
        movq    current_check(%rip), %r11
        movq    %rsp, CB_RSP_AFTER(%r11)
        movq    %rbx, CB_AFTER+0(%r11)
        movq    %rbp, CB_AFTER+8(%r11)
        movq    %r12, CB_AFTER+16(%r11)
        movq    %r13, CB_AFTER+24(%r11)
        movq    %r14, CB_AFTER+32(%r11)
        movq    %r15, CB_AFTER+40(%r11)
        movq    caller_rsp(%rip), %rsp          # back to our stack first: pushfq writes below rsp
        pushfq
        popq    %rcx
        movq    %rcx, CB_RFLAGS_AFTER(%r11)
        cld                                     # and the direction flag, for the C++ that runs next
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .size mf_call_with_boundary_checks, . - mf_call_with_boundary_checks

        .section .note.GNU-stack,"",@progbits
