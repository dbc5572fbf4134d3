# A tiny stand-in for arena.s, for the tests of `mfh mutate` that stop before
# any stage runs (tests/mutate/CMakeLists.txt): a mutant whose assembled
# code is the original's, and one that does not assemble.  Never linked.
        .text
        .globl arena_get_usage
        .type arena_get_usage, @function
arena_get_usage:
        xchgq   %rax, %rbx              # both operand orders assemble to 48 93
        xchgq   %rax, %rbx
        movzbl  %al, %eax               # the swapped form does not exist
        ret
        .size arena_get_usage, . - arena_get_usage
