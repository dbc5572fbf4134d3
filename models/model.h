// model.h - the whole reference model of one process running the Morph
// memory builtins: the entry point for the differential runner and tests.
//
// Drive it op by op with the same arguments the SUT gets, addresses in any
// form of addr.h (they are canonicalised first), and compare each Outcome
// (outcome.h) with what the SUT did.  After a pointer result with new_page,
// bind that page to the real address (bind_page_base) so that Raw addresses
// and the builtins' absolute range checks agree with the real process.
//
// Exits are final: after an Outcome of kind Exit, every operation throws
// std::logic_error (the run is over; calling on is a runner bug).
//
// __mf_mem_alloc / __mf_mem_free have exactly the contract of mem_alloc /
// mem_free: use mem_alloc / mem_free for both.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "addr.h"
#include "arena_model.h"
#include "builtins_model.h"
#include "daemon/cleaner_model.h"
#include "os_model.h"
#include "outcome.h"
#include "page_model.h"
#include "pool_model.h"

namespace mf::model {

class Model {
 public:
  Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // ---- the operations (docs/spec.md) ----
  Outcome mem_alloc(std::uint64_t n);
  Outcome mem_free(Addr p, std::uint64_t n);
  Outcome mem_trim();
  Outcome mem_uaf_link(Addr block, Addr value);  // PageModel::mem_uaf_link
  Outcome mem_page_list_head();
  Outcome mem_page_count();

  Outcome arena_create(std::uint64_t size);
  Outcome arena_alloc(Addr arena, std::uint64_t n);
  Outcome arena_reset(Addr arena);
  Outcome arena_get_usage(Addr arena);
  Outcome arena_get_capacity(Addr arena);
  Outcome arena_destroy(Addr arena);

  Outcome pool_create(std::uint64_t obj_size, std::uint64_t capacity);
  Outcome pool_alloc(Addr pool);
  Outcome pool_free(Addr pool, Addr obj);
  Outcome pool_destroy(Addr pool);
  Outcome pool_uaf_link(Addr pool, Addr obj, Addr value);  // PoolModel::uaf_link

  Outcome load_i64(Addr a);
  Outcome poke_i64(Addr a, std::uint64_t value);
  Outcome load_byte(Addr a);
  Outcome poke_byte(Addr a, std::uint64_t value);
  Outcome memcpy(Addr dst, Addr src, std::uint64_t n);
  Outcome init();

  // The cleaner's memory monitor over the OS's /proc/meminfo (its text and
  // failures are the OsRules'), with the default path and threshold.
  Outcome daemon_monitor_memory();
  // The cleaner's passes over the OS's monitor directory (its entries and
  // processes are the OsRules' cleaner world; a file unlinked leaves it),
  // with the world's TTLs and pid_max, as the cleaner world's own process.
  Outcome daemon_clean_snapshots();
  Outcome daemon_clean_sandboxes();

  // ---- the environment ----
  OsModel& os() { return os_; }  // clock, memory limit, fault injection
  const OsModel& os() const { return os_; }
  void bind_page_base(PageHandle page, std::uint64_t base);

  // ---- state, for comparison ----
  bool exited() const { return exit_code_.has_value(); }
  std::optional<int> exit_code() const { return exit_code_; }
  Addr canonical(Addr a) const;
  std::uint64_t absolute(Addr a) const;  // of the canonical form
  const PageModel& pages() const { return pages_; }
  const ArenaModel& arenas() const { return arenas_; }
  const PoolModel& pools() const { return pools_; }
  const BuiltinsModel& builtins() const { return builtins_; }
  std::vector<UserRegion> user_regions() const { return builtins_.user_regions(); }

  // Bytes as far as the model knows them (nullopt = unknown), and
  // out-of-band writes by the harness itself (e.g. its integrity pattern in a
  // user region).  Both need a live page; they are not operations.
  std::vector<std::optional<std::uint8_t>> read_bytes(Addr a, std::uint64_t n) const;
  void write_bytes(Addr a, std::span<const std::uint8_t> bytes);
  // The index of the first of `have`'s bytes (which stand at a onwards) that
  // differs from a byte the model knows, or nullopt when none does; unknown
  // bytes match anything.  What read_bytes and a loop would answer, a chunk
  // at a time (the runner checks every block a builtin wrote this way).
  std::optional<std::uint64_t> first_known_difference(Addr a, std::span<const std::uint8_t> have) const;

  // Every violated invariant of every layer, plus the cross-layer ones
  // (user regions disjoint, arena/pool blocks live and owned).
  std::vector<std::string> check_invariants() const;

 private:
  void require_running() const;
  Outcome record(Outcome outcome);  // notes an Exit, forgets freed arenas/pools

  Outcome daemon_clean(daemon::PassKind kind);
  OsModel os_;
  PageModel pages_;
  ArenaModel arenas_;
  PoolModel pools_;
  BuiltinsModel builtins_;
  std::optional<int> exit_code_;
};

}  // namespace mf::model
