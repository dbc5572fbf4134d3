// A fixed run of the page allocator, arena, pool, checked builtins and cleaner that
// prints what it observes without any absolute address (offsets, alignments,
// equalities), so that two builds can be compared line by line.  Built twice:
// against `morph` (as shipped) and against morph_core_cov plus the real os.s
// (MF_SCENARIO_COVERAGE); ctest compares the two transcripts.  The coverage
// build also checks that the assembly's counters moved.

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

#include "morph_abi.h"

#ifdef MF_SCENARIO_COVERAGE
#include "asm_cov_runtime.h"
#endif

namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uint64_t>(p); }

void page_allocator() {
  const std::uint64_t sizes[] = {1, 15, 16, 17, 100, 1024, 1025, 2048, 4096, 8192, 8193, 100000, 0,
                                 0x10000000001ULL};
  std::vector<std::pair<void*, std::uint64_t>> live;
  const std::uint64_t pages_before = mem_page_count();
  for (std::uint64_t n : sizes) {
    void* p = mem_alloc(n);
    std::printf("mem_alloc %llu -> %s align16=%d\n", static_cast<unsigned long long>(n),
                p ? "block" : "0", p ? static_cast<int>(addr(p) % 16 == 0) : -1);
    if (p) {
      std::memset(p, 0xab, n);
      live.emplace_back(p, n);
    }
  }
  std::printf("pages +%llu\n", static_cast<unsigned long long>(mem_page_count() - pages_before));
  for (auto [p, n] : live) mem_free(p, n);
  void* a = mem_alloc(48);
  mem_free(a, 48);
  void* b = mem_alloc(48);
  std::printf("freed block reused: %d\n", a == b);
  mem_free(b, 48);
  std::printf("pages after frees +%llu\n",
              static_cast<unsigned long long>(mem_page_count() - pages_before));
}

void arenas() {
  MfArenaHeader* a = arena_create(100);
  std::printf("arena_create 100 -> %s capacity=%llu usage=%llu start=header+%llu\n", a ? "arena" : "0",
              static_cast<unsigned long long>(arena_get_capacity(a)),
              static_cast<unsigned long long>(arena_get_usage(a)),
              static_cast<unsigned long long>(a->start - addr(a)));
  const std::uint64_t requests[] = {5, 8, 0, 200, 40, 1, 0xfffffffffffffffcULL};
  for (std::uint64_t n : requests) {
    void* p = arena_alloc(a, n);
    std::printf("arena_alloc %llu -> %s%llu usage=%llu\n", static_cast<unsigned long long>(n),
                p ? "start+" : "0 ", p ? static_cast<unsigned long long>(addr(p) - a->start) : 0ULL,
                static_cast<unsigned long long>(arena_get_usage(a)));
  }
  arena_reset(a);
  std::printf("after reset usage=%llu\n", static_cast<unsigned long long>(arena_get_usage(a)));
  std::printf("arena_create 0 -> %s\n", arena_create(0) ? "arena" : "0");
  MfArenaHeader* b = arena_create(16);
  std::printf("ids consecutive: %d\n", b && b->id == a->id + 1);
  arena_destroy(b);
  arena_destroy(a);
}

void pools() {
  MfPoolHeader* p = pool_create(12, 3);
  std::printf("pool_create 12 3 -> %s obj_size=%llu start=header+%llu\n", p ? "pool" : "0",
              static_cast<unsigned long long>(p->obj_size),
              static_cast<unsigned long long>(p->start - addr(p)));
  void* objs[4];
  for (void*& o : objs) {
    o = pool_alloc(p);
    std::printf("pool_alloc -> %s%llu\n", o ? "start+" : "0 ",
                o ? static_cast<unsigned long long>(addr(o) - p->start) : 0ULL);
    if (o) std::memset(o, 0x77, p->obj_size);
  }
  pool_free(p, objs[1]);
  void* again = pool_alloc(p);
  bool zeroed = true;
  for (std::uint64_t i = 0; i < p->obj_size; ++i) zeroed = zeroed && static_cast<char*>(again)[i] == 0;
  std::printf("reuse LIFO: %d zeroed: %d\n", again == objs[1], zeroed);
  MfPoolHeader* big = pool_create(2000, 4);  // zeroing takes the rep stosb path
  void* o = pool_alloc(big);
  std::printf("pool_create 2000 4 -> %s first=start+%llu\n", big ? "pool" : "0",
              static_cast<unsigned long long>(addr(o) - big->start));
  std::printf("pool_create 4 1 -> %s\n", pool_create(4, 1) ? "pool" : "0");
  pool_destroy(big);
  pool_destroy(p);
}

void builtins() {
  std::uint8_t buf[64];
  for (int i = 0; i < 64; ++i) buf[i] = static_cast<std::uint8_t>(i);
  __mf_poke_i64(buf + 3, 0x1122334455667788LL);
  std::printf("load_i64 %llx load_byte %llu\n",
              static_cast<unsigned long long>(__mf_load_i64(buf + 3)),
              static_cast<unsigned long long>(__mf_load_byte(buf + 4)));
  __mf_poke_byte(buf, 0x1ff);
  __mf_memcpy(buf + 8, buf, 20);   // overlapping, forward
  __mf_memcpy(buf, buf + 5, 30);   // overlapping, backward
  __mf_memcpy(buf, buf, 0);
  unsigned sum = 0;
  for (int i = 0; i < 64; ++i) sum = sum * 31 + buf[i];
  std::printf("memcpy checksum %u\n", sum);
  void* m = __mf_mem_alloc(24);
  std::printf("__mf_mem_alloc 24 -> %s\n", m ? "block" : "0");
  __mf_mem_free(m, 24);
}

void write_file(const std::string& path, const std::string& text) {
  if (FILE* f = std::fopen(path.c_str(), "w")) {
    std::fputs(text.c_str(), f);
    std::fclose(f);
  }
}

// The cleaner on a directory of its own (never the default one, where a
// real runtime's files may be), with a fixed clock margin and a fixed
// meminfo text, so both builds print the same counts.
void cleaner() {
  char dir_template[] = "/tmp/mf_core_scenario_XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (!dir) return;
  const std::string d = dir;
  const long long now = static_cast<long long>(std::time(nullptr));
  write_file(d + "/snapshot_old", std::to_string(now - 1000) + "\n");
  write_file(d + "/snapshot_fresh", std::to_string(now));
  write_file(d + "/snapshot_junk", "12x");
  write_file(d + "/sandbox_0", std::to_string(now - 1000));
  write_file(d + "/meminfo", "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\n");
  daemon_monitor_dir = dir;
  daemon_log_fd = -1;
  const std::string meminfo = d + "/meminfo";
  daemon_meminfo_path = meminfo.c_str();
  std::printf("daemon_clean_snapshots -> %lld\n", static_cast<long long>(daemon_clean_snapshots()));
  std::printf("daemon_clean_sandboxes -> %lld\n", static_cast<long long>(daemon_clean_sandboxes()));
  std::printf("daemon_monitor_memory -> %lld\n", static_cast<long long>(daemon_monitor_memory()));
  const std::string missing = d + "/missing";
  daemon_monitor_dir = missing.c_str();
  std::printf("daemon_start on a missing directory -> %lld\n", static_cast<long long>(daemon_start()));
  for (const char* name : {"snapshot_fresh", "snapshot_junk", "sandbox_0", "meminfo"})
    std::remove((d + "/" + name).c_str());
  rmdir(dir);
}

#ifdef MF_SCENARIO_COVERAGE
// Every core file with code the scenario runs must show counters hit.
int check_coverage() {
  int failures = 0;
  for (const char* name : {"alloc.s", "arena.s", "pool.s", "builtins.s", "daemon_cleaner.s"}) {
    const mf_asm_cov_file* f = mf_asm_cov_find_file(name);
    std::size_t hit = 0;
    for (std::uint64_t k = 0; f && k < f->count; ++k) hit += f->counters[k] != 0;
    std::fprintf(stderr, "coverage %s: %zu of %llu counters hit\n", name, hit,
                 f ? static_cast<unsigned long long>(f->count) : 0ULL);
    if (!f || hit == 0) ++failures;
  }
  std::fprintf(stderr, "coverage total: %zu of %zu counters hit\n", mf_asm_cov_nonzero_count(),
               mf_asm_cov_total_counters());
  return failures;
}
#endif

}  // namespace

int main() {
#ifdef MF_SCENARIO_COVERAGE
  mf_asm_cov_reset();
#endif
  page_allocator();
  arenas();
  pools();
  builtins();
  cleaner();
#ifdef MF_SCENARIO_COVERAGE
  if (check_coverage() != 0) {
    std::fprintf(stderr, "core_scenario: instrumented files without any counter hit\n");
    return 1;
  }
#endif
  return 0;
}
