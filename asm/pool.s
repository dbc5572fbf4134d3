# pool.s - the fixed-size pool allocator of the Morph memory builtins.
#
# A pool is one block from the page allocator: a 48-byte header, `capacity`
# slots of obj_size bytes from start to end, then the free bitmap (one bit per
# slot, set iff the slot is on the free list).  Freed slots form a LIFO list
# threaded through their first 8 bytes; slots never used yet lie between
# current and end.  The bitmap is what lets pool_free tell a double free from a
# first free in O(1) without walking the list.  The contract is docs/spec.md,
# "The pool allocator".
#
# All arithmetic is unsigned 64-bit and every step that could wrap is checked
# where it happens (carry of add, carry of mul), so that a Z3 proof over the
# object code can follow it.  Contract violations tail-call __mf_panic: a jmp
# leaves rsp as our caller had it, the alignment __mf_panic expects on entry.

        .include "layout.inc"

# Zero-filling an object (obj_size is a multiple of 8, at least 8):
# below POOL_ZERO_BLOCK bytes one quad at a time; up to POOL_REP_ZERO_MIN in
# 32-byte blocks of two SSE2 stores (the only SIMD in the allocators: with
# 8-byte stores a 256-byte object costs 1.4x a C++ memset, with 16-byte
# stores 1.0x), the last block placed flush with the object's end
# (it may overlap the one before, which is harmless for zeroes); from
# POOL_REP_ZERO_MIN on with `rep stosb`, whose fixed start-up cost only pays
# off on long runs.  Tuning values, not layout: measured against a C++ loop
# calling memset.
.equ POOL_ZERO_BLOCK, 32
.equ POOL_REP_ZERO_MIN, 1024

        .section .rodata
name_pool_alloc:        .asciz "pool_alloc"
name_pool_free:         .asciz "pool_free"
name_pool_destroy:      .asciz "pool_destroy"

        .text

# MfPoolHeader *pool_create(uint64_t obj_size, uint64_t capacity)
#   Input:    rdi = obj_size, rsi = capacity (slots).
#   Result:   rax = the 16-byte aligned header, or 0 when obj_size < 8, when
#             capacity = 0, when Round8(obj_size) or
#             total = 48 + Round8(obj_size) * capacity + 8 * ceil(capacity / 64)
#             overflows, or when mem_alloc(total) returns 0.  Nothing changes
#             on failure.  The header gets start = header + 48, current =
#             start, end = start + obj_size * capacity, the rounded obj_size,
#             free head 0, reserved 0; the bitmap after end is zeroed.
#   Clobbers: rcx, rdx, rsi, rdi, r8-r11 (and whatever mem_alloc clobbers).
        .globl pool_create
        .type pool_create, @function
        .p2align 4
pool_create:
        cmpq    $POOL_MIN_OBJ, %rdi
        jb      .Lcreate_fail                   # obj_size < 8
        testq   %rsi, %rsi
        jz      .Lcreate_fail                   # capacity 0
        addq    $POOL_ALIGN - 1, %rdi           # obj_size + 7
        jc      .Lcreate_fail                   # Round8(obj_size) would be 2^64
        andq    $-POOL_ALIGN, %rdi              # rdi = Round8(obj_size) >= 8
        movq    %rdi, %rax
        mulq    %rsi                            # rdx:rax = obj_size * capacity
        jc      .Lcreate_fail                   # CF set iff the high half rdx is nonzero
        movq    %rsi, %rcx
        decq    %rcx                            # capacity - 1, no wrap: capacity >= 1
        shrq    $6, %rcx
        incq    %rcx                            # rcx = ceil(capacity / 64) quads, <= 2^58
        leaq    (,%rcx,8), %rdx                 # bitmap bytes = 8 * quads, <= 2^61: no wrap
        movq    %rax, %r8                       # r8 = slot bytes = obj_size * capacity
        addq    $POOL_HDR_SIZE, %rax
        jc      .Lcreate_fail                   # 48 + slot bytes wraps
        addq    %rdx, %rax
        jc      .Lcreate_fail                   # ... + bitmap bytes wraps
        pushq   %rbx                            # three pushes: rsp 16-byte aligned at the call
        pushq   %r12
        pushq   %r13
        movq    %rdi, %rbx                      # rbx = rounded obj_size
        movq    %r8, %r12                       # r12 = slot bytes
        movq    %rcx, %r13                      # r13 = bitmap quads
        movq    %rax, %rdi
        call    mem_alloc                       # mem_alloc(total)
        testq   %rax, %rax
        jz      .Lcreate_out                    # page allocator refused: rax = 0
        leaq    POOL_HDR_SIZE(%rax), %rcx       # start = header + 48
        movq    %rcx, POOL_START(%rax)
        movq    %rcx, POOL_CURRENT(%rax)        # every slot is still unused
        addq    %r12, %rcx                      # end = start + slot bytes, inside the block
        movq    %rcx, POOL_END(%rax)
        movq    %rbx, POOL_OBJ_SIZE(%rax)
        movq    $0, POOL_FREE_HEAD(%rax)        # empty free list
        movq    $0, POOL_RESERVED(%rax)
        # A reused block holds old data: clear every bitmap quad (rcx = end).
        xorl    %edx, %edx
.Lcreate_zero_bitmap:
        movq    %rdx, (%rcx)
        addq    $8, %rcx
        decq    %r13
        jnz     .Lcreate_zero_bitmap
.Lcreate_out:
        popq    %r13
        popq    %r12
        popq    %rbx
        ret
.Lcreate_fail:
        xorl    %eax, %eax
        ret
        .size pool_create, . - pool_create

# void *pool_alloc(MfPoolHeader *pool)
#   Input:    rdi = pool.
#   Result:   rax = a zero-filled, 8-byte aligned object of obj_size bytes:
#             the free-list head if there is one (its bit cleared), else the
#             slot at current (current advances by obj_size); or 0 when the
#             pool is exhausted (then nothing changes).
#   Clobbers: rcx, rdx, rsi, r8, r9, r10 (and rdi when rep stosb zeroes).
#   Failure:  pool = 0 exits 110; a free head that is not a free slot
#             (below start, at or past current, inside a slot, or its bit
#             clear: memory written after it was freed) exits 111 before
#             anything changes.
        .globl pool_alloc
        .type pool_alloc, @function
        .p2align 4
pool_alloc:
        testq   %rdi, %rdi
        jz      .Lalloc_null
        movq    POOL_OBJ_SIZE(%rdi), %rcx       # rcx = obj_size, a multiple of 8, >= 8
        movq    POOL_FREE_HEAD(%rdi), %rsi      # rsi = the object to hand out
        testq   %rsi, %rsi
        jz      .Lalloc_bump
        # Pop: in a steady alloc/free cycle this is the common path.  The
        # head came from the link in a freed object, which a write into
        # freed memory can have changed: check that it is a free slot (as
        # pool_free checks obj) before reading it or writing anything.
        movq    %rsi, %rax
        subq    POOL_START(%rdi), %rax          # offset = head - start
        jb      .Lalloc_bad_head                # head < start
        cmpq    POOL_CURRENT(%rdi), %rsi
        jae     .Lalloc_bad_head                # head >= current: never handed out
        xorl    %edx, %edx
        divq    %rcx                            # rax = slot index k, rdx = offset mod obj_size
        testq   %rdx, %rdx
        jnz     .Lalloc_bad_head                # inside a slot, not at its start
        movq    %rax, %rdx
        shrq    $6, %rdx                        # rdx = bitmap quad k / 64
        movq    POOL_END(%rdi), %r8             # the bitmap starts at end
        movq    (%r8,%rdx,8), %r9
        btrq    %rax, %r9                       # clear bit k mod 64; CF = its old value
        jnc     .Lalloc_bad_head                # not on the free list
        movq    %r9, (%r8,%rdx,8)
        movq    (%rsi), %rdx
        movq    %rdx, POOL_FREE_HEAD(%rdi)      # head = the popped object's link
.Lalloc_zero:
        # Zero the rcx bytes at rsi (rcx a multiple of 8, >= 8), return rsi.
        movq    %rsi, %rax
        xorl    %edx, %edx
        cmpq    $POOL_ZERO_BLOCK, %rcx
        jb      .Lalloc_zero_quads
        cmpq    $POOL_REP_ZERO_MIN, %rcx
        jae     .Lalloc_zero_long
        xorps   %xmm0, %xmm0
        leaq    -POOL_ZERO_BLOCK(%rsi,%rcx), %r8 # r8 = the last block, flush with the end
        cmpq    %r8, %rsi
        jae     .Lalloc_zero_last
.Lalloc_zero_blocks:
        movups  %xmm0, (%rsi)
        movups  %xmm0, 16(%rsi)
        addq    $POOL_ZERO_BLOCK, %rsi
        cmpq    %r8, %rsi
        jb      .Lalloc_zero_blocks
.Lalloc_zero_last:
        movups  %xmm0, (%r8)
        movups  %xmm0, 16(%r8)
        ret
.Lalloc_zero_quads:
        movq    %rdx, -8(%rsi,%rcx)             # 1 to 3 quads, from the last down
        subq    $8, %rcx
        jnz     .Lalloc_zero_quads
        ret
.Lalloc_zero_long:
        movq    %rsi, %rdi                      # rep stosb: rdi = dst, rcx = count, al = byte
        xorl    %eax, %eax
        rep stosb
        movq    %rsi, %rax
        ret
.Lalloc_bump:
        movq    POOL_CURRENT(%rdi), %rsi
        movq    POOL_END(%rdi), %rdx
        subq    %rsi, %rdx                      # room = end - current, no wrap: current <= end
        cmpq    %rcx, %rdx
        jb      .Lalloc_none                    # room < obj_size: exhausted
        leaq    (%rsi,%rcx), %rdx               # current + obj_size <= end
        movq    %rdx, POOL_CURRENT(%rdi)
        jmp     .Lalloc_zero
.Lalloc_none:
        xorl    %eax, %eax
        ret
.Lalloc_null:
        movl    $MF_EXIT_NULL, %edi
        leaq    name_pool_alloc(%rip), %rsi
        jmp     __mf_panic
.Lalloc_bad_head:
        movl    $MF_EXIT_BOUNDS, %edi
        leaq    name_pool_alloc(%rip), %rsi
        jmp     __mf_panic
        .size pool_alloc, . - pool_alloc

# void pool_free(MfPoolHeader *pool, void *obj)
#   Input:    rdi = pool, rsi = obj.  Pushes obj on the free list: its first
#             8 bytes get the old head, obj becomes the head, its bit is set.
#   Clobbers: rax, rcx, rdx, r8, r9.
#   Failure:  pool = 0 or obj = 0 exits 110; obj < start, obj >= current,
#             obj - start not a multiple of obj_size, or obj already on the
#             free list (its bit set: a double free) exits 111.  Nothing is
#             written before these checks.
        .globl pool_free
        .type pool_free, @function
        .p2align 4
pool_free:
        testq   %rdi, %rdi
        jz      .Lfree_null
        testq   %rsi, %rsi
        jz      .Lfree_null
        movq    %rsi, %rax
        subq    POOL_START(%rdi), %rax          # offset = obj - start
        jb      .Lfree_bounds                   # obj < start
        cmpq    POOL_CURRENT(%rdi), %rsi
        jae     .Lfree_bounds                   # obj >= current: never handed out
        xorl    %edx, %edx
        divq    POOL_OBJ_SIZE(%rdi)             # rax = k, rdx = offset mod obj_size
        testq   %rdx, %rdx
        jnz     .Lfree_bounds                   # inside a slot, not at its start
        movq    %rax, %rcx
        shrq    $6, %rcx                        # rcx = bitmap quad k / 64
        movq    POOL_END(%rdi), %r8             # the bitmap starts at end
        movq    (%r8,%rcx,8), %r9
        btsq    %rax, %r9                       # set bit k mod 64; CF = its old value
        jc      .Lfree_bounds                   # already free: double free
        movq    %r9, (%r8,%rcx,8)
        movq    POOL_FREE_HEAD(%rdi), %rdx
        movq    %rdx, (%rsi)                    # link to the old head
        movq    %rsi, POOL_FREE_HEAD(%rdi)
        ret
.Lfree_null:
        movl    $MF_EXIT_NULL, %edi
        leaq    name_pool_free(%rip), %rsi
        jmp     __mf_panic
.Lfree_bounds:
        movl    $MF_EXIT_BOUNDS, %edi
        leaq    name_pool_free(%rip), %rsi
        jmp     __mf_panic
        .size pool_free, . - pool_free

# void pool_destroy(MfPoolHeader *pool)
#   Input:    rdi = pool.  Returns the pool's block: mem_free(pool, total) with
#             total = 48 + (end - start) + 8 * ceil(capacity / 64) and
#             capacity = (end - start) / obj_size, the size pool_create asked
#             for.
#   Clobbers: rax, rcx, rdx, rsi, rdi, r8-r11 (through mem_free).
#   Failure:  pool = 0 exits 110; mem_free exits 111 for a pool that is not
#             live (the header is read first).  A header whose obj_size reads
#             0 is passed on as size 0, which mem_free rejects with 111,
#             rather than dividing by zero.
        .globl pool_destroy
        .type pool_destroy, @function
        .p2align 4
pool_destroy:
        testq   %rdi, %rdi
        jz      .Ldestroy_null
        movq    POOL_OBJ_SIZE(%rdi), %rcx
        xorl    %esi, %esi
        testq   %rcx, %rcx
        jz      .Ldestroy_free                  # corrupt header: mem_free(pool, 0) exits 111
        movq    POOL_END(%rdi), %r8
        subq    POOL_START(%rdi), %r8           # r8 = slot bytes = end - start
        movq    %r8, %rax
        xorl    %edx, %edx
        divq    %rcx                            # rax = capacity
        decq    %rax
        shrq    $6, %rax
        incq    %rax                            # ceil(capacity / 64) quads (capacity >= 1)
        leaq    POOL_HDR_SIZE(%r8,%rax,8), %rsi # total = 48 + slot bytes + 8 * quads
.Ldestroy_free:
        jmp     mem_free                        # tail call: mem_free(pool, total)
.Ldestroy_null:
        movl    $MF_EXIT_NULL, %edi
        leaq    name_pool_destroy(%rip), %rsi
        jmp     __mf_panic
        .size pool_destroy, . - pool_destroy

        .section .note.GNU-stack, "", @progbits
