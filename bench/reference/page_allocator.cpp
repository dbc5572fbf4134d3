// page_allocator.cpp - mem_alloc / mem_free in plain C++, the same algorithm
// as asm/alloc.s per docs/spec.md: 67 size classes, 64 KiB slabs with a free
// bitmap and a LIFO free list, one current slab per class, a list walk on a
// miss, one mapping per large block.  Timing yardstick only (see the header).

#include <cstddef>
#include <cstdint>

#include "morph_os_abi.h"
#include "reference_allocators.h"

namespace mf::bench_ref {
namespace {

using namespace mf::layout;

// The whole page header of docs/spec.md: the seed's 48 bytes, then the
// allocator's extension.  For a large page the bitmap is user data.
struct Page {
  Page* next;
  Page* prev;
  std::uint64_t timestamp;
  std::uint64_t page_size;
  std::uint64_t magic;
  std::uint64_t reserved;
  std::uint64_t block_size;
  std::uint64_t live;
  std::uint64_t free_head;
  std::uint64_t bump;
  std::uint64_t class_index;
  std::uint64_t recip;
  std::uint64_t bitmap[PAGE_BITMAP_BYTES / 8];
};
static_assert(offsetof(Page, block_size) == PAGE_BLOCK_SIZE);
static_assert(offsetof(Page, live) == PAGE_LIVE);
static_assert(offsetof(Page, free_head) == PAGE_FREE_HEAD);
static_assert(offsetof(Page, bump) == PAGE_BUMP);
static_assert(offsetof(Page, class_index) == PAGE_CLASS);
static_assert(offsetof(Page, recip) == PAGE_RECIP);
static_assert(offsetof(Page, bitmap) == PAGE_BITMAP);
static_assert(sizeof(Page) == SLAB_BLOCKS_OFFSET);

Page* g_head = nullptr;
std::uint64_t g_page_count = 0;
Page* g_current[NUM_CLASSES] = {};

std::uint64_t address(const void* p) { return reinterpret_cast<std::uint64_t>(p); }

struct SmallClass {
  std::uint64_t index;
  std::uint64_t block_size;
};

// Only for 1 <= n <= SMALL_MAX.
inline SmallClass small_class(std::uint64_t n) {
  if (n <= 1024) return {(n + 15) / 16 - 1, (n + 15) & ~std::uint64_t{15}};
  if (n <= 2048) return {64, 2048};
  if (n <= 4096) return {65, 4096};
  return {66, 8192};
}

bool slab_has_free_block(const Page* slab) {
  return slab->free_head != 0 || slab->bump + slab->block_size <= address(slab) + SLAB_SIZE;
}

// Maps len bytes and puts a header at the head of the list; nullptr if the OS
// refuses (the shim returns a negative errno).
Page* map_page(std::uint64_t len) {
  long mapped = __mf_os_mmap(len);
  if (mapped < 0) return nullptr;
  Page* page = reinterpret_cast<Page*>(mapped);
  page->next = g_head;
  page->prev = nullptr;
  page->timestamp = static_cast<std::uint64_t>(__mf_os_time());
  page->page_size = len;
  page->magic = PAGE_MAGIC_VALUE;
  page->reserved = 0;
  if (g_head != nullptr) g_head->prev = page;
  g_head = page;
  ++g_page_count;
  return page;
}

// An unmap the OS refuses still leaves the page unlinked (spec).
void unmap_page(Page* page) {
  if (page->prev != nullptr) {
    page->prev->next = page->next;
  } else {
    g_head = page->next;
  }
  if (page->next != nullptr) page->next->prev = page->prev;
  --g_page_count;
  __mf_os_munmap(page, page->page_size);
}

void* alloc_large(std::uint64_t n) {
  const std::uint64_t len = (LARGE_USER_OFFSET + n + OS_PAGE_SIZE - 1) & ~(OS_PAGE_SIZE - 1);
  Page* page = map_page(len);
  if (page == nullptr) return nullptr;
  page->block_size = (n + 15) & ~std::uint64_t{15};
  page->live = 1;
  page->free_head = 0;
  page->bump = 0;
  page->class_index = PAGE_CLASS_LARGE;
  page->recip = 0;
  return reinterpret_cast<char*>(page) + LARGE_USER_OFFSET;
}

Page* find_slab_with_free_block(std::uint64_t class_index) {
  for (Page* page = g_head; page != nullptr; page = page->next) {
    if (page->class_index == class_index && slab_has_free_block(page)) return page;
  }
  return nullptr;
}

Page* map_slab(SmallClass cls) {
  Page* slab = map_page(SLAB_SIZE);
  if (slab == nullptr) return nullptr;
  // A fresh mapping is zeroed: bitmap all clear, live 0, free head 0.
  slab->block_size = cls.block_size;
  slab->bump = address(slab) + SLAB_BLOCKS_OFFSET;
  slab->class_index = cls.index;
  slab->recip = ((std::uint64_t{1} << 32) + cls.block_size - 1) / cls.block_size;
  return slab;
}

// Block index of a byte offset from the first block: the reciprocal is exact
// for every offset below 64 KiB and block size up to 8 KiB.
std::uint64_t block_index(const Page* slab, std::uint64_t offset) {
  return (offset * slab->recip) >> 32;
}

void* alloc_small(std::uint64_t n) {
  const SmallClass cls = small_class(n);
  Page* slab = g_current[cls.index];
  if (slab == nullptr || !slab_has_free_block(slab)) {
    slab = find_slab_with_free_block(cls.index);
    if (slab == nullptr) slab = map_slab(cls);
    if (slab == nullptr) return nullptr;
    g_current[cls.index] = slab;
  }
  std::uint64_t block = slab->free_head;
  if (block != 0) {
    slab->free_head = *reinterpret_cast<std::uint64_t*>(block);
    const std::uint64_t k = block_index(slab, block - address(slab) - SLAB_BLOCKS_OFFSET);
    slab->bitmap[k / 64] &= ~(std::uint64_t{1} << (k % 64));
  } else {
    block = slab->bump;
    slab->bump = block + slab->block_size;
  }
  ++slab->live;
  return reinterpret_cast<void*>(block);
}

[[noreturn]] void invalid_free() { __mf_panic(static_cast<int>(MF_EXIT_BOUNDS), "mem_free"); }

// The live page whose mapping contains p, or nullptr.  Reads only pages of
// the list, so a wild pointer is never dereferenced.
Page* page_containing(std::uint64_t p) {
  for (Page* page = g_head; page != nullptr; page = page->next) {
    if (p >= address(page) && p - address(page) < page->page_size) return page;
  }
  return nullptr;
}

void free_large(std::uint64_t p, std::uint64_t n) {
  Page* page = page_containing(p);
  if (page == nullptr || page->magic != PAGE_MAGIC_VALUE || page->class_index != PAGE_CLASS_LARGE ||
      p != address(page) + LARGE_USER_OFFSET || page->block_size != ((n + 15) & ~std::uint64_t{15})) {
    invalid_free();
  }
  unmap_page(page);
}

void free_small(std::uint64_t p, std::uint64_t n) {
  const SmallClass cls = small_class(n);
  Page* slab = g_current[cls.index];
  if (slab == nullptr || p < address(slab) || p - address(slab) >= SLAB_SIZE) {
    slab = page_containing(p);
    if (slab == nullptr) invalid_free();
  }
  if (slab->magic != PAGE_MAGIC_VALUE || slab->class_index != cls.index) invalid_free();
  const std::uint64_t first_block = address(slab) + SLAB_BLOCKS_OFFSET;
  if (p < first_block || p >= slab->bump) invalid_free();
  const std::uint64_t offset = p - first_block;
  const std::uint64_t k = block_index(slab, offset);
  if (k * slab->block_size != offset) invalid_free();
  const std::uint64_t bit = std::uint64_t{1} << (k % 64);
  if ((slab->bitmap[k / 64] & bit) != 0) invalid_free();

  *reinterpret_cast<std::uint64_t*>(p) = slab->free_head;
  slab->free_head = p;
  slab->bitmap[k / 64] |= bit;
  if (--slab->live == 0 && slab != g_current[cls.index]) unmap_page(slab);
}

}  // namespace

void* mem_alloc(std::uint64_t size) {
  if (size == 0 || size > MEM_MAX_REQUEST) return nullptr;
  if (size > SMALL_MAX) return alloc_large(size);
  return alloc_small(size);
}

void mem_free(void* ptr, std::uint64_t size) {
  if (ptr == nullptr) __mf_panic(static_cast<int>(MF_EXIT_NULL), "mem_free");
  if (size == 0 || size > MEM_MAX_REQUEST) invalid_free();
  if (size > SMALL_MAX) {
    free_large(address(ptr), size);
  } else {
    free_small(address(ptr), size);
  }
}

std::uint64_t mem_page_count() { return g_page_count; }

}  // namespace mf::bench_ref
