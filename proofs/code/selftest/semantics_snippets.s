# semantics_snippets.s - small functions the executor's self-test runs both
# natively and symbolically (with concrete inputs) to check, instruction by
# instruction, that the modelled results and flags are the hardware's.
#
# Each snippet is  struct { uint64_t rax, rdx; } f(uint64_t a, uint64_t b)
# (a in rdi, b in rsi); most return the operation's result in rax and the
# flags CF | ZF << 1 | SF << 2 | OF << 3 in rdx.

        .text

# FLAGS_TO_RDX: packs the current CF, ZF, SF, OF into rdx (clobbers r8-r11, rcx).
.macro FLAGS_TO_RDX
        setb    %r8b
        sete    %r9b
        sets    %r10b
        seto    %r11b
        movzbl  %r8b, %edx
        movzbl  %r9b, %ecx
        shll    $1, %ecx
        orl     %ecx, %edx
        movzbl  %r10b, %ecx
        shll    $2, %ecx
        orl     %ecx, %edx
        movzbl  %r11b, %ecx
        shll    $3, %ecx
        orl     %ecx, %edx
.endm

.macro BINARY name, body
        .globl \name
        .type \name, @function
\name:
        movq    %rdi, %rax
        \body
        FLAGS_TO_RDX
        ret
        .size \name, . - \name
.endm

        BINARY snip_add64, "addq %rsi, %rax"
        BINARY snip_sub64, "subq %rsi, %rax"
        BINARY snip_cmp64, "cmpq %rsi, %rax"
        BINARY snip_and64, "andq %rsi, %rax"
        BINARY snip_or64, "orq %rsi, %rax"
        BINARY snip_xor64, "xorq %rsi, %rax"
        BINARY snip_test64, "testq %rsi, %rax"
        BINARY snip_add32, "addl %esi, %eax"
        BINARY snip_sub32, "subl %esi, %eax"
        BINARY snip_sub8, "subb %sil, %al"
        BINARY snip_add16, "addw %si, %ax"
        BINARY snip_inc64, "incq %rax"
        BINARY snip_dec64, "decq %rax"
        BINARY snip_neg64, "negq %rax"
        BINARY snip_not64, "cmpq %rsi, %rdi; notq %rax"
        BINARY snip_inc32, "incl %eax"
        BINARY snip_imul64, "imulq %rsi, %rax"
        BINARY snip_imul3, "imulq $-7, %rsi, %rax"
        BINARY snip_bt, "btq %rsi, %rax"
        BINARY snip_bts, "btsq %rsi, %rax"
        BINARY snip_btr, "btrq %rsi, %rax"
        BINARY snip_bt_imm, "btq $5, %rax"
        # Bit scans of a source with bit 0 forced on (a zero source leaves
        # the destination undefined), and the ZF of any source.
        BINARY snip_bsr, "movq %rsi, %rcx; btsq $0, %rcx; bsrq %rcx, %rax"
        BINARY snip_bsf, "movq %rsi, %rcx; btsq $63, %rcx; bsfq %rcx, %rax"
        BINARY snip_bsr32, "movl %esi, %ecx; btsl $0, %ecx; bsrl %ecx, %eax"
        BINARY snip_bsr_zf, "bsrq %rsi, %rcx"
        BINARY snip_bsf_zf, "bsfq %rsi, %rcx"
        # Shifts: a known flag state first, so a count of 0 is observable.
        BINARY snip_shl_cl, "movl %esi, %ecx; xorl %r8d, %r8d; shlq %cl, %rax"
        BINARY snip_shr_cl, "movl %esi, %ecx; xorl %r8d, %r8d; shrq %cl, %rax"
        BINARY snip_sar_cl, "movl %esi, %ecx; xorl %r8d, %r8d; sarq %cl, %rax"
        BINARY snip_shl32_cl, "movl %esi, %ecx; xorl %r8d, %r8d; shll %cl, %eax"
        BINARY snip_shl1, "shlq %rax"
        BINARY snip_shr1, "shrq %rax"
        BINARY snip_sar1, "sarq %rax"
        BINARY snip_shl5, "shlq $5, %rax"
        BINARY snip_shr63, "shrq $63, %rax"

        .globl snip_mul
        .type snip_mul, @function
snip_mul:                               # rax:rdx = a * b (low, high)
        movq    %rdi, %rax
        mulq    %rsi
        ret
        .size snip_mul, . - snip_mul

        .globl snip_mul_flags
        .type snip_mul_flags, @function
snip_mul_flags:                         # CF/OF of mul
        movq    %rdi, %rax
        mulq    %rsi
        FLAGS_TO_RDX
        ret
        .size snip_mul_flags, . - snip_mul_flags

        .globl snip_div
        .type snip_div, @function
snip_div:                               # b != 0: rax = a / b, rdx = a % b
        movq    %rdi, %rax
        xorl    %edx, %edx
        divq    %rsi
        ret
        .size snip_div, . - snip_div

        .globl snip_moves
        .type snip_moves, @function
snip_moves:                             # partial-register writes and extensions
        movq    $-1, %rax
        movl    %edi, %eax              # clears the upper half
        movq    $-1, %rdx
        movb    %sil, %dl               # keeps the upper bits
        movb    %al, %dh
        movw    %si, %r8w
        movzbl  %dil, %ecx
        addq    %rcx, %rax
        movsbq  %sil, %rcx
        addq    %rcx, %rax
        movslq  %esi, %rcx
        xorq    %rcx, %rax
        movzwl  %di, %ecx
        addq    %rcx, %rdx
        leaq    7(%rdi,%rsi,4), %rcx
        xorq    %rcx, %rdx
        leal    -3(%rsi,%rdi,2), %ecx
        addq    %rcx, %rdx
        ret
        .size snip_moves, . - snip_moves

        .globl snip_signs
        .type snip_signs, @function
snip_signs:                             # cltq, cqto, xchg, push/pop
        movq    %rdi, %rax
        cltq
        pushq   %rax
        movq    %rsi, %rax
        cqto
        xchgq   %rdx, %rax
        popq    %rcx
        addq    %rcx, %rdx
        ret
        .size snip_signs, . - snip_signs

# Every condition code after cmp a, b: bit i of rax from setcc, bit i of rdx
# from the matching jcc, so conditions and branches are both checked.
.macro CC_BIT cc, bit
        cmpq    %rsi, %rdi
        set\cc  %cl
        movzbl  %cl, %ecx
        shlq    $\bit, %rcx
        orq     %rcx, %rax
        cmpq    %rsi, %rdi
        j\cc    1f
        jmp     2f
1:      orq     $(1 << \bit), %rdx
2:
.endm

        .globl snip_conditions
        .type snip_conditions, @function
snip_conditions:
        xorl    %eax, %eax
        xorl    %edx, %edx
        CC_BIT o, 0
        CC_BIT no, 1
        CC_BIT b, 2
        CC_BIT ae, 3
        CC_BIT e, 4
        CC_BIT ne, 5
        CC_BIT be, 6
        CC_BIT a, 7
        CC_BIT s, 8
        CC_BIT ns, 9
        CC_BIT l, 10
        CC_BIT ge, 11
        CC_BIT le, 12
        CC_BIT g, 13
        ret
        .size snip_conditions, . - snip_conditions

        .globl snip_cmov
        .type snip_cmov, @function
snip_cmov:                              # cmov, including the 32-bit form's zero extension
        movq    $-1, %rax
        movq    $-1, %rdx
        cmpq    %rsi, %rdi
        cmovbq  %rsi, %rax
        cmovael %esi, %edx
        ret
        .size snip_cmov, . - snip_cmov

# The two store loops the executor summarises, on a 64-byte stack buffer:
# the buffer is cleared, the loop fills (b & 7) + 1 quads with a, and the
# buffer's quads are folded into rax (rotating so that positions matter).
        .globl snip_fill_loops
        .type snip_fill_loops, @function
snip_fill_loops:
        subq    $72, %rsp
        xorl    %eax, %eax
        movq    %rax, (%rsp)
        movq    %rax, 8(%rsp)
        movq    %rax, 16(%rsp)
        movq    %rax, 24(%rsp)
        movq    %rax, 32(%rsp)
        movq    %rax, 40(%rsp)
        movq    %rax, 48(%rsp)
        movq    %rax, 56(%rsp)
        movq    %rsi, %rcx
        andl    $7, %ecx
        incq    %rcx                    # 1..8 quads
        movq    %rsp, %r8
        movq    %rdi, %rdx
3:      movq    %rdx, (%r8)             # ascending: store, advance, count down
        addq    $8, %r8
        decq    %rcx
        jne     3b
        movq    %rsi, %rcx
        shrq    $3, %rcx
        andl    $3, %ecx
        incq    %rcx
        shlq    $3, %rcx                # 8..32 bytes
        leaq    32(%rsp), %r9
        notq    %rdx
4:      movq    %rdx, -8(%r9,%rcx,1)    # descending, indexed
        subq    $8, %rcx
        jne     4b
        xorl    %eax, %eax
        xorq    (%rsp), %rax
        addq    8(%rsp), %rax
        addq    %rax, %rax
        addq    16(%rsp), %rax
        addq    %rax, %rax
        addq    24(%rsp), %rax
        addq    %rax, %rax
        addq    32(%rsp), %rax
        addq    %rax, %rax
        addq    40(%rsp), %rax
        addq    %rax, %rax
        addq    48(%rsp), %rax
        addq    %rax, %rax
        addq    56(%rsp), %rax
        movq    %r8, %rdx
        subq    %rsp, %rdx              # how far the ascending loop went
        addq    $72, %rsp
        ret
        .size snip_fill_loops, . - snip_fill_loops

# The block loop the executor summarises, on a 160-byte stack buffer: the
# buffer is cleared, xmm0 gets the pattern a, b, and the loop stores it from
# the buffer's start while below start + (b & 127) (at least once: 1 to 4
# blocks).  rax folds the buffer's quads, rdx is how far the pointer went.
        .globl snip_block_loop
        .type snip_block_loop, @function
snip_block_loop:
        subq    $168, %rsp
        movq    %rsp, %r8
        xorl    %eax, %eax
        movl    $20, %ecx
5:      movq    %rax, (%r8)
        addq    $8, %r8
        decq    %rcx
        jne     5b
        movq    %rdi, (%rsp)
        movq    %rsi, 8(%rsp)
        movups  (%rsp), %xmm0
        movq    %rax, (%rsp)
        movq    %rax, 8(%rsp)
        movq    %rsp, %r8
        movq    %rsi, %r9
        andl    $127, %r9d
        addq    %rsp, %r9
6:      movups  %xmm0, (%r8)
        movups  %xmm0, 16(%r8)
        addq    $32, %r8
        cmpq    %r9, %r8
        jb      6b
        xorl    %eax, %eax
        xorl    %ecx, %ecx
7:      addq    %rax, %rax
        addq    (%rsp,%rcx,8), %rax
        incq    %rcx
        cmpq    $20, %rcx
        jne     7b
        movq    %r8, %rdx
        subq    %rsp, %rdx
        addq    $168, %rsp
        ret
        .size snip_block_loop, . - snip_block_loop

# rep stos, the zero fill the pools use: 0 to 3 quads of a (stosq), or 0 to 7
# bytes of a's low byte (stosb), into a stack buffer with known contents.
# rax folds the buffer, rdx is how far rdi went with rcx (which must end at 0)
# above bit 8.
.macro REP_STOS name, store, count_mask
        .globl \name
        .type \name, @function
\name:
        subq    $40, %rsp
        movabsq $0x1111111111111111, %r8
        movq    %r8, 0(%rsp)
        movabsq $0x2222222222222222, %r8
        movq    %r8, 8(%rsp)
        movabsq $0x3333333333333333, %r8
        movq    %r8, 16(%rsp)
        movq    %rsi, %rcx
        andq    $\count_mask, %rcx
        movq    %rdi, %rax
        movq    %rsp, %rdi
        rep \store
        movq    %rdi, %rdx
        subq    %rsp, %rdx
        shlq    $8, %rcx
        orq     %rcx, %rdx
        movq    0(%rsp), %rax
        addq    %rax, %rax
        addq    8(%rsp), %rax
        addq    %rax, %rax
        addq    16(%rsp), %rax
        addq    $40, %rsp
        ret
        .size \name, . - \name
.endm

        REP_STOS snip_rep_stosq, stosq, 3
        REP_STOS snip_rep_stosb, stosb, 7

# The flags right after each kind of loop the executor summarises, compared
# with the CPU's: the count-down fill (dec; jne: CF is the one from before
# the loop, dec leaves it), the indexed descending fill (sub; jne) and the
# block loop (cmp; jb).  rax says how far each loop went (FLAGS_TO_RDX
# clobbers r8-r11, rcx and rdx, so what rax needs is moved out first).
        .globl snip_fill_loop_flags
        .type snip_fill_loop_flags, @function
snip_fill_loop_flags:
        subq    $72, %rsp
        movq    %rsi, %rcx
        andl    $7, %ecx
        incq    %rcx                    # 1..8 quads
        movq    %rsp, %r8
        xorl    %r10d, %r10d
        cmpq    $1, %r10                # CF = 1: a carry the loop must leave alone
8:      movq    %rdi, (%r8)
        leaq    8(%r8), %r8
        decq    %rcx
        jne     8b
        movq    %r8, %rax               # mov keeps the flags; FLAGS_TO_RDX clobbers r8
        FLAGS_TO_RDX
        subq    %rsp, %rax
        addq    $72, %rsp
        ret
        .size snip_fill_loop_flags, . - snip_fill_loop_flags

        .globl snip_indexed_loop_flags
        .type snip_indexed_loop_flags, @function
snip_indexed_loop_flags:
        subq    $40, %rsp
        movq    %rsi, %rcx
        andl    $3, %ecx
        incq    %rcx
        shlq    $3, %rcx                # 8..32 bytes
        leaq    0(%rsp), %r9
9:      movq    %rdi, -8(%r9,%rcx,1)
        subq    $8, %rcx
        jne     9b
        FLAGS_TO_RDX
        movq    (%rsp), %rax
        addq    $40, %rsp
        ret
        .size snip_indexed_loop_flags, . - snip_indexed_loop_flags

        .globl snip_block_loop_flags
        .type snip_block_loop_flags, @function
snip_block_loop_flags:
        subq    $168, %rsp
        movq    %rdi, (%rsp)
        movq    %rsi, 8(%rsp)
        movups  (%rsp), %xmm0
        movq    %rsp, %r8
        movq    %rsi, %r9
        andl    $127, %r9d
        addq    %rsp, %r9
10:     movups  %xmm0, (%r8)
        movups  %xmm0, 16(%r8)
        addq    $32, %r8
        cmpq    %r9, %r8
        jb      10b
        movq    %r8, %rax               # mov keeps the flags; FLAGS_TO_RDX clobbers r8
        FLAGS_TO_RDX
        subq    %rsp, %rax
        addq    $168, %rsp
        ret
        .size snip_block_loop_flags, . - snip_block_loop_flags

        .section .note.GNU-stack, "", @progbits
