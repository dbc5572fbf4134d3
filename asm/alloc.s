# alloc.s - the page allocator of the Morph builtins: mem_alloc and mem_free.
#
# The contract, and the reason for each rule, is docs/spec.md ("The page
# allocator").  In short: small requests (1..SMALL_MAX bytes) are served from
# 64 KiB slabs, one size class per slab, each slab with a LIFO free list and a
# bitmap of its free blocks (so that a double free is caught in O(1)); larger
# requests get a mapping of their own.  Every mapping starts with the seed's
# page header and sits on one doubly-linked list of live pages.
#
# Speed: a mem_alloc/mem_free pair on the current slab of a class must be no
# slower than malloc/free, so that path makes no call, walks no list and uses
# no div.  Everything that walks the page list or calls the OS is kept out of
# line, below the fast paths.

        .include "layout.inc"

# Policy constants derived from layout.inc (not layout values themselves).
# Classes 0..STEP_CLASSES-1 are the multiples of MEM_ALIGN up to STEP_MAX;
# the POW2_CLASSES classes after them double up to SMALL_MAX (2048, 4096, 8192).
.equ POW2_CLASSES,              3
.equ STEP_CLASSES,              NUM_CLASSES - POW2_CLASSES
.equ STEP_MAX,                  STEP_CLASSES * MEM_ALIGN
.equ SLAB_BLOCKS_SPAN,          SLAB_SIZE - SLAB_BLOCKS_OFFSET
.equ RECIP_SHIFT,               32      # recip = ceil(2^RECIP_SHIFT / block size)
.equ ALIGN_SHIFT,               4       # log2(MEM_ALIGN)
.equ BITMAP_QUAD_SHIFT,         6       # 64 bits per bitmap quad
.if (1 << ALIGN_SHIFT) - MEM_ALIGN
        .error "ALIGN_SHIFT must be log2(MEM_ALIGN)"
.endif
.equ STEP_MAX_SHIFT,            10      # log2(STEP_MAX)
.if (1 << STEP_MAX_SHIFT) - STEP_MAX
        .error "STEP_MAX_SHIFT must be log2(STEP_MAX)"
.endif

        .section .rodata
fn_mem_free:    .asciz "mem_free"

        # Mutable state lives in morph_state (see docs/spec.md, Conventions):
        # the simulated OS snapshots and restores that section between runs.
        .section morph_state, "aw", @progbits   # one type for every file: see docs/spec.md
        .p2align 3
page_head:      .zero 8                 # first live page, 0 when none
page_count:     .zero 8                 # number of live pages
current_slab:   .zero 8 * NUM_CLASSES   # per class: its current slab, or 0

        .text

# ---------------------------------------------------------------------------
# void *mem_alloc(uint64_t n)
#   Input:    rdi = n, the requested size in bytes.
#   Output:   rax = a 16-byte aligned block of at least n bytes, or 0 when
#             n = 0, n > MEM_MAX_REQUEST, or the OS refuses a mapping (then
#             nothing has changed).
#   Clobbers: rcx, rdx, rsi, rdi, r8-r11 (and whatever __mf_os_mmap and
#             __mf_os_time clobber when a page is mapped).
#   Fails:    never exits.
# ---------------------------------------------------------------------------
        .globl mem_alloc
        .type mem_alloc, @function
        .p2align 4
mem_alloc:
        leaq    -1(%rdi), %rax          # n - 1: n = 0 wraps to 2^64-1, "too big"
        cmpq    $STEP_MAX - 1, %rax
        ja      .Lalloc_not_step
        shrq    $ALIGN_SHIFT, %rax      # class = (n + 15) / 16 - 1 = (n - 1) / 16
.Lalloc_small:                          # rax = class
        leaq    current_slab(%rip), %rcx
        movq    (%rcx,%rax,8), %rdx     # rdx = current slab of the class
        testq   %rdx, %rdx
        jz      .Lalloc_find_slab
.Lalloc_from_slab:                      # rdx = a slab of the class (may be full)
        movq    PAGE_FREE_HEAD(%rdx), %r8
        testq   %r8, %r8
        jz      .Lalloc_bump
        # Pop the free list; the popped block is live again, so clear its bit.
        movq    (%r8), %r9
        movq    %r9, PAGE_FREE_HEAD(%rdx)
        leaq    -SLAB_BLOCKS_OFFSET(%r8), %r9
        subq    %rdx, %r9               # offset of the block in the block area
        imulq   PAGE_RECIP(%rdx), %r9
        shrq    $RECIP_SHIFT, %r9       # block index (exact: see block_index note)
        movq    %r9, %r10
        shrq    $BITMAP_QUAD_SHIFT, %r10  # quad of the bitmap holding the bit
        movq    PAGE_BITMAP(%rdx,%r10,8), %r11
        btrq    %r9, %r11               # register form: bit index mod 64
        movq    %r11, PAGE_BITMAP(%rdx,%r10,8)
        incq    PAGE_LIVE(%rdx)
        movq    %r8, %rax
        ret
.Lalloc_bump:
        movq    PAGE_BUMP(%rdx), %r8
        movq    PAGE_BLOCK_SIZE(%rdx), %r9
        addq    %r8, %r9                # end of the block at bump
        leaq    SLAB_SIZE(%rdx), %r10
        cmpq    %r10, %r9
        ja      .Lalloc_find_slab       # slab full
        movq    %r9, PAGE_BUMP(%rdx)
        incq    PAGE_LIVE(%rdx)
        movq    %r8, %rax
        ret

.Lalloc_not_step:                       # rax = n - 1 >= STEP_MAX
        cmpq    $SMALL_MAX - 1, %rax
        ja      .Lalloc_large_or_none
        # One of the doubling classes: block 2^(k+1) holds n - 1 < 2^(k+1),
        # so the class is STEP_CLASSES + bsr(n - 1) - log2(STEP_MAX).
        bsrq    %rax, %rax
        addl    $STEP_CLASSES - STEP_MAX_SHIFT, %eax
        jmp     .Lalloc_small

.Lalloc_large_or_none:                  # rax = n - 1 >= SMALL_MAX
        movabsq $MEM_MAX_REQUEST - 1, %rcx
        cmpq    %rcx, %rax
        ja      .Lalloc_none            # n = 0 or n > MEM_MAX_REQUEST
        jmp     alloc_large

# No usable current slab: take the first slab of the class, from the head of
# the list, that has a free block; it becomes current.  rax = class, rcx =
# current_slab.  A slab with a free block has a free list or room at bump.
.Lalloc_find_slab:
        movq    page_head(%rip), %rdx
1:      testq   %rdx, %rdx
        jz      .Lalloc_new_slab
        cmpq    %rax, PAGE_CLASS(%rdx)
        jne     2f
        cmpq    $0, PAGE_FREE_HEAD(%rdx)
        jne     3f
        movq    PAGE_BUMP(%rdx), %r9
        addq    PAGE_BLOCK_SIZE(%rdx), %r9
        leaq    SLAB_SIZE(%rdx), %r10
        cmpq    %r10, %r9
        jbe     3f
2:      movq    PAGE_NEXT(%rdx), %rdx
        jmp     1b
3:      movq    %rdx, (%rcx,%rax,8)
        jmp     .Lalloc_from_slab

.Lalloc_new_slab:                       # rax = class
        movq    %rax, %rdi
        subq    $8, %rsp                # 16-byte alignment for the call
        call    new_slab
        addq    $8, %rsp
        testq   %rax, %rax
        jz      .Lalloc_none
        movq    %rax, %rdx
        movq    PAGE_CLASS(%rdx), %rax
        leaq    current_slab(%rip), %rcx
        movq    %rdx, (%rcx,%rax,8)
        jmp     .Lalloc_from_slab

.Lalloc_none:
        xorl    %eax, %eax
        ret
        .size mem_alloc, . - mem_alloc

# ---------------------------------------------------------------------------
# new_slab (local): maps, fills and links an empty slab of one class.
#   Input:    rdi = class index, 0..NUM_CLASSES-1.
#   Output:   rax = the slab, now at the head of the page list (bitmap zero,
#             bump at the first block, free head 0, live 0); or 0 when the OS
#             refuses the mapping, and then nothing has changed.
#   Clobbers: rcx, rdx, rsi, rdi, r8-r11.
# ---------------------------------------------------------------------------
        .type new_slab, @function
        .p2align 4
new_slab:
        pushq   %rbx
        pushq   %r12
        pushq   %r13                    # three pushes: rsp is 16-aligned for calls
        movq    %rdi, %rbx              # rbx = class
        movl    $SLAB_SIZE, %edi
        call    __mf_os_mmap
        testq   %rax, %rax
        js      .Lnew_slab_refused
        movq    %rax, %r12              # r12 = slab
        call    __mf_os_time
        movq    %rax, PAGE_TIMESTAMP(%r12)

        # Block size of the class: (class + 1) * MEM_ALIGN for the step
        # classes, SMALL_MAX halved once per class below the last for the rest.
        leaq    1(%rbx), %r13
        shlq    $ALIGN_SHIFT, %r13
        cmpq    $STEP_CLASSES, %rbx
        jb      1f
        movl    $NUM_CLASSES - 1, %ecx
        subl    %ebx, %ecx
        movl    $SMALL_MAX, %r13d
        shrq    %cl, %r13
1:      movq    %r13, PAGE_BLOCK_SIZE(%r12)
        # recip = ceil(2^32 / block size), so that mem_free and the pop of the
        # free list find a block's index with a multiply (see block_index note).
        movabsq $1 << RECIP_SHIFT, %rax
        leaq    -1(%rax,%r13), %rax
        xorl    %edx, %edx
        divq    %r13
        movq    %rax, PAGE_RECIP(%r12)

        movq    $SLAB_SIZE, PAGE_SIZE_FIELD(%r12)
        movabsq $PAGE_MAGIC_VALUE, %rax
        movq    %rax, PAGE_MAGIC(%r12)
        movq    $0, PAGE_RESERVED(%r12)
        movq    $0, PAGE_LIVE(%r12)
        movq    $0, PAGE_FREE_HEAD(%r12)
        leaq    SLAB_BLOCKS_OFFSET(%r12), %rax
        movq    %rax, PAGE_BUMP(%r12)
        movq    %rbx, PAGE_CLASS(%r12)
        # The OS hands out zeroed memory, but a simulated OS may recycle it;
        # the bitmap must start all-zero (no block free), so clear it here.
        leaq    PAGE_BITMAP(%r12), %rdi
        movl    $PAGE_BITMAP_BYTES, %ecx
        xorl    %eax, %eax
        rep stosb

        movq    %r12, %rdi
        call    link_page
        movq    %r12, %rax
        jmp     .Lnew_slab_done
.Lnew_slab_refused:
        xorl    %eax, %eax
.Lnew_slab_done:
        popq    %r13
        popq    %r12
        popq    %rbx
        ret
        .size new_slab, . - new_slab

# ---------------------------------------------------------------------------
# alloc_large (local): the large case of mem_alloc, a mapping per block.
#   Input:    rdi = n, SMALL_MAX < n <= MEM_MAX_REQUEST.
#   Output:   rax = page + LARGE_USER_OFFSET, or 0 when the OS refuses (then
#             nothing has changed).
#   Clobbers: rcx, rdx, rsi, rdi, r8-r11.
# ---------------------------------------------------------------------------
        .type alloc_large, @function
        .p2align 4
alloc_large:
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        movq    %rdi, %rbx              # rbx = n
        # Round4096(0x60 + n); cannot overflow since n <= MEM_MAX_REQUEST.
        leaq    (LARGE_USER_OFFSET + OS_PAGE_SIZE - 1)(%rdi), %r13
        andq    $-OS_PAGE_SIZE, %r13    # r13 = mapping length
        movq    %r13, %rdi
        call    __mf_os_mmap
        testq   %rax, %rax
        js      .Lalloc_large_refused
        movq    %rax, %r12              # r12 = page
        call    __mf_os_time
        movq    %rax, PAGE_TIMESTAMP(%r12)
        movq    %r13, PAGE_SIZE_FIELD(%r12)
        movabsq $PAGE_MAGIC_VALUE, %rax
        movq    %rax, PAGE_MAGIC(%r12)
        movq    $0, PAGE_RESERVED(%r12)
        leaq    MEM_ALIGN - 1(%rbx), %rax
        andq    $-MEM_ALIGN, %rax       # Round16(n): the large page's size class
        movq    %rax, PAGE_BLOCK_SIZE(%r12)
        movq    $1, PAGE_LIVE(%r12)
        movq    $0, PAGE_FREE_HEAD(%r12)
        movq    $0, PAGE_BUMP(%r12)
        movq    $PAGE_CLASS_LARGE, PAGE_CLASS(%r12)
        movq    $0, PAGE_RECIP(%r12)
        movq    %r12, %rdi
        call    link_page
        leaq    LARGE_USER_OFFSET(%r12), %rax
        jmp     .Lalloc_large_done
.Lalloc_large_refused:
        xorl    %eax, %eax
.Lalloc_large_done:
        popq    %r13
        popq    %r12
        popq    %rbx
        ret
        .size alloc_large, . - alloc_large

# ---------------------------------------------------------------------------
# link_page (local): inserts a page at the head of the list, counts it.
#   Input:    rdi = page.  Output: none.  Clobbers: rax.
# ---------------------------------------------------------------------------
        .type link_page, @function
        .p2align 4
link_page:
        movq    page_head(%rip), %rax
        movq    %rax, PAGE_NEXT(%rdi)
        movq    $0, PAGE_PREV(%rdi)
        testq   %rax, %rax
        jz      1f
        movq    %rdi, PAGE_PREV(%rax)
1:      movq    %rdi, page_head(%rip)
        incq    page_count(%rip)
        ret
        .size link_page, . - link_page

# ---------------------------------------------------------------------------
# release_page (local): unlinks a page, uncounts it and gives it back to the
#   OS.  A refused munmap leaks the memory but the list stays consistent.
#   Input:    rdi = page.  Output: none.
#   Clobbers: rax, rcx, rdx, rsi, rdi, r8-r11.
# ---------------------------------------------------------------------------
        .type release_page, @function
        .p2align 4
release_page:
        movq    PAGE_NEXT(%rdi), %rax
        movq    PAGE_PREV(%rdi), %rcx
        testq   %rcx, %rcx
        jz      1f
        movq    %rax, PAGE_NEXT(%rcx)
        jmp     2f
1:      movq    %rax, page_head(%rip)
2:      testq   %rax, %rax
        jz      3f
        movq    %rcx, PAGE_PREV(%rax)
3:      decq    page_count(%rip)
        movq    PAGE_SIZE_FIELD(%rdi), %rsi
        jmp     __mf_os_munmap          # tail call; its result is ignored
        .size release_page, . - release_page

# ---------------------------------------------------------------------------
# void mem_free(void *p, uint64_t n)
#   Input:    rdi = p, a live block; rsi = n, a size of the same size class
#             as the one p was allocated with.
#   Output:   none.
#   Clobbers: rax, rcx, rdx, rsi, rdi, r8-r11.
#   Fails:    p = 0 exits 110; p that is not a live block of n's size class
#             exits 111, through __mf_panic, before anything has changed.  Only
#             the allocator's own pages are read, so a wild p never faults.
#
#   block_index note.  A block's index in its slab is off / block size, with
#   off = p - slab - SLAB_BLOCKS_OFFSET < 2^16.  With recip = ceil(2^32 / d)
#   = (2^32 + e) / d, 0 <= e < d, we get off * recip / 2^32 = off / d + eps,
#   where eps = off * e / (d * 2^32) < 2^16 / 2^32 = 2^-16 <= 1/d because
#   d <= SMALL_MAX = 2^13.  The fractional part of off / d is at most
#   1 - 1/d, so adding eps never reaches the next integer:
#   (off * recip) >> 32 = floor(off / d) exactly, and off is a block start
#   iff that index times d gives back off.  No div instruction is needed.
# ---------------------------------------------------------------------------
        .globl mem_free
        .type mem_free, @function
        .p2align 4
mem_free:
        testq   %rdi, %rdi
        jz      .Lfree_null
        leaq    -1(%rsi), %rax          # n - 1: n = 0 wraps, "too big"
        cmpq    $STEP_MAX - 1, %rax
        ja      .Lfree_not_step
        shrq    $ALIGN_SHIFT, %rax      # rax = class
.Lfree_small:
        leaq    current_slab(%rip), %rcx
        movq    (%rcx,%rax,8), %rdx     # rdx = current slab of the class
        testq   %rdx, %rdx
        jz      .Lfree_find_slab
        leaq    -SLAB_BLOCKS_OFFSET(%rdi), %r8
        subq    %rdx, %r8               # r8 = off (wraps if p is below)
        cmpq    $SLAB_BLOCKS_SPAN, %r8
        jae     .Lfree_find_slab
.Lfree_in_slab:                         # rdx = slab of class rax holding p, r8 = off
        movabsq $PAGE_MAGIC_VALUE, %r9
        cmpq    %r9, PAGE_MAGIC(%rdx)
        jne     .Lfree_bounds
        movq    PAGE_RECIP(%rdx), %r9
        imulq   %r8, %r9
        shrq    $RECIP_SHIFT, %r9       # r9 = block index (block_index note)
        movq    PAGE_BLOCK_SIZE(%rdx), %r10
        imulq   %r9, %r10
        cmpq    %r8, %r10
        jne     .Lfree_bounds           # not the start of a block
        cmpq    PAGE_BUMP(%rdx), %rdi
        jae     .Lfree_bounds           # never handed out
        movq    %r9, %r10
        shrq    $BITMAP_QUAD_SHIFT, %r10
        movq    PAGE_BITMAP(%rdx,%r10,8), %r11
        btsq    %r9, %r11
        jc      .Lfree_bounds           # already free: a double free
        # Valid: from here on, change the state.
        movq    %r11, PAGE_BITMAP(%rdx,%r10,8)
        movq    PAGE_FREE_HEAD(%rdx), %r9
        movq    %r9, (%rdi)
        movq    %rdi, PAGE_FREE_HEAD(%rdx)
        decq    PAGE_LIVE(%rdx)
        jz      .Lfree_slab_empty
        ret
.Lfree_slab_empty:
        # The current slab is kept, so that alloc/free in a loop does not map
        # and unmap; any other empty slab goes back to the OS.
        cmpq    %rdx, (%rcx,%rax,8)
        je      1f
        movq    %rdx, %rdi
        jmp     release_page
1:      ret

.Lfree_not_step:                        # rax = n - 1 >= STEP_MAX
        cmpq    $SMALL_MAX - 1, %rax
        ja      .Lfree_large_or_bad
        bsrq    %rax, %rax                      # as in mem_alloc: the doubling class
        addl    $STEP_CLASSES - STEP_MAX_SHIFT, %eax
        jmp     .Lfree_small

# p is not in the current slab of its class: find the live page holding it,
# then check it is a slab of that class.  rax = class, rcx = current_slab.
.Lfree_find_slab:
        call    find_page
        testq   %rdx, %rdx
        jz      .Lfree_bounds
        cmpq    %rax, PAGE_CLASS(%rdx)
        jne     .Lfree_bounds
        leaq    -SLAB_BLOCKS_OFFSET(%rdi), %r8
        subq    %rdx, %r8
        cmpq    $SLAB_BLOCKS_SPAN, %r8
        jae     .Lfree_bounds           # in the header or the bitmap
        jmp     .Lfree_in_slab

.Lfree_large_or_bad:                    # rax = n - 1 >= SMALL_MAX
        movabsq $MEM_MAX_REQUEST - 1, %rcx
        cmpq    %rcx, %rax
        ja      .Lfree_bounds           # n = 0 or n > MEM_MAX_REQUEST
        call    find_page
        testq   %rdx, %rdx
        jz      .Lfree_bounds
        movabsq $PAGE_MAGIC_VALUE, %r9
        cmpq    %r9, PAGE_MAGIC(%rdx)
        jne     .Lfree_bounds
        cmpq    $PAGE_CLASS_LARGE, PAGE_CLASS(%rdx)
        jne     .Lfree_bounds
        leaq    LARGE_USER_OFFSET(%rdx), %r8
        cmpq    %r8, %rdi
        jne     .Lfree_bounds
        leaq    MEM_ALIGN - 1(%rsi), %r8
        andq    $-MEM_ALIGN, %r8        # Round16(n), the size class
        cmpq    %r8, PAGE_BLOCK_SIZE(%rdx)
        jne     .Lfree_bounds
        movq    %rdx, %rdi
        jmp     release_page

.Lfree_null:
        movl    $MF_EXIT_NULL, %edi
        jmp     .Lfree_panic
.Lfree_bounds:
        movl    $MF_EXIT_BOUNDS, %edi
.Lfree_panic:
        leaq    fn_mem_free(%rip), %rsi
        subq    $8, %rsp                # 16-byte alignment for the call
        call    __mf_panic
        .size mem_free, . - mem_free

# ---------------------------------------------------------------------------
# find_page (local): the live page whose mapping holds an address.  Reads
#   only the headers of pages on the list, so any address is safe.
#   Input:    rdi = address.
#   Output:   rdx = the page with page <= rdi < page + page size, or 0.
#   Clobbers: r8.  (rax, rcx, rsi, rdi are preserved for mem_free.)
# ---------------------------------------------------------------------------
        .type find_page, @function
        .p2align 4
find_page:
        movq    page_head(%rip), %rdx
1:      testq   %rdx, %rdx
        jz      2f
        movq    %rdi, %r8
        subq    %rdx, %r8
        cmpq    PAGE_SIZE_FIELD(%rdx), %r8
        jb      2f
        movq    PAGE_NEXT(%rdx), %rdx
        jmp     1b
2:      ret
        .size find_page, . - find_page

# ---------------------------------------------------------------------------
# MfPageHeader *mem_page_list_head(void): the head of the live page list, 0
#   when there is none.  uint64_t mem_page_count(void): the number of live
#   pages.  Both clobber nothing but rax.
# ---------------------------------------------------------------------------
        .globl mem_page_list_head
        .type mem_page_list_head, @function
        .p2align 4
mem_page_list_head:
        movq    page_head(%rip), %rax
        ret
        .size mem_page_list_head, . - mem_page_list_head

        .globl mem_page_count
        .type mem_page_count, @function
        .p2align 4
mem_page_count:
        movq    page_count(%rip), %rax
        ret
        .size mem_page_count, . - mem_page_count

        .section .note.GNU-stack, "", @progbits
