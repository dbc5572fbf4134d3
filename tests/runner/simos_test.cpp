// The simulated OS (harness/simos): deterministic real mappings with guard
// pages, the rules (OsRules) it shares with the model's OsModel, the clock, stderr
// capture and exits.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "os_model.h"
#include "sim_os.h"

namespace {

using mf::simos::AddressSpace;
using mf::simos::SimOs;

constexpr std::uint64_t kPage = 4096;

SimOs& fresh_os(std::uint64_t limit = mf::model::kDefaultMemoryLimit) {
  SimOs& os = SimOs::instance();
  os.begin_run(limit);
  return os;
}

TEST(SimOs, MappingsAreZeroedUsableAndFollowedByAGuardPage) {
  SimOs& os = fresh_os();
  const long a = os.mmap(10000);
  ASSERT_GT(a, 0);
  auto* p = reinterpret_cast<unsigned char*>(a);
  for (int i = 0; i < 12288; ++i) ASSERT_EQ(p[i], 0) << i;  // rounded up to whole pages
  std::memset(p, 0xAB, 12288);
  EXPECT_TRUE(os.is_live_mapping(static_cast<std::uint64_t>(a), 12288));
  EXPECT_FALSE(os.is_live_mapping(static_cast<std::uint64_t>(a), 12289));  // the guard page
  EXPECT_DEATH(p[12288] = 1, "");
}

// The OS shim's promise (docs/spec.md): a length that is a multiple of
// SLAB_SIZE gets a SLAB_SIZE-aligned mapping, whatever came before it; the
// gap it skips stays free for smaller mappings.
TEST(SimOs, AMultipleOf64KibIsAlignedTo64Kib) {
  SimOs& os = fresh_os();
  const auto first = static_cast<std::uint64_t>(os.mmap(kPage));
  const auto slab = static_cast<std::uint64_t>(os.mmap(AddressSpace::kSlabAlign));
  EXPECT_EQ(slab % AddressSpace::kSlabAlign, 0u);
  EXPECT_GT(slab, first);
  const auto two = static_cast<std::uint64_t>(os.mmap(2 * AddressSpace::kSlabAlign));
  EXPECT_EQ(two % AddressSpace::kSlabAlign, 0u);
  const auto small = static_cast<std::uint64_t>(os.mmap(kPage));
  EXPECT_EQ(small, first + 2 * kPage) << "the gap before the aligned slab is used";
  std::memset(reinterpret_cast<void*>(slab), 1, AddressSpace::kSlabAlign);
}

TEST(SimOs, AddressesRepeatForTheSameSequenceOfCalls) {
  std::vector<long> first;
  std::vector<long> second;
  for (std::vector<long>* out : {&first, &second}) {
    SimOs& os = fresh_os();
    const long a = os.mmap(65536);
    const long b = os.mmap(8192);
    os.munmap(static_cast<std::uint64_t>(a), 65536);
    const long c = os.mmap(4096);  // first fit: reuses a's range
    *out = {a, b, c};
  }
  EXPECT_EQ(first, second);
  EXPECT_EQ(first[2], first[0]);
  EXPECT_EQ(static_cast<std::uint64_t>(first[1]), static_cast<std::uint64_t>(first[0]) + 65536 + kPage);
}

// An unmapped mapping faults at once, in its run and the next, whether it
// got guard markers (up to AddressSpace::kGuardMarkerUnmapLimit) or
// mprotect (above), and reads as zeros when mapped again, alone or inside a
// larger mapping.
TEST(SimOs, UnmappedMemoryFaultsAndComesBackZeroed) {
  for (const std::uint64_t len : {kPage, 16 * kPage, AddressSpace::kGuardMarkerUnmapLimit,
                                  AddressSpace::kGuardMarkerUnmapLimit + kPage}) {
    SimOs& os = fresh_os();
    const long a = os.mmap(len);
    std::memset(reinterpret_cast<void*>(a), 0x5A, len);
    EXPECT_EQ(os.munmap(static_cast<std::uint64_t>(a), len), 0);
    EXPECT_FALSE(os.is_live_mapping(static_cast<std::uint64_t>(a), 1));
    EXPECT_DEATH(*reinterpret_cast<volatile char*>(a) = 1, "") << len;
    EXPECT_DEATH(*reinterpret_cast<volatile char*>(a + static_cast<long>(len - 1)) = 1, "") << len;
    const long again = os.mmap(len);
    ASSERT_EQ(again, a) << len;
    const auto* p = reinterpret_cast<const unsigned char*>(again);
    for (std::uint64_t i = 0; i < len; i += 512) ASSERT_EQ(p[i], 0) << len << " +" << i;
    std::memset(reinterpret_cast<void*>(again), 0x6B, len);
    EXPECT_EQ(os.munmap(static_cast<std::uint64_t>(again), len), 0);
    os.begin_run(mf::model::kDefaultMemoryLimit);
    EXPECT_DEATH(*reinterpret_cast<volatile char*>(a) = 1, "") << len << ", next run";
    const long wider = os.mmap(2 * len + kPage);
    ASSERT_EQ(wider, a) << len;
    const auto* q = reinterpret_cast<const unsigned char*>(wider);
    for (std::uint64_t i = 0; i < 2 * len + kPage; i += 512) ASSERT_EQ(q[i], 0) << len << " +" << i;
  }
}

// Pages are kept between runs (address_space.h): a range an earlier run
// wrote must read as zeros when mapped again, for small ranges (memset),
// larger ones (memset of the resident pages) and huge ones (madvise), also
// when the new mapping straddles old ones and their guard pages; and the
// guard page of the new mapping must fault even where an old mapping was.
TEST(SimOs, AnEarlierRunsMemoryComesBackZeroedAndGuarded) {
  for (const std::uint64_t len : {kPage, 16 * kPage, 64 * kPage, AddressSpace::kResidencyScanLimit + kPage}) {
    SimOs& os = fresh_os();
    const long a = os.mmap(len);
    const long b = os.mmap(len);
    std::memset(reinterpret_cast<void*>(a), 0x11, len);
    std::memset(reinterpret_cast<void*>(b), 0x22, kPage);  // partly written
    std::memset(reinterpret_cast<void*>(b + static_cast<long>(len - kPage)), 0x33, kPage);
    os.begin_run(mf::model::kDefaultMemoryLimit);
    const long small = os.mmap(kPage);
    ASSERT_EQ(small, a);
    EXPECT_EQ(*reinterpret_cast<const unsigned char*>(small), 0) << len;
    if (len > kPage) EXPECT_DEATH(*reinterpret_cast<volatile char*>(a + static_cast<long>(kPage)) = 1, "") << len;
    // Over the rest of a, a's old guard page and b.
    const long big = os.mmap(2 * len);
    // Right after small's guard page, or at the next 64 KiB for a multiple of 64 KiB.
    const std::uint64_t align = (2 * len) % AddressSpace::kSlabAlign == 0 ? AddressSpace::kSlabAlign : kPage;
    const std::uint64_t after_small = static_cast<std::uint64_t>(a) + 2 * kPage;
    ASSERT_EQ(static_cast<std::uint64_t>(big), (after_small + align - 1) / align * align);
    const auto* p = reinterpret_cast<const unsigned char*>(big);
    for (std::uint64_t i = 0; i < 2 * len; i += 512) ASSERT_EQ(p[i], 0) << len << " +" << i;
    ASSERT_EQ(p[2 * len - 1], 0) << len;
    EXPECT_DEATH(*reinterpret_cast<volatile char*>(big + static_cast<long>(2 * len)) = 1, "") << len;  // its guard
  }
}

// The end of a run gives back the run's huge mappings, and only them: the
// memory that may hold data merges neighbouring pieces, here a small mapping,
// the guard page it placed on an unmapped page, and a huge mapping, and
// giving back that whole piece made the next run, which maps its small
// mappings at the same addresses, fault them in again page by page
// (address_space.cpp, release_all).
TEST(SimOs, AHugeMappingIsGivenBackWithoutTheSmallOnesNextToIt) {
  SimOs& os = fresh_os();
  const long gone = os.mmap(2 * kPage);
  std::memset(reinterpret_cast<void*>(gone), 0x44, 2 * kPage);
  ASSERT_EQ(os.munmap(static_cast<std::uint64_t>(gone), 2 * kPage), 0);
  const long small = os.mmap(kPage);  // its guard page is gone's second page
  ASSERT_EQ(small, gone);
  std::memset(reinterpret_cast<void*>(small), 0x55, kPage);
  const long huge = os.mmap(AddressSpace::kResidencyScanLimit + kPage);
  ASSERT_EQ(huge, gone + static_cast<long>(2 * kPage));
  std::memset(reinterpret_cast<void*>(huge), 0x66, 4 * kPage);
  os.begin_run(mf::model::kDefaultMemoryLimit);
  unsigned char resident[4] = {};
  ASSERT_EQ(mincore(reinterpret_cast<void*>(small), kPage, resident), 0);
  EXPECT_EQ(resident[0] & 1, 1) << "the small mapping's page was given back";
  ASSERT_EQ(mincore(reinterpret_cast<void*>(huge), 4 * kPage, resident), 0);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(resident[i] & 1, 0) << "huge page " << i;
  // Kept, and zero all the same when mapped again.
  ASSERT_EQ(os.mmap(4 * kPage), small);
  const auto* p = reinterpret_cast<const unsigned char*>(small);
  for (std::uint64_t i = 0; i < 4 * kPage; i += 256) ASSERT_EQ(p[i], 0) << i;
}

// The end of a run zeroes what the run left written (address_space.cpp,
// zero_readable_dirty): pieces far apart (one mincore each) and near each
// other (one mincore for both, one a single page), keeping their pages
// resident; and a mapping over memory the same run wrote and unmapped is
// zeroed when it is made (zero_pages: here a piece between kMemsetLimit and
// kResidencyScanLimit, which only mincore's resident pages are written for).
TEST(SimOs, WrittenMemoryIsZeroedAtTheEndOfTheRunOrWhenMappedAgainInIt) {
  const std::uint64_t huge_len = AddressSpace::kResidencyScanSpan + kPage;
  auto map_all = [](SimOs& os, std::uint64_t huge) {
    const long a = os.mmap(16 * kPage);
    const long h = os.mmap(huge);
    const long c = os.mmap(3 * kPage);
    const long d = os.mmap(kPage);
    return std::vector<long>{a, h, c, d};
  };
  SimOs& os = fresh_os();
  const std::vector<long> first = map_all(os, huge_len);
  ASSERT_EQ(first[1], first[0] + static_cast<long>(17 * kPage));
  ASSERT_GT(first[2] - first[0], static_cast<long>(AddressSpace::kResidencyScanSpan));
  ASSERT_EQ(first[3], first[2] + static_cast<long>(4 * kPage));
  std::memset(reinterpret_cast<void*>(first[0]), 0x11, 16 * kPage);
  std::memset(reinterpret_cast<void*>(first[1]), 0x12, kPage);
  std::memset(reinterpret_cast<void*>(first[2]), 0x22, 3 * kPage);
  std::memset(reinterpret_cast<void*>(first[3]), 0x33, kPage);
  os.begin_run(mf::model::kDefaultMemoryLimit);
  unsigned char resident[16] = {};
  ASSERT_EQ(mincore(reinterpret_cast<void*>(first[0]), 16 * kPage, resident), 0);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(resident[i] & 1, 1) << "page " << i << " was given back";
  const std::vector<long> second = map_all(os, huge_len);
  ASSERT_EQ(second, first);
  const std::uint64_t lens[] = {16 * kPage, kPage, 3 * kPage, kPage};
  for (std::size_t m = 0; m < second.size(); ++m) {
    const auto* p = reinterpret_cast<const unsigned char*>(second[m]);
    for (std::uint64_t i = 0; i < lens[m]; i += 256) ASSERT_EQ(p[i], 0) << "mapping " << m << " +" << i;
  }

  // The same run: the huge mapping, written here and there, unmapped, and a
  // smaller one over its start.
  const auto h = static_cast<std::uint64_t>(second[1]);
  for (std::uint64_t i = 0; i < 63 * kPage; i += 3 * kPage) reinterpret_cast<unsigned char*>(h)[i] = 0x44;
  ASSERT_EQ(os.munmap(h, huge_len), 0);
  ASSERT_EQ(static_cast<std::uint64_t>(os.mmap(63 * kPage)), h);  // not a multiple of 64 KiB: not moved to align
  for (std::uint64_t i = 0; i < 63 * kPage; i += 256) ASSERT_EQ(reinterpret_cast<const unsigned char*>(h)[i], 0) << i;
}

TEST(SimOs, MunmapOfSomethingElseIsAnAnomalyAndChangesNothing) {
  SimOs& os = fresh_os();
  const long a = os.mmap(2 * kPage);
  EXPECT_EQ(os.munmap(static_cast<std::uint64_t>(a) + kPage, kPage), -EINVAL);
  EXPECT_NE(os.anomaly().find("does not name one whole mapping"), std::string_view::npos);
  EXPECT_TRUE(os.is_live_mapping(static_cast<std::uint64_t>(a), 2 * kPage));
  EXPECT_EQ(os.rules().mapped_bytes(), 2 * kPage);
}

TEST(SimOs, InjectedFailuresHitTheNthCallFromNow) {
  SimOs& os = fresh_os();
  os.rules().fail_mmap(2);
  EXPECT_GT(os.mmap(kPage), 0);
  EXPECT_EQ(os.mmap(kPage), -12);
  EXPECT_GT(os.mmap(kPage), 0);
  os.rules().fail_munmap(1);
  const long a = os.mmap(kPage);
  EXPECT_EQ(os.munmap(static_cast<std::uint64_t>(a), kPage), -12);
  EXPECT_TRUE(os.is_live_mapping(static_cast<std::uint64_t>(a), kPage));  // a failed munmap keeps it
  EXPECT_EQ(os.munmap(static_cast<std::uint64_t>(a), kPage), 0);
  EXPECT_EQ(os.rules().mmap_calls(), 4u);
  EXPECT_EQ(os.rules().munmap_calls(), 2u);
}

TEST(SimOs, TheMemoryLimitCountsRequestedBytes) {
  SimOs& os = fresh_os(3 * kPage);
  EXPECT_GT(os.mmap(kPage + 1), 0);     // counts 4097, maps two pages
  EXPECT_GT(os.mmap(2 * kPage - 1), 0);  // exactly at the limit
  EXPECT_EQ(os.mmap(1), -12);
  EXPECT_EQ(os.rules().mapped_bytes(), 3 * kPage);
}

TEST(SimOs, BeginRunForgetsEverything) {
  SimOs& os = fresh_os();
  const long a = os.mmap(kPage);
  os.rules().set_time(99);
  os.rules().fail_mmap(1);
  os.write(2, "x", 1);
  os.begin_run(mf::model::kDefaultMemoryLimit);
  EXPECT_FALSE(os.is_live_mapping(static_cast<std::uint64_t>(a), 1));
  EXPECT_EQ(os.time(), 0);
  EXPECT_EQ(os.captured_stderr(), "");
  EXPECT_EQ(os.mmap(kPage), a);  // the pending failure is gone too
}

TEST(SimOs, CapturesStderrAndSleepsByMovingTheClock) {
  SimOs& os = fresh_os();
  EXPECT_EQ(os.write(2, "morph: x\n", 9), 9);
  EXPECT_EQ(os.write(1, "out", 3), 3);
  EXPECT_EQ(os.captured_stderr(), "morph: x\n");
  EXPECT_EQ(os.write(7, "?", 1), -EBADF);
  EXPECT_FALSE(os.anomaly().empty());
  const timespec two_seconds{2, 0};
  EXPECT_EQ(os.nanosleep(&two_seconds), 0);
  EXPECT_EQ(os.time(), 2);
}

TEST(SimOs, KeepsOneAlternateStackPerRunAndReportsIt) {
  SimOs& os = fresh_os();
  stack_t old{};
  old.ss_flags = 0;
  ASSERT_EQ(os.sigaltstack(nullptr, &old), 0);
  EXPECT_TRUE(old.ss_flags & SS_DISABLE);  // a run starts without one

  stack_t mine{};
  mine.ss_sp = reinterpret_cast<void*>(0x10000);
  mine.ss_size = 65536;
  ASSERT_EQ(os.sigaltstack(&mine, &old), 0);
  EXPECT_TRUE(old.ss_flags & SS_DISABLE);
  stack_t now{};
  ASSERT_EQ(os.sigaltstack(nullptr, &now), 0);
  EXPECT_EQ(now.ss_sp, mine.ss_sp);
  EXPECT_EQ(now.ss_size, mine.ss_size);
  EXPECT_EQ(now.ss_flags, 0);

  stack_t tiny = mine;
  tiny.ss_size = 1024;
  EXPECT_EQ(os.sigaltstack(&tiny, &old), -ENOMEM);
  stack_t bad_flags = mine;
  bad_flags.ss_flags = 0x40;
  EXPECT_EQ(os.sigaltstack(&bad_flags, nullptr), -EINVAL);
  ASSERT_EQ(os.sigaltstack(nullptr, &now), 0);
  EXPECT_EQ(now.ss_size, mine.ss_size);  // refused calls change nothing

  os.begin_run(mf::model::kDefaultMemoryLimit);
  ASSERT_EQ(os.sigaltstack(nullptr, &now), 0);
  EXPECT_TRUE(now.ss_flags & SS_DISABLE);
}

int g_exit_seen = -1;
jmp_buf g_back;
[[noreturn]] void remember_exit(int code) {
  g_exit_seen = code;
  longjmp(g_back, 1);
}

TEST(SimOs, ExitGoesToTheHandlerOrEndsTheProcess) {
  SimOs& os = fresh_os();
  os.set_exit_handler(&remember_exit);
  if (setjmp(g_back) == 0) os.exit(111);
  EXPECT_EQ(g_exit_seen, 111);
  os.set_exit_handler(nullptr);
  EXPECT_EXIT(
      {
        os.write(2, "morph: bye\n", 11);
        os.exit(110);
      },
      testing::ExitedWithCode(110), "morph: bye");
}

// The simulated OS must refuse exactly the calls the model refuses, or the
// runner would report the model's prediction as the SUT's fault.  Both
// decide with an OsRules; this checks that SimOs asks its rules for every
// call and reports every success back to them.
TEST(SimOs, RefusesExactlyTheCallsTheModelRefuses) {
  std::mt19937_64 rng(4);
  for (int round = 0; round < 200; ++round) {
    const std::uint64_t limit = (rng() % 64 + 1) * kPage;
    SimOs& os = fresh_os(limit);
    mf::model::OsModel model;
    model.set_memory_limit(limit);
    std::vector<std::pair<long, std::uint64_t>> mapped;  // address, length
    for (int step = 0; step < 60; ++step) {
      switch (rng() % 5) {
        case 0: {
          const std::uint64_t n = rng() % 4 + 1;
          os.rules().fail_mmap(n);
          model.fail_mmap(n);
          break;
        }
        case 1: {
          const std::uint64_t n = rng() % 3 + 1;
          os.rules().fail_munmap(n);
          model.fail_munmap(n);
          break;
        }
        case 2:
        case 3: {
          const std::uint64_t len = rng() % 3 == 0 ? ~std::uint64_t{0} - rng() % 8 : (rng() % 20 + 1) * 1000;
          const long address = os.mmap(len);
          const bool theirs = model.mmap(len).has_value();
          ASSERT_EQ(address >= 0, theirs) << "round " << round << " step " << step << " len " << len;
          if (address < 0) ASSERT_EQ(address, -mf::model::kEnomem);
          if (address >= 0) mapped.emplace_back(address, len);
          break;
        }
        default:
          if (!mapped.empty()) {
            const auto [address, len] = mapped.back();
            const long result = os.munmap(static_cast<std::uint64_t>(address), len);
            ASSERT_EQ(result == 0, model.munmap(len)) << "round " << round << " step " << step;
            if (result == 0) mapped.pop_back();
          }
          break;
      }
      ASSERT_EQ(os.rules().mapped_bytes(), model.mapped_bytes());
      ASSERT_EQ(os.rules().mmap_calls(), model.mmap_calls());
      ASSERT_EQ(os.rules().munmap_calls(), model.munmap_calls());
      ASSERT_TRUE(os.anomaly().empty()) << os.anomaly();
    }
    os.end_run();
  }
}

// The cleaner's directory as sim_files.cpp serves it where docs/spec.md
// states a rule for input a well-behaved kernel never gives: between "."
// and "..", two records whose name has no NUL within the record; a read that
// fails after an odd count of entries ends with the next entry's record cut
// by one byte (then errors), after an even count with an error.  The mode
// bits the contract ignores are set, and opening an entry whose d_type is
// known and not DT_REG is a misuse.
struct Record {
  std::uint16_t reclen;
  std::string name;  // up to its NUL, or the whole room when there is none
  bool terminated;
};

std::vector<Record> records_of(const char* buf, long bytes, long* cut_by) {
  std::vector<Record> out;
  long at = 0;
  *cut_by = 0;
  while (at < bytes) {
    std::uint16_t reclen = 0;
    std::memcpy(&reclen, buf + at + 16, sizeof reclen);
    const char* name = buf + at + 19;
    const std::size_t room = reclen - 19u;
    const std::size_t length = strnlen(name, room);
    out.push_back({reclen, std::string(name, length), length < room});
    if (at + reclen > bytes) *cut_by = at + reclen - bytes;
    at += reclen;
  }
  return out;
}

TEST(SimOs, ServesTheCleanersDirectoryWithTheOddRecordsTheContractNames) {
  SimOs& os = fresh_os();
  mf::model::daemon::CleanerWorld& world = os.rules().cleaner();
  for (const char* name : {"snapshot_a", "snapshot_b"}) {
    mf::model::daemon::Entry entry;
    entry.name = name;
    world.put(entry);
  }
  mf::model::daemon::Entry directory;
  directory.name = "snapshot_d";
  directory.kind = mf::model::daemon::FileKind::directory;
  directory.d_type = mf::model::daemon::DirentType::directory;
  world.put(directory);
  const int dir_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  alignas(8) char buf[4096];

  world.dir.unreadable_after = 1;
  long fd = os.openat(AT_FDCWD, world.dir.path.c_str(), dir_flags);
  ASSERT_GE(fd, 0);
  long bytes = os.getdents64(static_cast<int>(fd), buf, sizeof buf);
  long cut_by = 0;
  std::vector<Record> records = records_of(buf, bytes, &cut_by);
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[0].name, ".");
  EXPECT_FALSE(records[1].terminated);
  EXPECT_FALSE(records[2].terminated);
  EXPECT_EQ(records[3].name, "..");
  EXPECT_EQ(records[4].name, "snapshot_a");
  EXPECT_EQ(records[5].name, "snapshot_b");  // written whole, returned but its last byte
  EXPECT_EQ(cut_by, 1);
  EXPECT_EQ(os.getdents64(static_cast<int>(fd), buf, sizeof buf), -EIO);
  ASSERT_EQ(os.close(static_cast<int>(fd)), 0);

  world.dir.unreadable_after = 2;
  fd = os.openat(AT_FDCWD, world.dir.path.c_str(), dir_flags);
  bytes = os.getdents64(static_cast<int>(fd), buf, sizeof buf);
  records = records_of(buf, bytes, &cut_by);
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[5].name, "snapshot_b");
  EXPECT_EQ(cut_by, 0);
  EXPECT_EQ(os.getdents64(static_cast<int>(fd), buf, sizeof buf), -EIO);

  struct stat st {};
  ASSERT_EQ(os.fstat(static_cast<int>(fd), &st), 0);
  EXPECT_EQ(st.st_mode, S_IFDIR | 0755u);  // 0700 in the world: r-x for group and others added
  const int entry_flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  const long file = os.openat(static_cast<int>(fd), "snapshot_a", entry_flags);
  ASSERT_GE(file, 0);
  ASSERT_EQ(os.fstat(static_cast<int>(file), &st), 0);
  EXPECT_EQ(st.st_mode, S_IFREG | 0755u);
  ASSERT_EQ(os.close(static_cast<int>(file)), 0);
  EXPECT_TRUE(os.anomaly().empty()) << os.anomaly();
  os.openat(static_cast<int>(fd), "snapshot_d", entry_flags);  // listed as DT_DIR
  EXPECT_NE(os.anomaly().find("snapshot_d"), std::string::npos) << os.anomaly();
  os.end_run();
}

// The two other lengths of record docs/spec.md rules on: after a count of
// 3 mod 4 the read fails with a record whose length field says 19 (below
// the least the contract accepts; written whole, its name readable), and a
// directory may end its listing with a record of exactly 20 bytes whose
// one byte of name is its NUL.
TEST(SimOs, ListsARecordOf19BytesAndAnEmptyNameOf20) {
  const int dir_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  alignas(8) char buf[4096];
  auto world_of = [](SimOs& os) -> mf::model::daemon::CleanerWorld& {
    mf::model::daemon::CleanerWorld& world = os.rules().cleaner();
    for (const char* name : {"snapshot_a", "snapshot_b", "snapshot_c", "snapshot_d"}) {
      mf::model::daemon::Entry entry;
      entry.name = name;
      world.put(entry);
    }
    return world;
  };

  SimOs* os = &fresh_os();
  world_of(*os).dir.unreadable_after = 3;
  long fd = os->openat(AT_FDCWD, os->rules().cleaner().dir.path.c_str(), dir_flags);
  ASSERT_GE(fd, 0);
  const long bytes = os->getdents64(static_cast<int>(fd), buf, sizeof buf);
  long at = 0;
  for (int i = 0; i < 7; ++i) {  // ".", the two without a NUL, "..", snapshot_a to _c
    std::uint16_t reclen = 0;
    std::memcpy(&reclen, buf + at + 16, sizeof reclen);
    at += reclen;
  }
  std::uint16_t short_length = 0;
  std::memcpy(&short_length, buf + at + 16, sizeof short_length);
  EXPECT_EQ(short_length, 19u);
  EXPECT_STREQ(buf + at + 19, "snapshot_d");
  EXPECT_EQ(bytes, at + 32);  // the record whole: 19 + 11 bytes of name, padded to 8
  EXPECT_EQ(os->getdents64(static_cast<int>(fd), buf, sizeof buf), -EIO);
  EXPECT_TRUE(os->anomaly().empty()) << os->anomaly();
  os->end_run();

  for (const std::uint64_t batch : {0u, 1u}) {
    os = &fresh_os();
    mf::model::daemon::CleanerWorld& world = world_of(*os);
    world.dir.ends_with_empty_name = true;
    world.batch = batch;
    fd = os->openat(AT_FDCWD, world.dir.path.c_str(), dir_flags);
    std::vector<Record> records;
    long cut_by = 0;
    for (long got = 0; (got = os->getdents64(static_cast<int>(fd), buf, sizeof buf)) > 0;) {
      records = records_of(buf, got, &cut_by);  // the last batch's
    }
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records.back().reclen, 20u);
    EXPECT_EQ(records.back().name, "");
    EXPECT_TRUE(records.back().terminated);
    EXPECT_EQ(records.size(), batch == 1 ? 1u : 9u) << batch;  // alone when one entry per batch
    EXPECT_TRUE(os->anomaly().empty()) << os->anomaly();
    os->end_run();
  }
}

// What the simulated OS holds the cleaner to where docs/spec.md names a
// buffer: getdents64 into DAEMON_DIRENT_BUF bytes; an entry read until end
// of file or DAEMON_CONTENT_MAX bytes in hand, never past them nor for 0
// bytes; and only descriptors it holds.  Each misuse is an anomaly.
TEST(SimOs, HoldsTheCleanerToTheBuffersTheContractNames) {
  const int dir_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  const int entry_flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  alignas(8) char buf[4096 + 8];
  // A run with one entry of that content opened; its descriptor.
  auto open_entry = [&](const std::string& content, std::uint64_t read_fails_from = 0, bool read_fails = false) {
    SimOs& os = fresh_os();
    mf::model::daemon::Entry entry;
    entry.name = "snapshot_a";
    entry.content = content;
    entry.read_fails = read_fails;
    entry.read_fails_from = read_fails_from;
    os.rules().cleaner().put(entry);
    const long dir = os.openat(AT_FDCWD, os.rules().cleaner().dir.path.c_str(), dir_flags);
    EXPECT_GE(dir, 0);
    const long file = os.openat(static_cast<int>(dir), "snapshot_a", entry_flags);
    EXPECT_GE(file, 0);
    return static_cast<int>(file);
  };
  const std::string forty(40, '7');

  for (const std::uint64_t len : {4095u, 4104u}) {
    SimOs& os = fresh_os();
    const long dir = os.openat(AT_FDCWD, os.rules().cleaner().dir.path.c_str(), dir_flags);
    EXPECT_GT(os.getdents64(static_cast<int>(dir), buf, len), 0);
    EXPECT_NE(os.anomaly().find("getdents64 into " + std::to_string(len)), std::string::npos) << os.anomaly();
    os.end_run();
  }

  // As the cleaner reads: the room left each time, to 32 or to the end.
  int file = open_entry(forty);
  EXPECT_EQ(SimOs::instance().read(file, buf, 32), 32);
  EXPECT_EQ(SimOs::instance().close(file), 0);
  file = open_entry("1000\n");
  EXPECT_EQ(SimOs::instance().read(file, buf, 32), 5);
  EXPECT_EQ(SimOs::instance().read(file, buf + 5, 27), 0);
  EXPECT_EQ(SimOs::instance().close(file), 0);
  file = open_entry("1000", 1, true);  // the first read succeeds, the next fails
  EXPECT_EQ(SimOs::instance().read(file, buf, 2), 2);
  EXPECT_EQ(SimOs::instance().read(file, buf + 2, 30), -EIO);
  EXPECT_EQ(SimOs::instance().close(file), 0);
  EXPECT_TRUE(SimOs::instance().anomaly().empty()) << SimOs::instance().anomaly();

  file = open_entry(forty);  // asks past 32
  EXPECT_EQ(SimOs::instance().read(file, buf, 33), 33);
  EXPECT_NE(SimOs::instance().anomaly().find("read 33 bytes"), std::string::npos) << SimOs::instance().anomaly();
  file = open_entry(forty);  // asks for none once 32 are in hand
  EXPECT_EQ(SimOs::instance().read(file, buf, 32), 32);
  EXPECT_EQ(SimOs::instance().read(file, buf + 32, 0), 0);
  EXPECT_NE(SimOs::instance().anomaly().find("read 0 bytes"), std::string::npos) << SimOs::instance().anomaly();
  file = open_entry(forty);  // stops before 32 bytes, short of the end
  EXPECT_EQ(SimOs::instance().read(file, buf, 24), 24);
  EXPECT_EQ(SimOs::instance().close(file), 0);
  EXPECT_NE(SimOs::instance().anomaly().find("closed the entry snapshot_a with 24"), std::string::npos)
      << SimOs::instance().anomaly();

  for (const std::string call : {"close", "fstat", "read"}) {
    SimOs& os = fresh_os();
    struct stat st {};
    const long got = call == "close" ? os.close(-13) : call == "fstat" ? os.fstat(-13, &st) : os.read(-13, buf, 1);
    EXPECT_EQ(got, -EBADF);
    EXPECT_NE(os.anomaly().find(call + " of the descriptor -13"), std::string::npos) << os.anomaly();
    os.end_run();
  }
  SimOs::instance().end_run();
}

// A close or fstat of a descriptor the SUT does not hold (an error code
// kept as one, say) is refused and a misuse; a failing fstat fills the
// buffer as a success would, so that ignoring its error shows.
TEST(SimOs, DescriptorsNotHeldAreMisusesAndAFailingFstatStillFillsItsBuffer) {
  SimOs& os = fresh_os();
  mf::model::daemon::CleanerWorld& world = os.rules().cleaner();
  EXPECT_EQ(os.close(-ENOENT), -EBADF);
  EXPECT_NE(os.anomaly().find("close of the descriptor -2, which the SUT does not hold"), std::string::npos) << os.anomaly();
  os.end_run();
  os.begin_run(mf::model::kDefaultMemoryLimit);
  struct stat st {};
  EXPECT_EQ(os.fstat(-ELOOP, &st), -EBADF);
  EXPECT_NE(os.anomaly().find("fstat of the descriptor -40"), std::string::npos) << os.anomaly();
  os.end_run();
  os.begin_run(mf::model::kDefaultMemoryLimit);
  world.dir.fstat_fails = true;
  const long fd = os.openat(AT_FDCWD, world.dir.path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  st = {};
  EXPECT_EQ(os.fstat(static_cast<int>(fd), &st), -EIO);
  EXPECT_EQ(st.st_mode, S_IFDIR | 0755u);
  EXPECT_EQ(st.st_uid, mf::model::daemon::CleanerWorld::kOwnUid);
  EXPECT_EQ(os.close(static_cast<int>(fd)), 0);
  EXPECT_EQ(os.close(static_cast<int>(fd)), -EBADF);  // closed already
  EXPECT_NE(os.anomaly().find("close of the descriptor"), std::string::npos) << os.anomaly();
  os.end_run();
}

// meminfo_fail with a byte count: reads stop at that byte and fail from it
// on, but a read at the end of the file still returns 0.
TEST(SimOs, MeminfoReadsFailFromTheRulesByteOn) {
  SimOs& os = fresh_os();
  os.rules().append_meminfo("MemTotal: 1\n");  // 12 bytes
  os.rules().fail_meminfo(mf::model::OsRules::FileFailure::read, 4);
  char buf[64];
  long fd = os.openat(AT_FDCWD, "/proc/meminfo", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(os.read(static_cast<int>(fd), buf, sizeof buf), 4);
  EXPECT_EQ(os.read(static_cast<int>(fd), buf, sizeof buf), -EIO);
  EXPECT_EQ(os.close(static_cast<int>(fd)), 0);
  os.rules().fail_meminfo(mf::model::OsRules::FileFailure::read, 12);
  fd = os.openat(AT_FDCWD, "/proc/meminfo", O_RDONLY | O_CLOEXEC);
  EXPECT_EQ(os.read(static_cast<int>(fd), buf, sizeof buf), 12);
  EXPECT_EQ(os.read(static_cast<int>(fd), buf, sizeof buf), 0) << "the end of the file comes first";
  EXPECT_EQ(os.close(static_cast<int>(fd)), 0);
  EXPECT_TRUE(os.anomaly().empty()) << os.anomaly();
  os.end_run();
}

// What the SUT opened is named until it closes it: the runner holds every
// op to leaving nothing open (OsEnvironment::open_files).
TEST(SimOs, NamesTheFilesOpenUntilTheyAreClosed) {
  SimOs& os = fresh_os();
  EXPECT_EQ(os.open_files(), "");
  const long fd = os.openat(AT_FDCWD, "/proc/meminfo", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(os.open_files(), "/proc/meminfo");
  EXPECT_EQ(os.close(static_cast<int>(fd)), 0);
  EXPECT_EQ(os.open_files(), "");
  EXPECT_TRUE(os.anomaly().empty()) << os.anomaly();
  os.end_run();
}

}  // namespace
