# panic.s - the one way the builtins end the process on a contract violation.
#
# Every checked function that finds a violation jumps here instead of writing
# its own message, so that the message format and the exit codes are decided
# once.  The message is assembled in a stack buffer and written with a single
# write(2), so it cannot interleave with another thread's output mid-line.

        .include "layout.inc"

        .section .rodata
reason_null:    .asciz "NULL pointer dereference"
reason_bounds:  .asciz "out-of-bounds access"
reason_stack:   .asciz "stack overflow"
reason_other:   .asciz "fatal error"
prefix:         .asciz "morph: "
infix_in:       .asciz " in "
infix_at:       .asciz " at "
unreported:     .asciz "an unreported address (general-protection fault)"
hex_digits:     .ascii "0123456789abcdef"
suffix:         .asciz " (exit "

        .text

# Appends the NUL-terminated string at rsi to the buffer at rdi, copying at
# most up to the limit in rdx (an address); returns the new end in rdi.
# Clobbers: rax, rsi.
        .type append_str, @function
        .p2align 4
append_str:
1:      cmpq    %rdx, %rdi
        jae     2f
        movb    (%rsi), %al
        testb   %al, %al
        jz      2f
        movb    %al, (%rdi)
        incq    %rdi
        incq    %rsi
        jmp     1b
2:      ret
        .size append_str, . - append_str

# void __mf_panic(int code, const char *where)
#   Writes "morph: <reason> in <where> (exit <code>)\n" to stderr and exits the
#   process with code.  where may be 0 (then " in ..." is left out) and is cut
#   at 64 bytes, so a corrupt pointer to a long string cannot overflow the
#   buffer.  code must be 0..999.
#   Does not return.  Needs 208 bytes of stack.
        .globl __mf_panic
        .type __mf_panic, @function
        .p2align 4
__mf_panic:
        leaq    infix_in(%rip), %rdx
        jmp     panic_line
        .size __mf_panic, . - __mf_panic

# void __mf_panic_at(int code, uint64_t address)
#   Writes "morph: <reason> at 0x<address in hex> (exit <code>)\n" to stderr
#   and exits with code: the report of a real fault, where no function name is
#   known but the faulting address is.  code must be 0..999.
#   Does not return.  Needs 240 bytes of stack.
        .globl __mf_panic_at
        .type __mf_panic_at, @function
        .p2align 4
__mf_panic_at:
        subq    $24, %rsp               # "0x" + 16 digits + NUL; keeps 16-byte alignment
        leaq    hex_digits(%rip), %r9
        leaq    23(%rsp), %r8           # digits are produced last first
        movb    $0, (%r8)
1:      decq    %r8
        movl    %esi, %eax
        andl    $15, %eax
        movzbl  (%r9,%rax), %eax
        movb    %al, (%r8)
        shrq    $4, %rsi
        jnz     1b                      # at least one digit, no leading zeros
        movb    $'x', -1(%r8)
        movb    $'0', -2(%r8)
        leaq    -2(%r8), %rsi
        leaq    infix_at(%rip), %rdx
        call    panic_line
        hlt
        .size __mf_panic_at, . - __mf_panic_at

# void __mf_panic_at_unreported(int code)
#   Writes "morph: <reason> at an unreported address (general-protection
#   fault) (exit <code>)\n" and exits with code: the report of a real fault
#   whose address the kernel does not give.  code must be 0..999.
#   Does not return.  Needs 208 bytes of stack.
        .globl __mf_panic_at_unreported
        .type __mf_panic_at_unreported, @function
        .p2align 4
__mf_panic_at_unreported:
        leaq    unreported(%rip), %rsi
        leaq    infix_at(%rip), %rdx
        jmp     panic_line
        .size __mf_panic_at_unreported, . - __mf_panic_at_unreported

# panic_line(int code, const char *detail, const char *infix)
#   The common body: "morph: <reason><infix><detail> (exit <code>)\n" on
#   stderr in one write, then exit.  detail 0 leaves out infix and detail.
#   Does not return.  Needs 208 bytes of stack.
        .type panic_line, @function
        .p2align 4
panic_line:
        subq    $200, %rsp              # 192-byte buffer, keeps 16-byte alignment
        movl    %edi, %r8d              # r8 = code, survives append_str
        movq    %rsi, %r9               # r9 = detail
        movq    %rdx, %r10              # r10 = infix
        leaq    (%rsp), %rdi
        leaq    184(%rsp), %rdx         # room for " (exit NNN)\n" after the limit

        leaq    prefix(%rip), %rsi
        call    append_str

        leaq    reason_other(%rip), %rsi
        cmpl    $MF_EXIT_NULL, %r8d
        jne     1f
        leaq    reason_null(%rip), %rsi
1:      cmpl    $MF_EXIT_BOUNDS, %r8d
        jne     2f
        leaq    reason_bounds(%rip), %rsi
2:      cmpl    $MF_EXIT_STACK, %r8d
        jne     3f
        leaq    reason_stack(%rip), %rsi
3:      call    append_str

        testq   %r9, %r9
        jz      4f
        movq    %r10, %rsi
        call    append_str
        movq    %rdi, %rcx              # cut detail at 64 bytes
        addq    $64, %rcx
        cmpq    %rdx, %rcx
        cmovaq  %rdx, %rcx
        xchgq   %rcx, %rdx
        movq    %r9, %rsi
        call    append_str
        movq    %rcx, %rdx
4:      leaq    suffix(%rip), %rsi
        call    append_str

        # three decimal digits of the code, leading zeros dropped
        movl    %r8d, %eax
        xorl    %edx, %edx
        movl    $100, %ecx
        divl    %ecx                    # eax = hundreds, edx = rest
        movl    %edx, %esi
        testl   %eax, %eax
        jz      5f
        addb    $'0', %al
        movb    %al, (%rdi)
        incq    %rdi
5:      movl    %esi, %eax
        xorl    %edx, %edx
        movl    $10, %ecx
        divl    %ecx                    # eax = tens, edx = units
        cmpl    $100, %r8d
        jae     6f                      # a hundreds digit forces the tens digit
        testl   %eax, %eax
        jz      7f
6:      addb    $'0', %al
        movb    %al, (%rdi)
        incq    %rdi
7:      addb    $'0', %dl
        movb    %dl, (%rdi)
        movb    $')', 1(%rdi)
        movb    $'\n', 2(%rdi)
        addq    $3, %rdi

        movq    %rdi, %rdx
        subq    %rsp, %rdx              # length
        movq    %rsp, %rsi
        movl    %r8d, %ebx              # the code must survive a simulated OS's write
        movl    $2, %edi                # stderr
        call    __mf_os_write
        movl    %ebx, %edi
        call    __mf_os_exit
        hlt
        .size panic_line, . - panic_line

        .section .note.GNU-stack, "", @progbits
