// memory_model.h - the executor's memory.
//
// Memory is split into *regions* with a symbolic base: the header a function
// receives, the stack frame, each data section of the object, each block a
// callee spec hands out.  An access whose address is base + constant goes to
// that region, so header fields stay separate symbolic quads and counter-
// examples read naturally.  Everything else is *the heap*: one byte array
// indexed by absolute address, read through the chain of writes made on the
// path.  An access that reaches the heap must be proved disjoint from every
// region (the executor checks that), which is what makes the split sound.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mf::proof {

enum class RegionKind { Header, Stack, Global, Fresh, Heap };

// How a region's bytes read before anything is written to them.
struct RegionInit {
  enum class Kind {
    NamedQuads,     // one named 64-bit variable per aligned quad (headers, .bss)
    Bytes,          // fixed bytes (read-only data)
    Uninterpreted,  // a function of the address (the heap)
  } kind = Kind::NamedQuads;
  // NamedQuads: the variable name of the quad at an aligned offset.
  std::function<std::string(std::uint64_t)> quad_name;
  std::vector<std::uint8_t> bytes;  // Bytes
  std::string function_name;        // Uninterpreted
  // NamedQuads: quads at symbolic offsets that the precondition names (a
  // table entry indexed by a value, such as open_slabs[class]): the offset
  // term and the quad.  An access provably at such an offset is resolved to
  // that very term, so it reads the named quad, not a choice among all the
  // region's bytes.  A read at a numeral offset reads the named quad.
  std::vector<std::pair<z3::expr, z3::expr>> pinned;
  // The table each pinned offset lies in, [first, end) (parallel to
  // `pinned`; the precondition assumes it): a write at numeral offsets
  // outside it never covers a byte of that quad.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> pinned_tables;
};

struct MemoryWrite {
  enum class Kind { Store, Fill, Havoc } kind = Kind::Store;
  z3::expr offset;  // region offset (absolute address for the heap)
  z3::expr length;  // bytes, 64-bit
  z3::expr value;   // Store: 8*length bits; Fill: 8*unit bits, repeated
  unsigned unit = 1;
  std::string epoch;  // Havoc: name of the new content function
};

struct Region {
  std::string name;
  RegionKind kind = RegionKind::Heap;
  z3::expr base;
  std::uint64_t size = 0;  // bytes; 0 for the heap (unbounded)
  z3::expr valid;          // the region exists on this path (its pointer is not 0)
  // Fresh blocks: accesses must end within base + limit (the size asked for).
  std::optional<z3::expr> limit;
  bool writable = true;
  std::shared_ptr<const RegionInit> init;
  std::vector<MemoryWrite> writes;
};

class Memory {
 public:
  explicit Memory(z3::context& ctx);

  int add_region(Region region);
  int heap() const { return 0; }
  std::size_t region_count() const { return regions_.size(); }
  const Region& region(int index) const { return regions_[index]; }
  Region& region(int index) { return regions_[index]; }
  // The region with that name, or -1.
  int find(const std::string& name) const;

  // Little-endian reads and writes of `bytes` bytes at a region offset.
  z3::expr read(int region, const z3::expr& offset, unsigned bytes) const;
  void store(int region, const z3::expr& offset, unsigned bytes, const z3::expr& value);
  void fill(int region, const z3::expr& offset, const z3::expr& length, const z3::expr& value, unsigned unit);
  // Everything on the heap may have changed (a callee ran).
  void havoc_heap(const std::string& epoch);

  // The content before any write: what a function's precondition talks about.
  z3::expr initial_byte(int region, const z3::expr& offset) const;
  z3::expr initial_quad(int region, std::uint64_t offset) const;
  // The heap as it was after the last havoc (or at entry): the baseline a
  // spec compares the final heap with.
  z3::expr heap_baseline_byte(const z3::expr& address) const;
  z3::expr read_byte(int region, const z3::expr& offset) const;

 private:
  z3::expr initial_byte_of(const Region& region, const z3::expr& offset) const;
  z3::expr byte_of_write(const MemoryWrite& write, const z3::expr& offset) const;
  // `offset` is a byte of a pinned quad (its term plus a numeral below 8)
  // and `write`, at numeral offsets, lies wholly outside that quad's table;
  // or the reverse: `offset` a numeral outside the table, `write` within
  // the pinned quad.
  static bool misses_pinned_table(const Region& region, const z3::expr& offset, const MemoryWrite& write);

  z3::context* ctx_;
  std::vector<Region> regions_;
};

// [a, a + a_len) and [b, b + b_len) do not overlap, on the 2^64 circle.
z3::expr disjoint(const z3::expr& a, const z3::expr& a_len, const z3::expr& b, const z3::expr& b_len);

}  // namespace mf::proof
