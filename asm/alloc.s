# alloc.s - the page allocator of the Morph builtins: mem_alloc, mem_free and
# mem_trim.
#
# The contract, and the reason for each rule, is docs/spec.md ("The page
# allocator").  In short: small requests (1..SMALL_MAX bytes) are served from
# 64 KiB slabs aligned to their size, one size class per slab, each slab with
# a LIFO free list and a bitmap of its free blocks (so that a double free is
# caught in O(1)); larger requests get a mapping of their own.  Every live
# mapping starts with the seed's page header and sits on one doubly-linked
# list of live pages.  Three structures keep every operation O(1):
#   - per class, the *open list* of its slabs that have a free block, so that
#     mem_alloc never searches for room;
#   - the *page map*, a hash table of the live pages' bases, so that mem_free
#     finds a pointer's page by masking (slab) or subtracting (large page)
#     and one probe, and refuses a wild pointer without touching memory that
#     might not be ours;
#   - *kept pages*: emptied slabs and freed large pages stay mapped, within a
#     budget, and are reused before the OS is asked again (mem_trim gives
#     them back).
#
# Speed: a mem_alloc/mem_free pair on the first open slab of a class must be
# no slower than malloc/free, so that path makes no call, walks no list and
# uses no div.  Everything that probes the page map or calls the OS is kept
# out of line, below the fast paths.

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
.equ OS_PAGE_SHIFT,             12      # log2(OS_PAGE_SIZE)
.equ KEPT_LARGE_BINS,           (MEM_KEEP_MAX_BYTES >> OS_PAGE_SHIFT) + 1  # one per page count
.equ MAP_HASH_SHIFT,            32      # slot = ((base >> 12) * MAP_HASH_MUL >> 32) & mask
.equ MAP_HASH_MUL,              0x9E3779B97F4A7C15  # 2^64 / golden ratio, odd
.if (1 << ALIGN_SHIFT) - MEM_ALIGN
        .error "ALIGN_SHIFT must be log2(MEM_ALIGN)"
.endif
.if (1 << OS_PAGE_SHIFT) - OS_PAGE_SIZE
        .error "OS_PAGE_SHIFT must be log2(OS_PAGE_SIZE)"
.endif
.equ STEP_MAX_SHIFT,            10      # log2(STEP_MAX)
.if (1 << STEP_MAX_SHIFT) - STEP_MAX
        .error "STEP_MAX_SHIFT must be log2(STEP_MAX)"
.endif

        .section .rodata
        # Each name on a quad boundary: the code proofs model this section
        # byte by byte, and its layout moves Z3's search.  Packed ("mem_free"
        # then "mem_alloc", 19 bytes), new_slab's proof took 120 s instead of
        # 4 and mem_alloc's 49 s instead of 27; this order takes 6 and 27.
fn_mem_alloc:   .asciz "mem_alloc"
        .p2align 3
fn_mem_free:    .asciz "mem_free"
        .p2align 3

        # Mutable state lives in morph_state (see docs/spec.md, Conventions):
        # the simulated OS snapshots and restores that section between runs.
        .section morph_state, "aw", @progbits   # one type for every file: see docs/spec.md
        .p2align 3
page_head:      .zero 8                 # first live page, 0 when none
page_count:     .zero 8                 # number of live pages
live_bytes:     .zero 8                 # sum of the live pages' sizes
kept_bytes:     .zero 8                 # sum of the kept pages' sizes
page_map:       .zero 8                 # the page map's table, 0 when none is mapped
page_map_slots: .zero 8                 # its slots, a power of two (0 when none)
kept_slabs:     .zero 8                 # stack of kept slabs through PAGE_NEXT
open_slabs:     .zero 8 * NUM_CLASSES   # per class: the first slab of its open list, or 0
kept_large:     .zero 8 * KEPT_LARGE_BINS  # per page count: stack of kept large pages

        .text

# ---------------------------------------------------------------------------
# void *mem_alloc(uint64_t n)
#   Input:    rdi = n, the requested size in bytes.
#   Output:   rax = a 16-byte aligned block of at least n bytes, or 0 when
#             n = 0, n > MEM_MAX_REQUEST, or the OS refuses a mapping (then
#             nothing has changed but, perhaps, the page map's size).
#   Clobbers: rcx, rdx, rsi, rdi, r8-r11 (and whatever __mf_os_mmap,
#             __mf_os_munmap and __mf_os_time clobber when a page is mapped).
#   Fails:    exits 111 when the head of the free list it pops is not a free
#             block of its slab (memory written after it was freed), before
#             anything has changed; never otherwise.
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
        leaq    open_slabs(%rip), %rcx
        movq    (%rcx,%rax,8), %rdx     # rdx = first open slab of the class
        testq   %rdx, %rdx
        jz      .Lalloc_new_slab
.Lalloc_from_slab:                      # rdx = an open slab of the class, the first
        movq    PAGE_FREE_HEAD(%rdx), %r8
        testq   %r8, %r8
        jz      .Lalloc_bump
        # Pop the free list.  The head is checked before it is read or handed
        # out: a write into a freed block may have replaced the link that
        # made it head, so it must be a free block of this slab (inside the
        # block area, below bump, on a block boundary, its bit set).
        leaq    -SLAB_BLOCKS_OFFSET(%r8), %r10
        subq    %rdx, %r10              # r10 = offset in the block area (wraps if below)
        cmpq    $SLAB_BLOCKS_SPAN, %r10
        jae     .Lalloc_corrupt
        cmpq    PAGE_BUMP(%rdx), %r8
        jae     .Lalloc_corrupt         # never handed out
        movq    %r10, %r9
        imulq   PAGE_RECIP(%rdx), %r9
        shrq    $RECIP_SHIFT, %r9       # block index (exact: see block_index note)
        movq    PAGE_BLOCK_SIZE(%rdx), %r11
        imulq   %r9, %r11
        cmpq    %r10, %r11
        jne     .Lalloc_corrupt         # not the start of a block
        movq    %r9, %r10
        shrq    $BITMAP_QUAD_SHIFT, %r10  # quad of the bitmap holding the bit
        movq    PAGE_BITMAP(%rdx,%r10,8), %r11
        btrq    %r9, %r11               # register form: bit index mod 64
        jnc     .Lalloc_corrupt         # not free: live, or handed out twice
        # Valid: the popped block is live again, so its bit is cleared.
        movq    %r11, PAGE_BITMAP(%rdx,%r10,8)
        movq    (%r8), %rsi
        movq    %rsi, PAGE_FREE_HEAD(%rdx)
        incq    PAGE_LIVE(%rdx)
        testq   %rsi, %rsi
        jz      .Lalloc_list_emptied    # the slab may have closed
        movq    %r8, %rax
        ret
.Lalloc_bump:                           # an open slab with no free list has room at bump
        movq    PAGE_BUMP(%rdx), %r8
        movq    PAGE_BLOCK_SIZE(%rdx), %r9
        addq    %r8, %r9                # the new bump
        movq    %r9, PAGE_BUMP(%rdx)
        incq    PAGE_LIVE(%rdx)
        addq    PAGE_BLOCK_SIZE(%rdx), %r9
        leaq    SLAB_SIZE(%rdx), %r10
        cmpq    %r10, %r9
        ja      .Lalloc_close           # no room for another block: the slab is full
        movq    %r8, %rax
        ret
.Lalloc_list_emptied:                   # r8 = the block; open iff room at bump
        movq    PAGE_BUMP(%rdx), %r9
        addq    PAGE_BLOCK_SIZE(%rdx), %r9
        leaq    SLAB_SIZE(%rdx), %r10
        cmpq    %r10, %r9
        ja      .Lalloc_close
        movq    %r8, %rax
        ret
.Lalloc_close:                          # the full slab rdx leaves the head of the open list
        movq    SLAB_OPEN_NEXT(%rdx), %r9
        movq    %r9, (%rcx,%rax,8)
        testq   %r9, %r9
        jz      1f
        movq    $0, SLAB_OPEN_PREV(%r9)
1:      movq    $0, SLAB_OPEN_NEXT(%rdx)
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

.Lalloc_new_slab:                       # rax = class; its open list is empty
        movq    %rax, %rdi
        subq    $8, %rsp                # 16-byte alignment for the call
        call    new_slab
        addq    $8, %rsp
        testq   %rax, %rax
        jz      .Lalloc_none
        movq    %rax, %rdx
        movq    PAGE_CLASS(%rdx), %rax
        leaq    open_slabs(%rip), %rcx
        movq    %rdx, (%rcx,%rax,8)     # the only slab of the open list
        jmp     .Lalloc_from_slab

.Lalloc_none:
        xorl    %eax, %eax
        ret
.Lalloc_corrupt:
        movl    $MF_EXIT_BOUNDS, %edi
        leaq    fn_mem_alloc(%rip), %rsi
        subq    $8, %rsp                # 16-byte alignment for the call
        call    __mf_panic
        .size mem_alloc, . - mem_alloc

# ---------------------------------------------------------------------------
# MAP_HOME key, out, mask, scratch: the page map slot where probing for a
#   page base starts: ((key >> 12) * MAP_HASH_MUL >> 32) & mask.  The low
#   twelve bits of a base are zero, and bits 32.. of the product mix every
#   bit of the page number.
# ---------------------------------------------------------------------------
.macro MAP_HOME key, out, mask, scratch
        movq    \key, \out
        shrq    $OS_PAGE_SHIFT, \out
        movabsq $MAP_HASH_MUL, \scratch
        imulq   \scratch, \out
        shrq    $MAP_HASH_SHIFT, \out
        andq    \mask, \out
.endm

# MAP_STORE table, key, mask, slot, scratch: stores a page base in the first
#   empty slot of its probe run (the table has one: it is at most half full).
.macro MAP_STORE table, key, mask, slot, scratch
        MAP_HOME \key, \slot, \mask, \scratch
.Lstore_probe\@:
        cmpq    $0, (\table,\slot,8)
        je      .Lstore_here\@
        incq    \slot
        andq    \mask, \slot
        jmp     .Lstore_probe\@
.Lstore_here\@:
        movq    \key, (\table,\slot,8)
.endm

# ---------------------------------------------------------------------------
# new_slab (local): a slab that becomes live, empty, for one class: the most
#   recently kept slab, else a new 64 KiB mapping (64 KiB-aligned: the OS
#   shim aligns a length that is a multiple of 64 KiB).
#   Input:    rdi = class index, 0..NUM_CLASSES-1.
#   Output:   rax = the slab, at the head of the page list and in the page
#             map, on no open list yet (open next/prev 0), bitmap zero, bump
#             at the first block, free head 0, live 0; or 0 when the OS
#             refuses (the page map's growth or the mapping), and then
#             nothing else has changed.
#   Clobbers: rcx, rdx, rsi, rdi, r8-r11.
# ---------------------------------------------------------------------------
        .type new_slab, @function
        .p2align 4
new_slab:
        pushq   %rbx
        pushq   %r12
        pushq   %r13                    # three pushes: rsp is 16-aligned for calls
        movq    %rdi, %rbx              # rbx = class
        call    page_map_reserve
        testq   %rax, %rax
        jz      .Lnew_slab_refused
        movq    kept_slabs(%rip), %r12
        testq   %r12, %r12
        jz      .Lnew_slab_map
        movq    PAGE_NEXT(%r12), %rax   # pop the kept slab; it keeps its timestamp
        movq    %rax, kept_slabs(%rip)
        subq    $SLAB_SIZE, kept_bytes(%rip)
        jmp     .Lnew_slab_mapped
.Lnew_slab_map:
        movl    $SLAB_SIZE, %edi
        call    __mf_os_mmap
        testq   %rax, %rax
        js      .Lnew_slab_refused
        movq    %rax, %r12              # r12 = slab
        call    __mf_os_time
        movq    %rax, PAGE_TIMESTAMP(%r12)
.Lnew_slab_mapped:                      # first into the page map: it reads only the base
        movq    %r12, %rdi
        call    page_map_insert

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
        movq    $0, SLAB_OPEN_NEXT(%r12)
        movq    $0, SLAB_OPEN_PREV(%r12)
        # A kept slab holds its old bitmap, and a simulated OS may recycle
        # memory: the bitmap must start all-zero (no block free), so clear it.
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
# alloc_large (local): the large case of mem_alloc, a page per block: the
#   most recently kept page of exactly the size needed, else a new mapping.
#   Input:    rdi = n, SMALL_MAX < n <= MEM_MAX_REQUEST.
#   Output:   rax = page + LARGE_USER_OFFSET, or 0 when the OS refuses (then
#             nothing else has changed).
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
        andq    $-OS_PAGE_SIZE, %r13    # r13 = the page's size
        call    page_map_reserve
        testq   %rax, %rax
        jz      .Lalloc_large_refused
        cmpq    $MEM_KEEP_MAX_BYTES, %r13
        ja      .Lalloc_large_map       # never kept at this size
        movq    %r13, %rax
        shrq    $OS_PAGE_SHIFT, %rax
        leaq    kept_large(%rip), %rcx
        movq    (%rcx,%rax,8), %r12
        testq   %r12, %r12
        jz      .Lalloc_large_map
        movq    PAGE_NEXT(%r12), %rdx   # pop the kept page; it keeps its timestamp
        movq    %rdx, (%rcx,%rax,8)
        subq    %r13, kept_bytes(%rip)
        jmp     .Lalloc_large_mapped
.Lalloc_large_map:
        movq    %r13, %rdi
        call    __mf_os_mmap
        testq   %rax, %rax
        js      .Lalloc_large_refused
        movq    %rax, %r12              # r12 = page
        call    __mf_os_time
        movq    %rax, PAGE_TIMESTAMP(%r12)
.Lalloc_large_mapped:                   # first into the page map: it reads only the base
        movq    %r12, %rdi
        call    page_map_insert
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
# page_map_reserve (local): room in the page map for one more live page.
#   When the live pages plus one exceed half the slots (or there is no
#   table), maps a table of twice the slots (PAGE_MAP_MIN_SLOTS the first
#   time), moves every base into it and unmaps the old one (a refused unmap
#   leaks it).  At most half full, a probe ends at an empty slot.
#   Output:   rax = 1, or 0 when the OS refused the new table (then nothing
#             has changed).
#   Clobbers: rcx, rdx, rsi, rdi, r8-r11.
# ---------------------------------------------------------------------------
        .type page_map_reserve, @function
        .p2align 4
page_map_reserve:
        movq    page_count(%rip), %rax
        leaq    2(%rax,%rax), %rax      # 2 * (live pages + 1)
        cmpq    page_map_slots(%rip), %rax
        ja      .Lreserve_grow
        movl    $1, %eax
        ret
.Lreserve_grow:
        pushq   %rbx
        pushq   %r12
        pushq   %r13                    # three pushes: rsp is 16-aligned for calls
        movq    page_map_slots(%rip), %rbx
        addq    %rbx, %rbx
        movl    $PAGE_MAP_MIN_SLOTS, %eax
        cmpq    %rax, %rbx
        cmovbq  %rax, %rbx              # rbx = the new table's slots
        leaq    (,%rbx,8), %rdi
        call    __mf_os_mmap            # zeroed: every slot empty
        testq   %rax, %rax
        js      .Lreserve_refused
        movq    %rax, %r12              # r12 = the new table
        movq    page_map(%rip), %r13    # r13 = the old one, or 0
        testq   %r13, %r13
        jz      .Lreserve_install
        movq    page_map_slots(%rip), %rcx
        leaq    -1(%rbx), %r10          # the new mask
        xorl    %r8d, %r8d              # r8 = slot of the old table
1:      movq    (%r13,%r8,8), %rdi
        testq   %rdi, %rdi
        jz      3f
        MAP_STORE %r12, %rdi, %r10, %rax, %r11
3:      incq    %r8
        cmpq    %rcx, %r8
        jb      1b
        movq    %r13, %rdi
        leaq    (,%rcx,8), %rsi
        call    __mf_os_munmap          # its result is ignored: a refusal leaks the old table
.Lreserve_install:
        movq    %r12, page_map(%rip)
        movq    %rbx, page_map_slots(%rip)
        movl    $1, %eax
        jmp     .Lreserve_done
.Lreserve_refused:
        xorl    %eax, %eax
.Lreserve_done:
        popq    %r13
        popq    %r12
        popq    %rbx
        ret
        .size page_map_reserve, . - page_map_reserve

# ---------------------------------------------------------------------------
# page_map_find (local): whether an address is the base of a live page.
#   Reads only the page map, so any address is safe.
#   Input:    rdx = the address.
#   Output:   rdx = it, and ZF clear, when a live page starts there; else
#             rdx = 0 and ZF set.
#   Clobbers: r8-r11.  (rax, rcx, rsi, rdi are preserved for mem_free.)
# ---------------------------------------------------------------------------
        .type page_map_find, @function
        .p2align 4
page_map_find:
        movq    page_map(%rip), %r9
        testq   %r9, %r9
        jz      .Lfind_none
        testq   %rdx, %rdx              # 0 would match an empty slot
        jz      .Lfind_none
        movq    page_map_slots(%rip), %r10
        decq    %r10                    # mask
        MAP_HOME %rdx, %r8, %r10, %r11
1:      movq    (%r9,%r8,8), %r11
        cmpq    %rdx, %r11
        je      .Lfind_found
        testq   %r11, %r11
        jz      .Lfind_none
        incq    %r8
        andq    %r10, %r8
        jmp     1b
.Lfind_found:
        testq   %rdx, %rdx              # nonzero: ZF clear
        ret
.Lfind_none:
        xorl    %edx, %edx              # ZF set
        ret
        .size page_map_find, . - page_map_find

# ---------------------------------------------------------------------------
# link_page (local): a page becomes live: inserted at the head of the list
#   and counted (its page size in live_bytes).  The caller entered it in the
#   page map first.
#   Input:    rdi = page, its page size filled in.  Output: none.
#   Clobbers: rax.
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
        movq    PAGE_SIZE_FIELD(%rdi), %rax
        addq    %rax, live_bytes(%rip)
        ret
        .size link_page, . - link_page

# ---------------------------------------------------------------------------
# page_map_insert (local): enters a page's base in the page map
#   (page_map_reserve made room, so an empty slot is found).
#   Input:    rdi = the base.  Output: none.  Clobbers: r8-r11.
# ---------------------------------------------------------------------------
        .type page_map_insert, @function
        .p2align 4
page_map_insert:
        movq    page_map(%rip), %r9
        movq    page_map_slots(%rip), %r10
        decq    %r10
        MAP_STORE %r9, %rdi, %r10, %r8, %r11
        ret
        .size page_map_insert, . - page_map_insert

# ---------------------------------------------------------------------------
# unlink_page (local): a live page stops being live: unlinked from the list,
#   uncounted, and removed from the page map.  Removal shifts back the later
#   entries of its probe run that would otherwise become unreachable (an
#   entry at slot j whose probe started at k moves into the hole i when i
#   lies on its way, dist(k, j) >= dist(i, j)), so no tombstones build up.
#   Input:    rdi = page.  Output: none.
#   Clobbers: rax, rcx, rdx, rsi, r8-r11.
# ---------------------------------------------------------------------------
        .type unlink_page, @function
        .p2align 4
unlink_page:
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
        movq    PAGE_SIZE_FIELD(%rdi), %rax
        subq    %rax, live_bytes(%rip)
        movq    page_map(%rip), %r9
        movq    page_map_slots(%rip), %r10
        decq    %r10
        MAP_HOME %rdi, %r8, %r10, %r11
4:      cmpq    %rdi, (%r9,%r8,8)       # a live page is in the map: this ends
        je      5f
        incq    %r8
        andq    %r10, %r8
        jmp     4b
5:      movq    %r8, %rcx               # r8 = the hole i, rcx = j
6:      incq    %rcx
        andq    %r10, %rcx
        movq    (%r9,%rcx,8), %rdx
        testq   %rdx, %rdx
        jz      7f                      # the end of the run
        MAP_HOME %rdx, %rsi, %r10, %r11 # rsi = k
        movq    %rcx, %rax
        subq    %rsi, %rax
        andq    %r10, %rax              # dist(k, j)
        movq    %rcx, %r11
        subq    %r8, %r11
        andq    %r10, %r11              # dist(i, j)
        cmpq    %r11, %rax
        jb      6b
        movq    %rdx, (%r9,%r8,8)       # move it into the hole; j is the new hole
        movq    %rcx, %r8
        jmp     6b
7:      movq    $0, (%r9,%r8,8)
        ret
        .size unlink_page, . - unlink_page

# ---------------------------------------------------------------------------
# release_page (local): a live page leaves the list, then is kept for reuse
#   (docs/spec.md, "Kept pages": at most MEM_KEEP_MAX_BYTES, and the kept
#   bytes within MEM_KEEP_FLOOR or live bytes >> MEM_KEEP_SHIFT) or given
#   back to the OS.  A refused munmap leaks the memory but the state stays consistent.
#   Input:    rdi = page.  Output: none.
#   Clobbers: rax, rcx, rdx, rsi, rdi, r8-r11.
# ---------------------------------------------------------------------------
        .type release_page, @function
        .p2align 4
release_page:
        pushq   %rbx                    # one push: rsp is 16-aligned for the call
        movq    %rdi, %rbx
        call    unlink_page
        movq    PAGE_SIZE_FIELD(%rbx), %rsi
        cmpq    $MEM_KEEP_MAX_BYTES, %rsi
        ja      .Lrelease_unmap
        movq    kept_bytes(%rip), %rax
        addq    %rsi, %rax              # the kept bytes with it
        cmpq    $MEM_KEEP_FLOOR, %rax
        jbe     .Lrelease_keep
        movq    live_bytes(%rip), %rcx
        shrq    $MEM_KEEP_SHIFT, %rcx
        cmpq    %rcx, %rax
        ja      .Lrelease_unmap
.Lrelease_keep:                         # push it on its stack through PAGE_NEXT
        addq    %rsi, kept_bytes(%rip)
        leaq    kept_slabs(%rip), %rcx
        cmpq    $PAGE_CLASS_LARGE, PAGE_CLASS(%rbx)
        jne     1f
        movq    %rsi, %rax
        shrq    $OS_PAGE_SHIFT, %rax
        leaq    kept_large(%rip), %rcx
        leaq    (%rcx,%rax,8), %rcx
1:      movq    (%rcx), %rax
        movq    %rax, PAGE_NEXT(%rbx)
        movq    %rbx, (%rcx)
        popq    %rbx
        ret
.Lrelease_unmap:
        movq    %rbx, %rdi
        popq    %rbx
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
#             the allocator's own pages and the page map are read, so a wild
#             p never faults.
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
        movq    %rdi, %rdx
        andq    $-SLAB_SIZE, %rdx       # rdx = the slab p would be in (slabs are aligned)
        jz      .Lfree_bounds           # below 64 KiB: no slab there (and 0 = no first open slab)
        leaq    open_slabs(%rip), %rcx
        cmpq    %rdx, (%rcx,%rax,8)
        jne     .Lfree_find_slab        # not the first open slab: ask the page map
.Lfree_in_slab:                         # rdx = a live slab of class rax holding p
        movq    %rdi, %r8
        subq    %rdx, %r8
        subq    $SLAB_BLOCKS_OFFSET, %r8  # r8 = off
        jb      .Lfree_bounds           # in the header, the bitmap or the open links
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
        testq   %r9, %r9
        jz      .Lfree_list_was_empty   # the slab may have been full
.Lfree_counted:
        decq    PAGE_LIVE(%rdx)
        jz      .Lfree_slab_empty
        ret
.Lfree_list_was_empty:                  # it was open iff it had room at bump
        movq    PAGE_BUMP(%rdx), %r9
        addq    PAGE_BLOCK_SIZE(%rdx), %r9
        leaq    SLAB_SIZE(%rdx), %r10
        cmpq    %r10, %r9
        jbe     .Lfree_counted
        # Full until now, so every block was live and at least 7 still are:
        # live stays above 0.  It opens, first; an empty first slab before it
        # is released (only the first open slab may be empty).
        decq    PAGE_LIVE(%rdx)
        movq    (%rcx,%rax,8), %r9      # r9 = the old first, or 0
        movq    %rdx, (%rcx,%rax,8)
        movq    $0, SLAB_OPEN_PREV(%rdx)
        testq   %r9, %r9
        jz      .Lfree_open_alone
        cmpq    $0, PAGE_LIVE(%r9)
        je      .Lfree_open_replacing
        movq    %r9, SLAB_OPEN_NEXT(%rdx)
        movq    %rdx, SLAB_OPEN_PREV(%r9)
        ret
.Lfree_open_alone:
        movq    $0, SLAB_OPEN_NEXT(%rdx)
        ret
.Lfree_open_replacing:                  # the empty old first r9 leaves; rdx takes its place
        movq    SLAB_OPEN_NEXT(%r9), %r10
        movq    %r10, SLAB_OPEN_NEXT(%rdx)
        testq   %r10, %r10
        jz      1f
        movq    %rdx, SLAB_OPEN_PREV(%r10)
1:      movq    %r9, %rdi
        jmp     release_page
.Lfree_slab_empty:
        # The first open slab of the class is kept live, so that alloc/free in
        # a loop does not release and take back a page; any other empty slab
        # leaves its open list (it is on it: it has free blocks) and the page
        # list.  Not the first, so its open prev is a slab.
        cmpq    %rdx, (%rcx,%rax,8)
        je      2f
        movq    SLAB_OPEN_NEXT(%rdx), %r9
        movq    SLAB_OPEN_PREV(%rdx), %r10
        movq    %r9, SLAB_OPEN_NEXT(%r10)
        testq   %r9, %r9
        jz      1f
        movq    %r10, SLAB_OPEN_PREV(%r9)
1:      movq    %rdx, %rdi
        jmp     release_page
2:      ret

.Lfree_not_step:                        # rax = n - 1 >= STEP_MAX
        cmpq    $SMALL_MAX - 1, %rax
        ja      .Lfree_large_or_bad
        bsrq    %rax, %rax                      # as in mem_alloc: the doubling class
        addl    $STEP_CLASSES - STEP_MAX_SHIFT, %eax
        jmp     .Lfree_small

# p is not in the first open slab of its class: its slab must be a live page
# of that class.  rax = class, rcx = open_slabs, rdx = p's 64 KiB-aligned base.
.Lfree_find_slab:
        call    page_map_find
        jz      .Lfree_bounds
        cmpq    %rax, PAGE_CLASS(%rdx)
        jne     .Lfree_bounds
        jmp     .Lfree_in_slab

.Lfree_large_or_bad:                    # rax = n - 1 >= SMALL_MAX
        movabsq $MEM_MAX_REQUEST - 1, %rcx
        cmpq    %rcx, %rax
        ja      .Lfree_bounds           # n = 0 or n > MEM_MAX_REQUEST
        leaq    -LARGE_USER_OFFSET(%rdi), %rdx
        testl   $OS_PAGE_SIZE - 1, %edx
        jnz     .Lfree_bounds           # a large block's page is page-aligned
        call    page_map_find
        jz      .Lfree_bounds
        movabsq $PAGE_MAGIC_VALUE, %r9
        cmpq    %r9, PAGE_MAGIC(%rdx)
        jne     .Lfree_bounds
        cmpq    $PAGE_CLASS_LARGE, PAGE_CLASS(%rdx)
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
# uint64_t mem_trim(void)
#   Gives every kept page back to the OS (kept slabs first, most recent
#   first; then kept large pages by increasing size, most recent first), and
#   the page map when no page is live.
#   Output:   rax = the bytes whose munmap the OS accepted (a refused one
#             leaks that mapping).
#   Clobbers: rcx, rdx, rsi, rdi, r8-r11.
#   Fails:    never exits.
# ---------------------------------------------------------------------------
        .globl mem_trim
        .type mem_trim, @function
        .p2align 4
mem_trim:
        pushq   %rbx
        pushq   %r12
        pushq   %r13                    # three pushes: rsp is 16-aligned for calls
        xorl    %r12d, %r12d            # r12 = bytes released
1:      movq    kept_slabs(%rip), %rbx
        testq   %rbx, %rbx
        jz      2f
        movq    PAGE_NEXT(%rbx), %rax
        movq    %rax, kept_slabs(%rip)
        movq    %rbx, %rdi
        movl    $SLAB_SIZE, %esi
        call    __mf_os_munmap
        testq   %rax, %rax
        jnz     1b
        addq    $SLAB_SIZE, %r12
        jmp     1b
2:      xorl    %r13d, %r13d            # r13 = page count of the stack being emptied
3:      leaq    kept_large(%rip), %rcx
        movq    (%rcx,%r13,8), %rbx
        testq   %rbx, %rbx
        jnz     4f
        incq    %r13
        cmpq    $KEPT_LARGE_BINS, %r13
        jb      3b
        jmp     5f
4:      movq    PAGE_NEXT(%rbx), %rax
        movq    %rax, (%rcx,%r13,8)
        movq    %rbx, %rdi
        movq    %r13, %rsi
        shlq    $OS_PAGE_SHIFT, %rsi
        call    __mf_os_munmap
        testq   %rax, %rax
        jnz     3b
        movq    %r13, %rax
        shlq    $OS_PAGE_SHIFT, %rax
        addq    %rax, %r12
        jmp     3b
5:      movq    $0, kept_bytes(%rip)
        cmpq    $0, page_count(%rip)
        jne     6f
        movq    page_map(%rip), %rdi
        testq   %rdi, %rdi
        jz      6f
        movq    page_map_slots(%rip), %rbx
        shlq    $3, %rbx                # the table's bytes
        movq    $0, page_map(%rip)
        movq    $0, page_map_slots(%rip)
        movq    %rbx, %rsi
        call    __mf_os_munmap
        testq   %rax, %rax
        jnz     6f
        addq    %rbx, %r12
6:      movq    %r12, %rax
        popq    %r13
        popq    %r12
        popq    %rbx
        ret
        .size mem_trim, . - mem_trim

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
