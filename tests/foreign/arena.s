# tests/foreign/arena.s - an arena allocator written elsewhere, as a user
# would bring one to the harness: the seed's functions only (no
# arena_destroy), its own constants instead of layout.inc, its globals in
# .data and .bss instead of morph_state, a frame pointer and callee-saved
# registers where ours use scratch ones.  It has ONE known defect, on
# purpose: arena_alloc does not round the request up to 8, so after an odd
# request the next block is misaligned and the usage is off.  The harness
# must report exactly that, and list arena_destroy as not implemented.
# Never shipped: the tests foreign_* build it through MF_ASM_OVERRIDES and
# check it with `mfh check`.

        .data
        .p2align 3
next_id:        .quad 1                 # the id the next arena gets

        .bss
        .p2align 3
created:        .skip 8                 # arenas made so far (statistics only)

        .section .rodata
null_in_alloc:    .asciz "arena_alloc"
null_in_reset:    .asciz "arena_reset"
null_in_usage:    .asciz "arena_get_usage"
null_in_capacity: .asciz "arena_get_capacity"

        .text

# arena_create(size) -> header or 0
        .globl arena_create
        .type arena_create, @function
arena_create:
        pushq   %rbp
        movq    %rsp, %rbp
        pushq   %r12
        pushq   %r13
        xorl    %eax, %eax
        testq   %rdi, %rdi
        je      1f
        movq    %rdi, %r12              # r12 = size
        movq    $32, %r13
        addq    %rdi, %r13              # r13 = 32 + size
        jc      1f                      # wrapped: no arena
        movq    %r13, %rdi
        call    mem_alloc
        testq   %rax, %rax
        je      1f
        leaq    32(%rax), %rdx
        movq    %rdx, 0(%rax)           # start
        movq    %rdx, 8(%rax)           # current
        addq    %r12, %rdx
        movq    %rdx, 16(%rax)          # end
        movq    next_id(%rip), %rcx
        movq    %rcx, 24(%rax)          # id
        incq    %rcx
        movq    %rcx, next_id(%rip)
        incq    created(%rip)
1:      popq    %r13
        popq    %r12
        popq    %rbp
        ret
        .size arena_create, . - arena_create

# arena_alloc(arena, n) -> block or 0
        .globl arena_alloc
        .type arena_alloc, @function
arena_alloc:
        testq   %rdi, %rdi
        je      .Lnull_alloc
        pushq   %rbx
        xorl    %eax, %eax
        testq   %rsi, %rsi
        je      2f
        movq    8(%rdi), %rbx           # current
        movq    16(%rdi), %rcx
        subq    %rbx, %rcx              # room
        cmpq    %rcx, %rsi
        ja      2f                      # THE DEFECT: n itself, not Round8(n)
        leaq    (%rbx,%rsi), %rcx
        movq    %rcx, 8(%rdi)
        movq    %rbx, %rax
2:      popq    %rbx
        ret
.Lnull_alloc:
        movl    $110, %edi
        leaq    null_in_alloc(%rip), %rsi
        jmp     __mf_panic
        .size arena_alloc, . - arena_alloc

# arena_reset(arena)
        .globl arena_reset
        .type arena_reset, @function
arena_reset:
        testq   %rdi, %rdi
        je      .Lnull_reset
        movq    0(%rdi), %rax
        movq    %rax, 8(%rdi)
        ret
.Lnull_reset:
        movl    $110, %edi
        leaq    null_in_reset(%rip), %rsi
        jmp     __mf_panic
        .size arena_reset, . - arena_reset

# arena_get_usage(arena) -> current - start
        .globl arena_get_usage
        .type arena_get_usage, @function
arena_get_usage:
        testq   %rdi, %rdi
        je      .Lnull_usage
        movq    8(%rdi), %rax
        subq    0(%rdi), %rax
        ret
.Lnull_usage:
        movl    $110, %edi
        leaq    null_in_usage(%rip), %rsi
        jmp     __mf_panic
        .size arena_get_usage, . - arena_get_usage

# arena_get_capacity(arena) -> end - start
        .globl arena_get_capacity
        .type arena_get_capacity, @function
arena_get_capacity:
        testq   %rdi, %rdi
        je      .Lnull_capacity
        movq    16(%rdi), %rax
        subq    0(%rdi), %rax
        ret
.Lnull_capacity:
        movl    $110, %edi
        leaq    null_in_capacity(%rip), %rsi
        jmp     __mf_panic
        .size arena_get_capacity, . - arena_get_capacity

        .section .note.GNU-stack,"",@progbits
