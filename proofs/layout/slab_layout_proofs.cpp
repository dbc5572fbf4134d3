// slab_layout_proofs.cpp - slabs and large pages (docs/spec.md, "Slabs" and
// mem_alloc step 2): the block-index trick, the slab geometry of every size
// class at once, and the placement of a large block in its mapping.
#include <algorithm>
#include <chrono>

#include "layout_proof.h"
#include "spec_arith.h"

namespace mf::proof::layout_proofs {

void prove_slab_layout(Prover& p) {
  namespace L = mf::layout;
  using spec::u64;
  z3::context& c = p.ctx();

  // The index trick, over the integers, for every divisor up to SMALL_MAX
  // (so for every block size of the 67 classes at once): with
  // r = ceil(2^32 / bs), (off * r) >> 32 = off / bs for all off < 2^16.
  {
    z3::expr off = c.int_const("off"), bs = c.int_const("bs"), r = c.int_const("recip");
    z3::expr two32 = two_to(c, spec::kRecipShift);
    std::vector<z3::expr> h = {off >= 0, off < two_to(c, 16), bs >= 1, bs <= int_of(c, L::SMALL_MAX),
                               r * bs >= two32, (r - 1) * bs < two32};
    p.prove("slab index trick: (off * ceil(2^32/bs)) >> 32 == off / bs for off < 2^16, 1 <= bs <= SMALL_MAX", h,
            (off * r) / two32 == off / bs, {off, bs, r});
    p.prove("slab index trick: off * recip < 2^64 (the imul cannot overflow)", h, off * r < two_to(c, 64),
            {off, bs, r});
  }
  // The same in 64-bit arithmetic, the way the code computes it, for the
  // block sizes of the 67 classes (a symbolic class index).
  z3::expr index = c.bv_const("class", 64);
  z3::expr in_range = z3::ult(index, u64(c, L::NUM_CLASSES));
  z3::expr bs = spec::class_block_size(index);
  // The code computes the trick with a 64-bit imul and shr: the second
  // property above shows the product never wraps, so the 64-bit result is
  // the integer one.  (Proving it again in 64-bit bit-vectors, class by
  // class, also succeeds but takes about 25 s, too long for every run.)
  //
  // The slab geometry, class by class: with a constant block size the
  // multiplier and divider circuits stay small.
  auto block_size = [&](std::uint64_t i) { return spec::class_block_size(u64(c, i)).simplify(); };
  auto recip_of = [&](const z3::expr& size) {
    return z3::udiv(u64(c, (1ULL << spec::kRecipShift)) + size - u64(c, 1), size).simplify();
  };
  p.prove_each("new_slab's recip (2^32 + bs - 1) / bs is ceil(2^32 / bs), every class", L::NUM_CLASSES,
               [&](std::uint64_t i, std::vector<z3::expr>&) {
                 return spec::is_recip_of(recip_of(block_size(i)), block_size(i));
               });
  p.prove("every class's block size is a multiple of MEM_ALIGN in [16, SMALL_MAX]", {in_range},
          (bs & u64(c, L::MEM_ALIGN - 1)) == u64(c, 0) && z3::uge(bs, u64(c, L::MEM_ALIGN)) &&
              z3::ule(bs, u64(c, L::SMALL_MAX)),
          {index});
  p.prove("the block area starts 16-aligned, after the header, extension and bitmap", {},
          c.bool_val(L::SLAB_BLOCKS_OFFSET % L::MEM_ALIGN == 0 && L::PAGE_BITMAP >= L::PAGE_RECIP + 8 &&
                     L::PAGE_BITMAP >= L::PAGE_HDR_SIZE &&
                     L::SLAB_BLOCKS_OFFSET >= L::PAGE_BITMAP + L::PAGE_BITMAP_BYTES),
          {});
  auto blocks_of = [&](const z3::expr& size) {
    return z3::udiv(u64(c, L::SLAB_SIZE - L::SLAB_BLOCKS_OFFSET), size).simplify();
  };
  p.prove_each("every slab holds at least one block, the last ends within the slab, the bitmap covers all",
               L::NUM_CLASSES, [&](std::uint64_t i, std::vector<z3::expr>&) {
                 z3::expr size = block_size(i), blocks = blocks_of(size);
                 return z3::uge(blocks, u64(c, 1)) &&
                        z3::ule(u64(c, L::SLAB_BLOCKS_OFFSET) + blocks * size, u64(c, L::SLAB_SIZE)) &&
                        z3::ule(blocks, u64(c, L::PAGE_BITMAP_BYTES * 8));
               });
  p.prove_each("block k of a slab is 16-aligned, after the bitmap, ends within the slab, offset < 2^16",
               L::NUM_CLASSES, [&](std::uint64_t i, std::vector<z3::expr>& h) {
                 z3::expr k = c.bv_const("k", 64), slab = c.bv_const("slab", 64);
                 z3::expr size = block_size(i);
                 h.push_back(z3::ult(k, blocks_of(size)));
                 h.push_back((slab & u64(c, L::OS_PAGE_SIZE - 1)) == u64(c, 0));
                 h.push_back(z3::ule(slab, u64(c, L::USER_SPACE_END - L::SLAB_SIZE)));
                 z3::expr block = slab + u64(c, L::SLAB_BLOCKS_OFFSET) + k * size;
                 return (block & u64(c, L::MEM_ALIGN - 1)) == u64(c, 0) &&
                        z3::uge(block, slab + u64(c, L::PAGE_BITMAP + L::PAGE_BITMAP_BYTES)) &&
                        z3::ule(block + size, slab + u64(c, L::SLAB_SIZE)) &&
                        z3::ult(block - slab - u64(c, L::SLAB_BLOCKS_OFFSET), u64(c, 1ULL << 16));
               });
  // Large pages: SMALL_MAX < n <= MEM_MAX_REQUEST, mapping Round4096(0x60 + n).
  {
    z3::expr n = c.bv_const("n", 64), page = c.bv_const("page", 64);
    z3::expr len = spec::large_page_size(n);
    std::vector<z3::expr> large = {z3::ugt(n, u64(c, L::SMALL_MAX)), z3::ule(n, u64(c, L::MEM_MAX_REQUEST))};
    p.prove("large: the mapping size Round4096(0x60 + n) does not overflow and holds header and block", large,
            !spec::round_overflows(n + u64(c, L::LARGE_USER_OFFSET), L::OS_PAGE_SIZE) &&
                z3::uge(len, n + u64(c, L::LARGE_USER_OFFSET)) &&
                (len & u64(c, L::OS_PAGE_SIZE - 1)) == u64(c, 0),
            {n});
    p.prove("large: the block size field Round16(n) fits in the mapping after the header", large,
            z3::ule(spec::round_up(n, L::MEM_ALIGN), len - u64(c, L::LARGE_USER_OFFSET)), {n});
    std::vector<z3::expr> placed = large;
    placed.push_back((page & u64(c, L::OS_PAGE_SIZE - 1)) == u64(c, 0));
    placed.push_back(z3::ule(len, -page));
    p.prove("large: the user pointer page + 0x60 is 16-aligned, after the header and extension", placed,
            ((page + u64(c, L::LARGE_USER_OFFSET)) & u64(c, L::MEM_ALIGN - 1)) == u64(c, 0) &&
                L::LARGE_USER_OFFSET >= L::PAGE_RECIP + 8,
            {n, page});
  }
}

}  // namespace mf::proof::layout_proofs
