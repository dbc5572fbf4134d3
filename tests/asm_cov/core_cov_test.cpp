// morph_core_cov, the instrumented core of the real SUT, linked with the real
// os.s: every core file is found at run time with a map that matches, and
// the counters count real calls.  (Behaviour against the shipped library is
// compared by the asm_cov_core_same_transcript test.)

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "asm_cov_runtime.h"
#include "cov_map_lookup.h"
#include "morph_abi.h"

namespace mf::asm_cov {
namespace {

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string base_name(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

std::uint8_t counter(const char* file, std::size_t index) {
  const mf_asm_cov_file* f = mf_asm_cov_find_file(file);
  if (!f || index >= f->count) {
    ADD_FAILURE() << "no counter " << index << " in " << file;
    return 0;
  }
  return f->counters[index];
}

std::size_t label_in(const char* file, const char* label) {
  return test::label_counter(test::load_map(MF_TEST_CORE_MAP_DIR, file), label);
}

TEST(AsmCovCore, EveryCoreFileIsInstrumentedAndFoundAtRunTime) {
  // A static library contributes only the members the program references;
  // nothing else here calls the daemon, so take an address to pull it in.
  volatile auto keep_daemon = &daemon_monitor_memory;
  ASSERT_NE(keep_daemon, nullptr);
  std::set<std::string> expected;
  for (const std::string& path : split_list(MF_TEST_CORE_SOURCES)) expected.insert(base_name(path));
  EXPECT_EQ(expected.count("os.s"), 0u);
  std::set<std::string> found;
  for (std::size_t i = 0; i < mf_asm_cov_file_count(); ++i) {
    const mf_asm_cov_file* f = mf_asm_cov_file_at(i);
    found.insert(f->name);
    const CoverageMap map = test::load_map(MF_TEST_CORE_MAP_DIR, f->name);
    EXPECT_EQ(f->count, map.entries.size()) << f->name;
    EXPECT_EQ(f->name_hash, map.hash) << f->name;
  }
  EXPECT_EQ(found, expected);
}

TEST(AsmCovCore, InstrumentedCopiesKeepSourceLineNumbers) {
  for (const std::string& path : split_list(MF_TEST_CORE_SOURCES)) {
    SCOPED_TRACE(path);
    const std::string name = base_name(path);
    const std::string copy = test::read_text_file(std::string(MF_TEST_CORE_MAP_DIR) + "/" + name);
    for (const std::string& problem : test::line_marker_mismatches(test::read_text_file(path), copy))
      ADD_FAILURE() << problem;
  }
}

TEST(AsmCovCore, EntryCountersCountCalls) {
  const std::size_t alloc_entry = label_in("alloc.s", "mem_alloc");
  const std::size_t free_entry = label_in("alloc.s", "mem_free");
  mf_asm_cov_reset();
  std::vector<void*> blocks;
  for (int i = 0; i < 10; ++i) blocks.push_back(mem_alloc(32));
  EXPECT_EQ(counter("alloc.s", alloc_entry), 10);
  EXPECT_EQ(counter("alloc.s", free_entry), 0);
  for (void* b : blocks) {
    ASSERT_NE(b, nullptr);
    mem_free(b, 32);
  }
  EXPECT_EQ(counter("alloc.s", free_entry), 10);

  const std::size_t create_entry = label_in("arena.s", "arena_create");
  const std::size_t create_fail = label_in("arena.s", ".Lcreate_fail");
  mf_asm_cov_reset();
  MfArenaHeader* a = arena_create(64);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(arena_create(0), nullptr);
  EXPECT_EQ(counter("arena.s", create_entry), 2);
  EXPECT_EQ(counter("arena.s", create_fail), 1);
  EXPECT_NE(arena_alloc(a, 8), nullptr);
  arena_destroy(a);
  EXPECT_EQ(counter("alloc.s", free_entry), 1);  // arena_destroy tail-calls mem_free

  mf_asm_cov_reset();
  MfPoolHeader* p = pool_create(16, 4);
  ASSERT_NE(p, nullptr);
  void* o = pool_alloc(p);
  pool_free(p, o);
  EXPECT_EQ(pool_alloc(p), o);
  pool_destroy(p);
  EXPECT_EQ(counter("pool.s", label_in("pool.s", "pool_alloc")), 2);
  EXPECT_EQ(counter("pool.s", label_in("pool.s", "pool_free")), 1);
}

TEST(AsmCovCore, SomeButNotAllCountersAreHit) {
  mf_asm_cov_reset();
  void* m = __mf_mem_alloc(100);
  ASSERT_NE(m, nullptr);
  __mf_poke_i64(m, 5);
  EXPECT_EQ(__mf_load_i64(m), 5);
  __mf_mem_free(m, 100);
  const std::size_t hit = mf_asm_cov_nonzero_count();
  EXPECT_GT(hit, 5u);
  EXPECT_LT(hit, mf_asm_cov_total_counters());  // the panic paths never ran
  EXPECT_EQ(counter("panic.s", label_in("panic.s", "__mf_panic")), 0);
}

}  // namespace
}  // namespace mf::asm_cov
