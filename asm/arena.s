# arena.s - the arena (bump) allocator of the Morph memory builtins.
#
# An arena is one block from the page allocator: a 32-byte header followed by
# `capacity` bytes that arena_alloc hands out front to back, 8-byte aligned.
# Nothing is freed on its own; arena_reset takes everything back at once and
# arena_destroy returns the block.  The contract is docs/spec.md, "The arena
# allocator".
#
# All arithmetic is unsigned 64-bit and every step that could wrap is checked
# right where it happens (the carry flag of an add), so that a Z3 proof over
# the object code can follow each function as plain straight-line integer
# code.  Contract violations tail-call __mf_panic: a jmp leaves rsp exactly
# as our caller had it, which is the alignment __mf_panic expects on entry.

        .include "layout.inc"

        .section .rodata
name_arena_alloc:        .asciz "arena_alloc"
name_arena_reset:        .asciz "arena_reset"
name_arena_get_usage:    .asciz "arena_get_usage"
name_arena_get_capacity: .asciz "arena_get_capacity"
name_arena_destroy:      .asciz "arena_destroy"

        # Mutable state lives in morph_state (see docs/spec.md, Conventions):
        # the simulated OS snapshots and restores that section between runs.
        .section morph_state, "aw", @progbits   # one type for every file: see docs/spec.md
        .p2align 3
# The id of the most recently created arena (0 before the first).  Only a
# successful arena_create bumps it, so ids are 1, 2, 3, ... with no gaps.
arena_last_id:  .zero 8

        .text

# MfArenaHeader *arena_create(uint64_t size)
#   Input:    rdi = size, the capacity in bytes.
#   Result:   rax = the 16-byte aligned header, or 0 when size = 0, when
#             32 + size would pass 2^64 (size > 2^64 - 33), or when
#             mem_alloc(32 + size) returns 0.  On failure nothing changes and
#             no id is used up.
#   Clobbers: rcx, rdx, rsi, rdi, r8-r11 (and whatever mem_alloc clobbers).
        .globl arena_create
        .type arena_create, @function
        .p2align 4
arena_create:
        testq   %rdi, %rdi
        jz      .Lcreate_fail                   # size 0: no arena
        cmpq    $-ARENA_HDR_SIZE - 1, %rdi
        ja      .Lcreate_fail                   # size > 2^64 - 33: header + size wraps
        pushq   %rbx                            # rsp is now 16-byte aligned for the call
        movq    %rdi, %rbx                      # rbx = size, survives mem_alloc
        addq    $ARENA_HDR_SIZE, %rdi           # 32 + size, cannot wrap (checked above)
        call    mem_alloc
        testq   %rax, %rax
        jz      .Lcreate_out                    # page allocator refused: rax = 0
        leaq    ARENA_HDR_SIZE(%rax), %rcx      # start = header + 32
        movq    %rcx, ARENA_START(%rax)
        movq    %rcx, ARENA_CURRENT(%rax)       # current = start: nothing used yet
        addq    %rbx, %rcx                      # end = start + size = header + 32 + size, no wrap
        movq    %rcx, ARENA_END(%rax)
        movq    arena_last_id(%rip), %rdx       # the id is taken only now that we succeeded
        incq    %rdx
        movq    %rdx, arena_last_id(%rip)
        movq    %rdx, ARENA_ID(%rax)
.Lcreate_out:
        popq    %rbx
        ret
.Lcreate_fail:
        xorl    %eax, %eax
        ret
        .size arena_create, . - arena_create

# void *arena_alloc(MfArenaHeader *arena, uint64_t n)
#   Input:    rdi = arena, rsi = n bytes.
#   Result:   rax = the old current, which advances by Round8(n); or 0 when
#             n = 0, when Round8(n) overflows (n > 2^64 - 8), or when
#             Round8(n) > end - current (then nothing changes).
#   Clobbers: rcx, rdx.
#   Failure:  arena = 0 exits 110.
        .globl arena_alloc
        .type arena_alloc, @function
        .p2align 4
arena_alloc:
        testq   %rdi, %rdi
        jz      .Lalloc_null
        # Round8(n) mod 2^64 is 0 exactly when n = 0 or when the rounding
        # overflows (n > 2^64 - 8: n + 7 wraps to 0..6, which rounds down to
        # 0), so one test of the rounded value rejects both.
        movq    %rsi, %rax
        addq    $ARENA_ALIGN - 1, %rax          # n + 7 mod 2^64
        andq    $-ARENA_ALIGN, %rax             # rax = Round8(n) mod 2^64
        jz      .Lalloc_none                    # n = 0, or Round8(n) = 2^64
        movq    ARENA_CURRENT(%rdi), %rcx
        movq    ARENA_END(%rdi), %rdx
        subq    %rcx, %rdx                      # room = end - current, no wrap: current <= end
        cmpq    %rdx, %rax
        ja      .Lalloc_none                    # Round8(n) > room: does not fit
        addq    %rcx, %rax                      # new current = current + Round8(n) <= end
        movq    %rax, ARENA_CURRENT(%rdi)
        movq    %rcx, %rax                      # the block starts at the old current
        ret
.Lalloc_none:
        xorl    %eax, %eax
        ret
.Lalloc_null:
        movl    $MF_EXIT_NULL, %edi
        leaq    name_arena_alloc(%rip), %rsi
        jmp     __mf_panic
        .size arena_alloc, . - arena_alloc

# void arena_reset(MfArenaHeader *arena)
#   Input:    rdi = arena.  Sets current = start: every block is given back.
#   Clobbers: rax.
#   Failure:  arena = 0 exits 110.
        .globl arena_reset
        .type arena_reset, @function
        .p2align 4
arena_reset:
        testq   %rdi, %rdi
        jz      .Lreset_null
        movq    ARENA_START(%rdi), %rax
        movq    %rax, ARENA_CURRENT(%rdi)
        ret
.Lreset_null:
        movl    $MF_EXIT_NULL, %edi
        leaq    name_arena_reset(%rip), %rsi
        jmp     __mf_panic
        .size arena_reset, . - arena_reset

# uint64_t arena_get_usage(MfArenaHeader *arena)
#   Input:    rdi = arena.
#   Result:   rax = current - start, the bytes handed out since create/reset.
#   Clobbers: nothing else.
#   Failure:  arena = 0 exits 110.
        .globl arena_get_usage
        .type arena_get_usage, @function
        .p2align 4
arena_get_usage:
        testq   %rdi, %rdi
        jz      .Lusage_null
        movq    ARENA_CURRENT(%rdi), %rax
        subq    ARENA_START(%rdi), %rax
        ret
.Lusage_null:
        movl    $MF_EXIT_NULL, %edi
        leaq    name_arena_get_usage(%rip), %rsi
        jmp     __mf_panic
        .size arena_get_usage, . - arena_get_usage

# uint64_t arena_get_capacity(MfArenaHeader *arena)
#   Input:    rdi = arena.
#   Result:   rax = end - start, exactly the size given to arena_create.
#   Clobbers: nothing else.
#   Failure:  arena = 0 exits 110.
        .globl arena_get_capacity
        .type arena_get_capacity, @function
        .p2align 4
arena_get_capacity:
        testq   %rdi, %rdi
        jz      .Lcapacity_null
        movq    ARENA_END(%rdi), %rax
        subq    ARENA_START(%rdi), %rax
        ret
.Lcapacity_null:
        movl    $MF_EXIT_NULL, %edi
        leaq    name_arena_get_capacity(%rip), %rsi
        jmp     __mf_panic
        .size arena_get_capacity, . - arena_get_capacity

# void arena_destroy(MfArenaHeader *arena)
#   Input:    rdi = arena.  Returns the arena's block: mem_free(arena,
#             32 + capacity), the size arena_create asked for.
#   Clobbers: rax, rcx, rdx, rsi, rdi, r8-r11 (through mem_free).
#   Failure:  arena = 0 exits 110; mem_free exits 111 for an arena that is
#             not live (the header is read first to learn the capacity).
        .globl arena_destroy
        .type arena_destroy, @function
        .p2align 4
arena_destroy:
        testq   %rdi, %rdi
        jz      .Ldestroy_null
        movq    ARENA_END(%rdi), %rsi
        subq    ARENA_START(%rdi), %rsi         # capacity = end - start
        addq    $ARENA_HDR_SIZE, %rsi           # the size that was allocated
        jmp     mem_free                        # tail call: mem_free(arena, 32 + capacity)
.Ldestroy_null:
        movl    $MF_EXIT_NULL, %edi
        leaq    name_arena_destroy(%rip), %rsi
        jmp     __mf_panic
        .size arena_destroy, . - arena_destroy

        .section .note.GNU-stack, "", @progbits
