// builtins_model.h - the checked builtins of docs/spec.md: __mf_load_i64,
// __mf_poke_i64, __mf_load_byte, __mf_poke_byte, __mf_memcpy, __mf_init.
//
// A range [a, a + n) is checked on the absolute address (page base + offset
// for Page form): a < 4096 exits 110; a + n wrapping or > 2^47 exits 111.
// A range that passes must lie wholly inside ONE live user region, else the
// outcome is Unsafe (the real code would touch memory it does not own).
// User regions (see UserRegion) never include a header the SUT owns.
//
// Loads return the bytes the model knows (Outcome::known_mask marks them).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "addr.h"
#include "arena_model.h"
#include "os_model.h"
#include "outcome.h"
#include "page_model.h"
#include "pool_model.h"

namespace mf::model {

enum class RegionKind : std::uint8_t {
  Block,       // a plain mem_alloc(n) block: its first n bytes
  ArenaData,   // a live arena's [start, end)
  PoolObject,  // a live (allocated, not freed) pool object: obj_size bytes
};

struct UserRegion {
  RegionKind kind = RegionKind::Block;
  std::uint64_t handle = 0;  // block, arena or pool handle
  std::uint64_t slot = 0;    // PoolObject only
  Addr start;                // canonical (Page form)
  std::uint64_t length = 0;
};

class BuiltinsModel {
 public:
  BuiltinsModel(OsModel& os, PageModel& pages, ArenaModel& arenas, PoolModel& pools)
      : os_(os), pages_(pages), arenas_(arenas), pools_(pools) {}

  // Addresses are canonical.  Results: loads -> Number; pokes -> Void;
  // memcpy -> Pointer (dst, as given, canonical); init -> Number (0 or -errno).
  Outcome load_i64(Addr a) const;
  Outcome poke_i64(Addr a, std::uint64_t value);
  Outcome load_byte(Addr a) const;
  Outcome poke_byte(Addr a, std::uint64_t value);
  Outcome memcpy(Addr dst, Addr src, std::uint64_t n);
  // First successful call maps the 64 KiB alternate stack (one mmap); later
  // calls return 0 without a system call.  A refused mmap returns -ENOMEM.
  Outcome init();
  bool initialised() const { return initialised_; }

  std::vector<UserRegion> user_regions() const;
  // The region that holds all of [a, a + n) (a canonical, n >= 1), if any.
  std::optional<UserRegion> region_containing(Addr a, std::uint64_t n) const;

 private:
  // nullopt when [a, a + n) passes the 110/111 checks, else the Exit.
  std::optional<Outcome> check_range(Addr a, std::uint64_t n) const;
  Outcome load(Addr a, std::uint64_t n) const;

  OsModel& os_;
  PageModel& pages_;
  ArenaModel& arenas_;
  PoolModel& pools_;
  bool initialised_ = false;
};

}  // namespace mf::model
