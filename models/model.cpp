#include "model.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "daemon/cleaner_model.h"
#include "daemon/meminfo_model.h"
#include "layout.h"

namespace mf::model {

Model::Model() : pages_(os_), arenas_(pages_), pools_(pages_), builtins_(os_, pages_, arenas_, pools_) {}

void Model::require_running() const {
  if (exit_code_) throw std::logic_error("the modelled process has exited; no further operations");
}

Outcome Model::record(Outcome outcome) {
  if (outcome.is_exit()) exit_code_ = outcome.exit_code;
  if (outcome.freed_block) {
    // A plain mem_free may release an arena's or a pool's block: that arena
    // or pool is gone, whatever the caller meant.
    const BlockRecord& block = pages_.block(*outcome.freed_block);
    if (block.owner == BlockOwner::Arena) arenas_.forget(block.owner_handle);
    if (block.owner == BlockOwner::Pool) pools_.forget(block.owner_handle);
  }
  return outcome;
}

Addr Model::canonical(Addr a) const {
  switch (a.base) {
    case Base::Arena:
      return arenas_.header_addr(a.handle).plus(a.offset);
    case Base::Pool:
      return pools_.header_addr(a.handle).plus(a.offset);
    default:
      return pages_.canonical(a);
  }
}

std::uint64_t Model::absolute(Addr a) const { return pages_.absolute(canonical(a)); }

void Model::bind_page_base(PageHandle page, std::uint64_t base) { pages_.bind_page_base(page, base); }

// ---- page allocator ----

Outcome Model::mem_alloc(std::uint64_t n) {
  require_running();
  return record(pages_.mem_alloc(n));
}

Outcome Model::mem_free(Addr p, std::uint64_t n) {
  require_running();
  return record(pages_.mem_free(canonical(p), n));
}

Outcome Model::daemon_monitor_memory() {
  require_running();
  daemon::MeminfoInput input;
  input.path = kMeminfoPath;
  // A read failure is met when the file goes on past the byte it starts at
  // (below DAEMON_MEMINFO_MAX: the monitor reads at least that far).
  const bool unreadable = os_.meminfo_failure() == OsRules::FileFailure::open ||
                          (os_.meminfo_failure() == OsRules::FileFailure::read &&
                           os_.meminfo_read_fails_at() < os_.meminfo().size());
  if (!unreadable) input.text = os_.meminfo();
  input.threshold = os_.cleaner().mem_threshold;
  const daemon::MeminfoOutcome monitored = daemon::monitor_memory(input);
  Outcome out = Outcome::value(static_cast<std::uint64_t>(monitored.result));
  for (const std::string& line : monitored.log) out.log += line;
  return out;
}

Outcome Model::daemon_clean_snapshots() { return daemon_clean(daemon::PassKind::snapshots); }
Outcome Model::daemon_clean_sandboxes() { return daemon_clean(daemon::PassKind::sandboxes); }

Outcome Model::daemon_clean(daemon::PassKind kind) {
  require_running();
  daemon::CleanerWorld& world = os_.cleaner();
  daemon::CleanerEnvironment env;
  env.now = os_.time();
  env.uid = daemon::CleanerWorld::kOwnUid;
  env.pid = daemon::CleanerWorld::kOwnPid;
  env.snapshot_ttl = world.snapshot_ttl;
  env.sandbox_ttl = world.sandbox_ttl;
  env.pid_max = world.pid_max;
  env.processes = world.processes;
  env.kill_fails = world.kill_fails;
  // The cleaner refuses a symlink in the directory's place: only a
  // directory opens without following it.
  daemon::MonitorDirectory dir = world.dir;
  dir.opens = world.dir.opens && !world.dir_is_symlink;
  const daemon::PassOutcome pass = daemon::clean_pass(kind, dir, env);
  for (const std::string& name : pass.unlinked) world.erase(name);
  Outcome out = Outcome::value(static_cast<std::uint64_t>(pass.result));
  // A negative daemon_log_fd means no log (docs/spec.md, "Configuration").
  if (world.log_fd >= 0) {
    for (const std::string& line : pass.log) out.log += line;
  }
  out.signals = pass.signalled;
  return out;
}

Outcome Model::mem_trim() {
  require_running();
  return record(pages_.mem_trim());
}

Outcome Model::mem_uaf_link(Addr block, Addr value) {
  require_running();
  return record(pages_.mem_uaf_link(canonical(block), canonical(value)));
}

Outcome Model::mem_page_list_head() {
  require_running();
  return pages_.page_list_head();
}

Outcome Model::mem_page_count() {
  require_running();
  return pages_.page_count();
}

// ---- arena ----

Outcome Model::arena_create(std::uint64_t size) {
  require_running();
  return record(arenas_.create(size));
}

Outcome Model::arena_alloc(Addr arena, std::uint64_t n) {
  require_running();
  return record(arenas_.alloc(canonical(arena), n));
}

Outcome Model::arena_reset(Addr arena) {
  require_running();
  return record(arenas_.reset(canonical(arena)));
}

Outcome Model::arena_get_usage(Addr arena) {
  require_running();
  return record(arenas_.usage(canonical(arena)));
}

Outcome Model::arena_get_capacity(Addr arena) {
  require_running();
  return record(arenas_.capacity(canonical(arena)));
}

Outcome Model::arena_destroy(Addr arena) {
  require_running();
  return record(arenas_.destroy(canonical(arena)));
}

// ---- pool ----

Outcome Model::pool_create(std::uint64_t obj_size, std::uint64_t capacity) {
  require_running();
  return record(pools_.create(obj_size, capacity));
}

Outcome Model::pool_alloc(Addr pool) {
  require_running();
  return record(pools_.alloc(canonical(pool)));
}

Outcome Model::pool_free(Addr pool, Addr obj) {
  require_running();
  return record(pools_.free(canonical(pool), canonical(obj)));
}

Outcome Model::pool_destroy(Addr pool) {
  require_running();
  return record(pools_.destroy(canonical(pool)));
}

Outcome Model::pool_uaf_link(Addr pool, Addr obj, Addr value) {
  require_running();
  return record(pools_.uaf_link(canonical(pool), canonical(obj), canonical(value)));
}

// ---- builtins ----

Outcome Model::load_i64(Addr a) {
  require_running();
  return record(builtins_.load_i64(canonical(a)));
}

Outcome Model::poke_i64(Addr a, std::uint64_t value) {
  require_running();
  return record(builtins_.poke_i64(canonical(a), value));
}

Outcome Model::load_byte(Addr a) {
  require_running();
  return record(builtins_.load_byte(canonical(a)));
}

Outcome Model::poke_byte(Addr a, std::uint64_t value) {
  require_running();
  return record(builtins_.poke_byte(canonical(a), value));
}

Outcome Model::memcpy(Addr dst, Addr src, std::uint64_t n) {
  require_running();
  return record(builtins_.memcpy(canonical(dst), canonical(src), n));
}

Outcome Model::init() {
  require_running();
  return record(builtins_.init());
}

// ---- out-of-band memory access ----

namespace {

void require_live_range(const PageModel& pages, Addr c, std::uint64_t n) {
  if (!pages.readable(c, n)) throw std::invalid_argument(to_string(c) + " is not inside a live page");
}

}  // namespace

std::vector<std::optional<std::uint8_t>> Model::read_bytes(Addr a, std::uint64_t n) const {
  const Addr c = canonical(a);
  require_live_range(pages_, c, n);
  std::vector<std::optional<std::uint8_t>> bytes(n);
  for (std::uint64_t i = 0; i < n; ++i) bytes[i] = pages_.memory(c.handle).read(c.offset + i);
  return bytes;
}

std::optional<std::uint64_t> Model::first_known_difference(Addr a, std::span<const std::uint8_t> have) const {
  const Addr c = canonical(a);
  require_live_range(pages_, c, have.size());
  return pages_.memory(c.handle).first_known_difference(c.offset, have);
}

void Model::write_bytes(Addr a, std::span<const std::uint8_t> bytes) {
  const Addr c = canonical(a);
  require_live_range(pages_, c, bytes.size());
  pages_.memory(c.handle).write(c.offset, bytes);
}

// ---- invariants ----

std::vector<std::string> Model::check_invariants() const {
  std::vector<std::string> bad = pages_.check_invariants();
  for (std::string& s : arenas_.check_invariants()) bad.push_back(std::move(s));
  for (std::string& s : pools_.check_invariants()) bad.push_back(std::move(s));

  // Everything mapped is a live, kept or leaked page, the page map, or the
  // alternate stack.
  std::uint64_t expected = (builtins_.initialised() ? layout::ALTSTACK_SIZE : 0) + pages_.page_map_bytes();
  for (PageHandle h = 0; h < pages_.page_total(); ++h) {
    const PageRecord& page = pages_.page(h);
    if (page.live || page.leaked || page.kept) expected += page.size;
  }
  if (expected != os_.mapped_bytes())
    bad.push_back("the OS's mapped bytes are not the pages', the page map's and the alternate stack's");

  // No two user regions share a byte, and each lies in its live page.
  std::vector<UserRegion> regions = builtins_.user_regions();
  std::sort(regions.begin(), regions.end(), [](const UserRegion& x, const UserRegion& y) {
    return std::tie(x.start.handle, x.start.offset) < std::tie(y.start.handle, y.start.offset);
  });
  for (std::size_t i = 0; i < regions.size(); ++i) {
    if (!pages_.readable(regions[i].start, regions[i].length))
      bad.push_back("a user region at " + to_string(regions[i].start) + " leaves its live page");
    if (i > 0 && regions[i - 1].start.handle == regions[i].start.handle &&
        regions[i - 1].start.offset + regions[i - 1].length > regions[i].start.offset)
      bad.push_back("user regions at " + to_string(regions[i - 1].start) + " and " + to_string(regions[i].start) +
                    " overlap");
  }
  return bad;
}

}  // namespace mf::model
