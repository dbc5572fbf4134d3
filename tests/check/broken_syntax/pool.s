# A pool.s that does not assemble (tests/check: mfh check must say so and
# exit 2, not check the real pool.s instead).
        .text
        .globl pool_create
pool_create:
        movq    %rdi, %notaregister
        ret
        .section .note.GNU-stack,"",@progbits
