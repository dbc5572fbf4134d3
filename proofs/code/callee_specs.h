// callee_specs.h - what the proofs assume of the functions the code under
// proof calls: each call is replaced by its contract, so a proof of
// arena_create does not depend on how mem_alloc is written.
//
//   mem_alloc(n)       0, or a fresh 16-aligned block p >= 4096 with p + n not
//                      wrapping and [p, p + n) disjoint from all memory the
//                      proof knows; 0 whenever n = 0 or n > MEM_MAX_REQUEST.
//                      May change any allocator memory (the heap).
//   mem_free(p, n)     returns; may change any allocator memory.  (Its exits
//                      are not modelled: no proved function calls it.)
//   __mf_panic(c, w)   ends the path with exit code c; w must point at a
//                      NUL-terminated .rodata string naming the function.
//   __mf_os_mmap(len)  a negative errno (-4095..-1), or a fresh 4096-aligned
//                      mapping below 2^47, disjoint from all known memory.
//   __mf_os_time()     any value.  __mf_os_munmap: any result.
//   page_map_reserve() (alloc.s) 1, or 0; may change the page map's globals
//                      (when 1) and any allocator memory (its tables).
//   page_map_insert(b) (alloc.s) returns; may change any allocator memory.
//   page_map_find(rdx) (alloc.s) whether rdx is the base of a live page:
//                      rdx kept and ZF clear when page_map_holds(rdx) and
//                      rdx != 0, else rdx = 0 and ZF set; changes no memory,
//                      preserves rax, rcx, rsi and rdi (its header comment),
//                      clobbers r8-r11 and the other flags.
//                      These three are assumed, not proved: the page map's
//                      hashing and probing are checked by the differential
//                      harness.
//   new_slab(class)    (alloc.s) its own proof's postcondition (specs/
//                      alloc_specs.cpp), as mem_alloc's small path needs it:
//                      requires, at the call, the preconditions of that
//                      proof: class < NUM_CLASSES, and the kept slab at the
//                      top of kept_slabs, if any, a 64 KiB-aligned slab in
//                      user space apart from every region and extent the
//                      caller knows and from the live page at the head
//                      (the caller's precondition facts due at this call,
//                      CalleeConfig::facts_at_call, join the path first).
//                      Returns 0 with nothing changed but the page map, or a
//                      4096-aligned 64 KiB slab disjoint from all known
//                      memory: the kept slab when there is one (kept_slabs
//                      becomes its link, the quad at its base, and
//                      kept_bytes drops by SLAB_SIZE), else a fresh mapping;
//                      at the head of the page list (page_head,
//                      page_count + 1, live_bytes + SLAB_SIZE), its header
//                      filled for the class (block size, recip, bump at the
//                      first block, live 0, free head 0).  May change any
//                      allocator memory besides (the page map, the old
//                      head's prev; the slab's timestamp, bitmap and open
//                      links, which its proof shows, are left unknown here).
//
// Every call clobbers rax, rcx, rdx, rsi, rdi, r8-r11 and the flags, and
// requires rsp to be 16-byte aligned at the call; except page_map_find, a
// leaf with the convention stated above.
#pragma once

#include <map>
#include <utility>
#include <vector>
#include <memory>
#include <string>

#include "executor.h"

namespace mf::proof {

// How the blocks a callee hands out appear in the proof.
struct FreshBlockLayout {
  std::uint64_t header_bytes = 0;  // modelled as a region of this many bytes (0: all heap)
  std::string name;                // region and variable prefix, e.g. "new_arena"
  std::map<std::uint64_t, std::string> fields;  // quad offset -> field name
};

struct CalleeConfig {
  std::string panic_name;           // what __mf_panic's second argument must say
  FreshBlockLayout mem_alloc_block;  // for mem_alloc results
  FreshBlockLayout mmap_block;       // for __mf_os_mmap results
  // The page map's globals (region, offset) page_map_reserve may change.
  std::vector<std::pair<int, std::uint64_t>> page_map_globals;
  // For new_slab's contract (set by a proof whose function calls it): the
  // region of the page list's globals and their offsets, and how the slab's
  // header appears.
  struct PageList {
    int region = -1;
    std::uint64_t head = 0, count = 0, live_bytes = 0, kept_slabs = 0, kept_bytes = 0;
  };
  PageList page_list;
  FreshBlockLayout slab_block;
  // Facts of the caller's precondition that only a path calling this callee
  // needs (mem_alloc's kept slab, which only new_slab reads): they join the
  // path at the call, before its preconditions are required
  // (ProofSetup::assume_at_call).
  std::map<std::string, std::vector<z3::expr>> facts_at_call;
};

// The page map's contents, as page_map_find answers: true of exactly the
// bases of the live pages (one uninterpreted predicate per context, so a
// spec can state what holds of a page the map knows).
z3::func_decl page_map_holds(z3::context& ctx);

class CalleeSpecs {
 public:
  explicit CalleeSpecs(const CalleeConfig& config);
  const CalleeSpec* find(const std::string& name) const;

 private:
  std::map<std::string, std::unique_ptr<CalleeSpec>> specs_;
};

}  // namespace mf::proof
