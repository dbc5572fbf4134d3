// page_map_proofs.cpp - the arithmetic that keeps the page allocator O(1)
// (docs/spec.md, "Slabs", "Kept pages", "The page map"): finding a
// pointer's slab by masking, the kept-page stacks indexed by page size, and
// the page map's room (a probe always ends at an empty slot).
#include "layout_proof.h"
#include "spec_arith.h"

namespace mf::proof::layout_proofs {

void prove_page_map(Prover& p) {
  namespace L = mf::layout;
  using spec::u64;
  z3::context& c = p.ctx();
  z3::expr slab = c.bv_const("slab", 64), q = c.bv_const("p", 64);

  // mem_free finds a small block's slab as p & -SLAB_SIZE: the slab's base
  // for every address inside an aligned slab, the header and links included
  // (those are then refused by the offset check).
  p.prove("p & -SLAB_SIZE is the slab for every p inside a SLAB_SIZE-aligned slab",
          {(slab & u64(c, L::SLAB_SIZE - 1)) == u64(c, 0), z3::ule(slab, u64(c, L::USER_SPACE_END - L::SLAB_SIZE)),
           z3::uge(q, slab), z3::ult(q - slab, u64(c, L::SLAB_SIZE))},
          (q & u64(c, ~(L::SLAB_SIZE - 1))) == slab, {slab, q});
  p.prove("a slab's open links lie after its bitmap and before its first block", {},
          c.bool_val(L::SLAB_OPEN_NEXT >= L::PAGE_BITMAP + L::PAGE_BITMAP_BYTES &&
                     L::SLAB_OPEN_PREV == L::SLAB_OPEN_NEXT + 8 && L::SLAB_BLOCKS_OFFSET >= L::SLAB_OPEN_PREV + 8),
          {});

  // Kept large pages wait on one stack per page count, 0..MEM_KEEP_MAX_BYTES
  // / OS_PAGE_SIZE: every keepable large page has its stack.
  {
    z3::expr n = c.bv_const("n", 64);
    z3::expr len = spec::large_page_size(n);
    const std::uint64_t bins = L::MEM_KEEP_MAX_BYTES / L::OS_PAGE_SIZE + 1;
    p.prove("MEM_KEEP_MAX_BYTES is the page of a 1 MiB request", {},
            spec::large_page_size(u64(c, 1 << 20)) == u64(c, L::MEM_KEEP_MAX_BYTES), {});
    p.prove("a keepable large page's stack index len / OS_PAGE_SIZE is below the number of stacks",
            {z3::ugt(n, u64(c, L::SMALL_MAX)), z3::ule(n, u64(c, L::MEM_MAX_REQUEST)),
             z3::ule(len, u64(c, L::MEM_KEEP_MAX_BYTES))},
            z3::ult(z3::lshr(len, u64(c, 12)), u64(c, bins)) && c.bool_val(L::OS_PAGE_SIZE == 4096), {n});
    p.prove("a slab is keepable, and the floor holds the largest keepable page", {},
            c.bool_val(L::SLAB_SIZE <= L::MEM_KEEP_MAX_BYTES && L::MEM_KEEP_MAX_BYTES <= L::MEM_KEEP_FLOOR), {});
  }

  // The page map: slots a power of two; a probe starts at a hash masked by
  // slots - 1, and page_map_reserve keeps 2 * live pages <= slots, so a
  // probe for a new page always meets an empty slot.
  {
    z3::expr count = c.bv_const("live_pages", 64), slots = c.bv_const("slots", 64), hash = c.bv_const("hash", 64);
    z3::expr power_of_two = slots != u64(c, 0) && (slots & (slots - u64(c, 1))) == u64(c, 0);
    z3::expr bounded = z3::ule(slots, u64(c, std::uint64_t{1} << 44));
    p.prove("the probe's start hash & (slots - 1) is a slot", {power_of_two, bounded},
            z3::ult(hash & (slots - u64(c, 1)), slots), {slots, hash});
    // Growth: from slots (0 at first) to max(MIN, 2 * slots) whenever
    // 2 * (live + 1) > slots, with 2 * live <= slots before.
    z3::expr grown = z3::ite(z3::ult(u64(c, 2) * slots, u64(c, L::PAGE_MAP_MIN_SLOTS)),
                             u64(c, L::PAGE_MAP_MIN_SLOTS), u64(c, 2) * slots);
    z3::expr valid_slots = slots == u64(c, 0) || (power_of_two && z3::uge(slots, u64(c, L::PAGE_MAP_MIN_SLOTS)));
    std::vector<z3::expr> h = {valid_slots, bounded, z3::ule(u64(c, 2) * count, slots),
                               z3::ugt(u64(c, 2) * (count + u64(c, 1)), slots)};
    p.prove("after page_map_reserve grows the table, the new page still leaves it at most half full", h,
            z3::ule(u64(c, 2) * (count + u64(c, 1)), grown), {count, slots});
    p.prove("at most half full, a table with room for one more page has an empty slot",
            {power_of_two, bounded, z3::ule(count, slots), z3::ule(u64(c, 2) * (count + u64(c, 1)), slots)},
            z3::ult(count, slots), {count, slots});
    p.prove("PAGE_MAP_MIN_SLOTS is a power of two and its table a whole OS page", {},
            c.bool_val((L::PAGE_MAP_MIN_SLOTS & (L::PAGE_MAP_MIN_SLOTS - 1)) == 0 &&
                       (L::PAGE_MAP_MIN_SLOTS * 8) % L::OS_PAGE_SIZE == 0),
            {});
  }
}

}  // namespace mf::proof::layout_proofs
