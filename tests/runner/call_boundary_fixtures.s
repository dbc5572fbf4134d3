# Functions that break the calling convention in one way each, for
# call_boundary_test.cpp (and one that keeps it).

        .text
        .globl cb_keeps_everything
cb_keeps_everything:                    # uses rbx, but saves it
        pushq   %rbx
        movq    %rdi, %rbx
        leaq    1(%rbx), %rax
        popq    %rbx
        ret

        .globl cb_clobbers_rbx_and_r14
cb_clobbers_rbx_and_r14:
        movq    %rdi, %rbx
        xorl    %r14d, %r14d
        movq    %rdi, %rax
        ret

        .globl cb_leaves_direction_flag_set
cb_leaves_direction_flag_set:
        std
        xorl    %eax, %eax
        ret

        .globl cb_pops_one_quad_too_many
cb_pops_one_quad_too_many:              # returns with rsp 8 bytes higher
        popq    %rcx
        addq    $8, %rsp
        jmp     *%rcx

        .globl cb_calls_the_os_aligned
cb_calls_the_os_aligned:                # rsp is 16-byte aligned at the call
        subq    $8, %rsp
        call    __mf_os_getpid
        addq    $8, %rsp
        ret

        .globl cb_calls_the_os_misaligned
cb_calls_the_os_misaligned:             # rsp is 8 off at the call
        call    __mf_os_getpid
        ret

# Each returns a register it may not rely on at entry: the trampoline must
# have put garbage there (harness/runner/call_boundary.h).
        .globl cb_returns_rax_as_it_came
cb_returns_rax_as_it_came:
        ret

        .globl cb_returns_rcx
cb_returns_rcx:
        movq    %rcx, %rax
        ret

        .globl cb_returns_r10
cb_returns_r10:
        movq    %r10, %rax
        ret

        .globl cb_returns_xmm15_low
cb_returns_xmm15_low:
        movq    %xmm15, %rax
        ret

        .globl cb_returns_rdx
cb_returns_rdx:
        movq    %rdx, %rax
        ret

# Reads the lowest stack slot a 1 KiB fill writes (rsp at the call - 1024,
# that is 1016 below its return address), which it never wrote itself.
        .globl cb_returns_unwritten_stack_slot
cb_returns_unwritten_stack_slot:
        movq    -1016(%rsp), %rax
        ret
# The slot just below a 1 KiB fill: one marks it, the other reads it.
        .globl cb_marks_slot_below_the_fill
cb_marks_slot_below_the_fill:
        movq    $0x600df00d, -1024(%rsp)
        ret
        .globl cb_returns_slot_below_the_fill
cb_returns_slot_below_the_fill:
        movq    -1024(%rsp), %rax
        ret
# rsp at the call (before the return address was pushed).
        .globl cb_returns_rsp_at_the_call
cb_returns_rsp_at_the_call:
        leaq    8(%rsp), %rax
        ret

# cb_records_os_return(rdi = 20 quads): calls __mf_os_read(-1, 0, 0), then
# __mf_os_getpid, and after each stores rax, rdi, rsi, rdx, rcx, r8, r9,
# r10, r11 and the flags (10 quads) as the OS call left them
# (harness/simos/shim_return.h).
        .macro RECORD_OS_RETURN at
        movq    %rax, \at+0(%rbx)
        movq    %rdi, \at+8(%rbx)
        movq    %rsi, \at+16(%rbx)
        movq    %rdx, \at+24(%rbx)
        movq    %rcx, \at+32(%rbx)
        movq    %r8, \at+40(%rbx)
        movq    %r9, \at+48(%rbx)
        movq    %r10, \at+56(%rbx)
        movq    %r11, \at+64(%rbx)
        pushfq
        popq    \at+72(%rbx)
        .endm
        .globl cb_records_os_return
cb_records_os_return:
        pushq   %rbx                    # rsp is 16-byte aligned from here
        movq    %rdi, %rbx
        movl    $-1, %edi
        xorl    %esi, %esi
        xorl    %edx, %edx
        call    __mf_os_read
        RECORD_OS_RETURN 0
        call    __mf_os_getpid
        RECORD_OS_RETURN 80
        popq    %rbx
        ret

# cb_records_os_return_with_known_registers(rdi = 10 quads): loads rdi,
# rsi, rdx, r8, r9, r10 with 1..6 and sets the flags to CF, ZF and SF
# (stc; a compare of equal negatives would clear SF, so popfq), calls
# __mf_os_getpid and stores what it left, as cb_records_os_return does.
        .globl cb_records_os_return_with_known_registers
cb_records_os_return_with_known_registers:
        pushq   %rbx                    # rsp is 16-byte aligned from here
        movq    %rdi, %rbx
        movl    $1, %edi
        movl    $2, %esi
        movl    $3, %edx
        movl    $4, %r8d
        movl    $5, %r9d
        movl    $6, %r10d
        pushq   $0xc3                   # CF, ZF, SF and the reserved bit 1
        popfq
        call    __mf_os_getpid
        RECORD_OS_RETURN 0
        popq    %rbx
        ret

        .section .note.GNU-stack,"",@progbits
