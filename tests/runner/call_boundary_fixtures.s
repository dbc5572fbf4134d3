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

        .section .note.GNU-stack,"",@progbits
