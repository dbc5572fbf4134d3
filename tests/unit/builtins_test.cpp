// Native-mode checks of the checked builtins (asm/builtins.s) against
// docs/spec.md, "Checked builtins": the range rules of the four loads and
// stores, memcpy's memmove semantics and check order, and the allocation
// entry points.
//
// A death test that expects an exit *by the check* runs without __mf_init,
// so only the check can produce that exit and message.  A death test that
// expects a range to *pass* the check calls __mf_init inside the dying
// statement and expects the fault handler's message ("at 0x...") instead of
// the check's ("in __mf_...").  No test calls __mf_init outside a death
// statement, so forked children start with the default signal actions.

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "morph_abi.h"

namespace {

using mf::layout::NULL_PAGE_END;
using mf::layout::USER_SPACE_END;
using ::testing::ExitedWithCode;

constexpr std::uint64_t kMaxAddress = ~std::uint64_t{0};
const std::size_t kPage = mf::layout::OS_PAGE_SIZE;

// The exact stderr of an exit decided by a builtin's own check.
std::string check_message(int code, const std::string& function) {
  const char* reason = code == 110 ? "NULL pointer dereference" : "out-of-bounds access";
  return "morph: " + std::string(reason) + " in " + function + " (exit " + std::to_string(code) +
         ")\n";
}

// The stderr of the fault handler reporting an access at `address`.
std::string fault_message(int code, std::uint64_t address) {
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(address));
  const char* reason = code == 110 ? "NULL pointer dereference" : "out-of-bounds access";
  return "morph: " + std::string(reason) + " at " + hex + " (exit " + std::to_string(code) + ")\n";
}

// Read-write pages with an inaccessible page on each side, so that an access
// one byte outside the usable range faults instead of passing silently.
class GuardedPages {
 public:
  explicit GuardedPages(std::size_t pages) : size_(pages * kPage) {
    void* all = mmap(nullptr, size_ + 2 * kPage, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (all == MAP_FAILED) throw std::runtime_error("mmap failed");
    base_ = static_cast<unsigned char*>(all) + kPage;
    if (mprotect(base_, size_, PROT_READ | PROT_WRITE) != 0) throw std::runtime_error("mprotect");
  }
  ~GuardedPages() { munmap(base_ - kPage, size_ + 2 * kPage); }
  GuardedPages(const GuardedPages&) = delete;
  GuardedPages& operator=(const GuardedPages&) = delete;

  unsigned char* begin() const { return base_; }
  unsigned char* end() const { return base_ + size_; }
  std::size_t size() const { return size_; }

 private:
  std::size_t size_;
  unsigned char* base_;
};

void* as_pointer(std::uint64_t address) { return reinterpret_cast<void*>(address); }

// ---- the four fixed-width accesses, one parameterized suite ----

struct Access {
  const char* function;  // the name its messages carry
  std::uint64_t width;   // bytes of the checked range
  void (*touch)(std::uint64_t address);
};

// gtest prints a failing parameter with this instead of its raw bytes.
void PrintTo(const Access& access, std::ostream* out) { *out << access.function; }

void touch_load_i64(std::uint64_t a) { (void)__mf_load_i64(as_pointer(a)); }
void touch_poke_i64(std::uint64_t a) { __mf_poke_i64(as_pointer(a), 0x1122334455667788); }
void touch_load_byte(std::uint64_t a) { (void)__mf_load_byte(as_pointer(a)); }
void touch_poke_byte(std::uint64_t a) { __mf_poke_byte(as_pointer(a), 0x5A); }

const Access kAccesses[] = {
    {"__mf_load_i64", 8, touch_load_i64},
    {"__mf_poke_i64", 8, touch_poke_i64},
    {"__mf_load_byte", 1, touch_load_byte},
    {"__mf_poke_byte", 1, touch_poke_byte},
};

class CheckedAccess : public ::testing::TestWithParam<Access> {};

TEST_P(CheckedAccess, AddressesInTheNullPageExit110) {
  const Access& access = GetParam();
  for (std::uint64_t address : {std::uint64_t{0}, std::uint64_t{1}, NULL_PAGE_END - 1}) {
    EXPECT_EXIT(access.touch(address), ExitedWithCode(110),
                ::testing::Eq(check_message(110, access.function)))
        << "address " << address;
  }
}

TEST_P(CheckedAccess, FirstAddressAfterTheNullPagePassesTheCheck) {
  // 4096 is not mapped here, so a passed check shows as the handler's fault
  // report (111, with the address), not as the check's 110.
  const Access& access = GetParam();
  EXPECT_EXIT(
      {
        __mf_init();
        access.touch(NULL_PAGE_END);
      },
      ExitedWithCode(111), ::testing::Eq(fault_message(111, NULL_PAGE_END)));
}

TEST_P(CheckedAccess, LastRangeInUserSpacePassesTheCheckAndFaults) {
  // The top page of user space is never mappable on x86-64 Linux.
  const Access& access = GetParam();
  const std::uint64_t address = USER_SPACE_END - access.width;
  EXPECT_EXIT(
      {
        __mf_init();
        access.touch(address);
      },
      ExitedWithCode(111), ::testing::Eq(fault_message(111, address)));
}

TEST_P(CheckedAccess, WithoutInitAnUnmappedValidRangeDiesOfSigsegv) {
  // A re-executed child: no earlier test of this process can have left a
  // handler installed.
  const std::string saved_style = GTEST_FLAG_GET(death_test_style);
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Access& access = GetParam();
  EXPECT_EXIT(access.touch(USER_SPACE_END - access.width), ::testing::KilledBySignal(SIGSEGV),
              ::testing::Eq(""));
  GTEST_FLAG_SET(death_test_style, saved_style);
}

TEST_P(CheckedAccess, RangesPastUserSpaceExit111ByTheCheck) {
  const Access& access = GetParam();
  for (std::uint64_t address : {USER_SPACE_END - access.width + 1, USER_SPACE_END,
                                std::uint64_t{1} << 63, kMaxAddress - access.width}) {
    EXPECT_EXIT(access.touch(address), ExitedWithCode(111),
                ::testing::Eq(check_message(111, access.function)))
        << "address " << std::hex << address;
  }
}

TEST_P(CheckedAccess, RangesThatWrapPastTheTopExit111) {
  // a + width carries out of 64 bits from a = 2^64 - width on.
  const Access& access = GetParam();
  for (std::uint64_t address : {kMaxAddress - access.width + 1, kMaxAddress}) {
    EXPECT_EXIT(access.touch(address), ExitedWithCode(111),
                ::testing::Eq(check_message(111, access.function)))
        << "address " << std::hex << address;
  }
}

TEST_P(CheckedAccess, TheLastBytesOfAMappingAreAccessible) {
  // The access stays within its width: a guard page follows the mapping.
  const Access& access = GetParam();
  GuardedPages pages(1);
  access.touch(reinterpret_cast<std::uint64_t>(pages.end() - access.width));
  access.touch(reinterpret_cast<std::uint64_t>(pages.begin()));
}

TEST_P(CheckedAccess, AddressFourKibIsAccessibleWhenMapped) {
  const Access& access = GetParam();
  void* page = mmap(as_pointer(NULL_PAGE_END), kPage, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (page != as_pointer(NULL_PAGE_END)) {
    if (page != MAP_FAILED) munmap(page, kPage);
    GTEST_SKIP() << "this system does not let a process map address 4096 (vm.mmap_min_addr)";
  }
  access.touch(NULL_PAGE_END);
  munmap(page, kPage);
}

INSTANTIATE_TEST_SUITE_P(Builtins, CheckedAccess, ::testing::ValuesIn(kAccesses),
                         [](const ::testing::TestParamInfo<Access>& info) {
                           return std::string(info.param.function + 5);  // drop "__mf_"
                         });

// ---- values: alignment, zero extension, truncation ----

TEST(LoadI64, ReadsTheEightBytesAtEveryAlignment) {
  GuardedPages pages(1);
  for (std::size_t i = 0; i < 64; ++i) pages.begin()[i] = static_cast<unsigned char>(i * 37 + 11);
  for (std::size_t offset = 0; offset < 16; ++offset) {
    std::int64_t expected;
    std::memcpy(&expected, pages.begin() + offset, 8);
    EXPECT_EQ(__mf_load_i64(pages.begin() + offset), expected) << "offset " << offset;
  }
}

TEST(PokeI64, WritesExactlyEightBytesAtEveryAlignment) {
  GuardedPages pages(1);
  const std::int64_t value = static_cast<std::int64_t>(0x8877665544332211ull);
  for (std::size_t offset = 0; offset < 16; ++offset) {
    std::memset(pages.begin(), 0xA5, 64);
    __mf_poke_i64(pages.begin() + offset, value);
    std::vector<unsigned char> expected(64, 0xA5);
    std::memcpy(expected.data() + offset, &value, 8);
    EXPECT_EQ(std::vector<unsigned char>(pages.begin(), pages.begin() + 64), expected)
        << "offset " << offset;
  }
}

TEST(LoadByte, ZeroExtendsEveryByteValue) {
  GuardedPages pages(1);
  for (unsigned value = 0; value < 256; ++value) pages.begin()[value] = static_cast<unsigned char>(value);
  for (unsigned value = 0; value < 256; ++value) {
    EXPECT_EQ(__mf_load_byte(pages.begin() + value), std::uint64_t{value});
  }
  EXPECT_EQ(__mf_load_byte(pages.begin() + 0xFF), 255u);  // 0xFF is 255, not -1
}

TEST(PokeByte, StoresOnlyTheLowEightBits) {
  GuardedPages pages(1);
  std::memset(pages.begin(), 0x33, 16);
  __mf_poke_byte(pages.begin() + 5, 0x1234567890ABCDEFull);
  __mf_poke_byte(pages.begin() + 9, 0xFFFFFFFFFFFFFF00ull);
  std::vector<unsigned char> expected(16, 0x33);
  expected[5] = 0xEF;
  expected[9] = 0x00;
  EXPECT_EQ(std::vector<unsigned char>(pages.begin(), pages.begin() + 16), expected);
}

TEST(PokeI64, IsReadBackByLoadI64) {
  GuardedPages pages(1);
  __mf_poke_i64(pages.begin() + 3, -2);
  EXPECT_EQ(__mf_load_i64(pages.begin() + 3), -2);
  EXPECT_EQ(__mf_load_byte(pages.begin() + 3), 0xFEu);
}

// ---- memcpy ----

std::uint64_t read_rflags() {
  std::uint64_t flags;
  asm volatile("pushfq\n\tpopq %0" : "=r"(flags));
  return flags;
}
constexpr std::uint64_t kDirectionFlag = 1u << 10;

TEST(Memcpy, ZeroLengthTouchesNothingAndReturnsDst) {
  EXPECT_EQ(__mf_memcpy(nullptr, nullptr, 0), nullptr);
  EXPECT_EQ(__mf_memcpy(as_pointer(1), as_pointer(kMaxAddress), 0), as_pointer(1));
  EXPECT_EQ(__mf_memcpy(as_pointer(kMaxAddress), as_pointer(USER_SPACE_END), 0),
            as_pointer(kMaxAddress));
  GuardedPages pages(1);
  std::memset(pages.begin(), 0x77, 32);
  EXPECT_EQ(__mf_memcpy(pages.begin(), pages.begin() + 16, 0), pages.begin());
  for (int i = 0; i < 32; ++i) EXPECT_EQ(pages.begin()[i], 0x77) << i;
}

// Runs __mf_memcpy(buf + dst, buf + src, n) and memmove on a copy of the
// same buffer; both buffers must end up identical and the result be dst.
void expect_same_as_memmove(GuardedPages& pages, std::size_t dst, std::size_t src, std::size_t n) {
  unsigned char* buf = pages.begin();
  for (std::size_t i = 0; i < pages.size(); ++i) buf[i] = static_cast<unsigned char>(i * 131 + 7);
  std::vector<unsigned char> expected(buf, buf + pages.size());
  std::memmove(expected.data() + dst, expected.data() + src, n);
  void* result = __mf_memcpy(buf + dst, buf + src, n);
  ASSERT_EQ(result, buf + dst);
  ASSERT_TRUE(std::equal(expected.begin(), expected.end(), buf))
      << "dst " << dst << " src " << src << " n " << n;
  ASSERT_EQ(read_rflags() & kDirectionFlag, 0u);
}

TEST(Memcpy, OverlappingRangesCopyAsMemmove) {
  GuardedPages pages(1);
  const std::size_t src = 1024;
  for (std::size_t n = 1; n <= 300; ++n) {
    for (int shift = -17; shift <= 17; ++shift) {
      expect_same_as_memmove(pages, src + shift, src, n);
    }
  }
}

TEST(Memcpy, DisjointRangesAtEveryAlignmentCopyExactly) {
  GuardedPages pages(1);
  for (std::size_t n : {1u, 7u, 8u, 9u, 15u, 16u, 17u, 63u, 64u, 65u, 255u, 1000u}) {
    for (std::size_t dst_align = 0; dst_align < 16; ++dst_align) {
      for (std::size_t src_align = 0; src_align < 16; src_align += 3) {
        expect_same_as_memmove(pages, 2048 + dst_align, src_align, n);
        expect_same_as_memmove(pages, dst_align, 2048 + src_align, n);
      }
    }
  }
}

TEST(Memcpy, LargeOverlapsCopyAsMemmove) {
  GuardedPages pages(64);
  const std::size_t n = pages.size() - 5000;
  for (std::size_t shift : {1u, 8u, 4099u}) {
    expect_same_as_memmove(pages, shift, 0, n);
    expect_same_as_memmove(pages, 0, shift, n);
  }
  expect_same_as_memmove(pages, 0, 0, pages.size());  // onto itself
}

TEST(Memcpy, ReadsAndWritesNothingOutsideTheRanges) {
  // The whole mapping, shifted by one in both directions: any access outside
  // [begin, end) would hit a guard page.
  GuardedPages pages(2);
  expect_same_as_memmove(pages, 1, 0, pages.size() - 1);
  expect_same_as_memmove(pages, 0, 1, pages.size() - 1);
  expect_same_as_memmove(pages, 0, pages.size() - 9, 9);
  expect_same_as_memmove(pages, pages.size() - 9, 0, 9);
}

TEST(Memcpy, NullDstExits110) {
  GuardedPages pages(1);
  for (std::uint64_t dst : {std::uint64_t{0}, std::uint64_t{1}, NULL_PAGE_END - 1}) {
    EXPECT_EXIT(__mf_memcpy(as_pointer(dst), pages.begin(), 8), ExitedWithCode(110),
                ::testing::Eq(check_message(110, "__mf_memcpy")));
  }
}

TEST(Memcpy, NullSrcExits110) {
  GuardedPages pages(1);
  for (std::uint64_t src : {std::uint64_t{0}, NULL_PAGE_END - 1}) {
    EXPECT_EXIT(__mf_memcpy(pages.begin(), as_pointer(src), 8), ExitedWithCode(110),
                ::testing::Eq(check_message(110, "__mf_memcpy")));
  }
}

TEST(Memcpy, DstIsCheckedBeforeSrc) {
  EXPECT_EXIT(__mf_memcpy(as_pointer(USER_SPACE_END), nullptr, 8), ExitedWithCode(111),
              ::testing::Eq(check_message(111, "__mf_memcpy")));
  EXPECT_EXIT(__mf_memcpy(nullptr, as_pointer(USER_SPACE_END), 8), ExitedWithCode(110),
              ::testing::Eq(check_message(110, "__mf_memcpy")));
}

TEST(Memcpy, RangesThatWrapOrLeaveUserSpaceExit111) {
  GuardedPages pages(1);
  unsigned char* valid = pages.begin();
  struct Case {
    std::uint64_t dst, src, n;
  };
  const std::uint64_t v = reinterpret_cast<std::uint64_t>(valid);
  for (const Case& c : {Case{v, v, kMaxAddress}, Case{v, v, kMaxAddress - v + 1},
                        Case{kMaxAddress - 3, v, 8}, Case{v, kMaxAddress - 3, 8},
                        Case{USER_SPACE_END - 7, v, 8}, Case{v, USER_SPACE_END - 7, 8},
                        Case{v, v, USER_SPACE_END}}) {
    EXPECT_EXIT(__mf_memcpy(as_pointer(c.dst), as_pointer(c.src), c.n), ExitedWithCode(111),
                ::testing::Eq(check_message(111, "__mf_memcpy")))
        << std::hex << "dst " << c.dst << " src " << c.src << " n " << c.n;
  }
}

TEST(Memcpy, RangeEndingAtUserSpaceEndPassesTheCheck) {
  GuardedPages pages(1);
  const std::uint64_t dst = USER_SPACE_END - 8;
  EXPECT_EXIT(
      {
        __mf_init();
        __mf_memcpy(as_pointer(dst), pages.begin(), 8);
      },
      ExitedWithCode(111), ::testing::Eq(fault_message(111, dst)));
}

TEST(Memcpy, FailedSrcCheckLeavesDstUnchanged) {
  // A shared mapping lets this process see what the dying child wrote.
  const std::size_t size = kPage;
  void* shared = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(shared, MAP_FAILED);
  auto* bytes = static_cast<unsigned char*>(shared);
  std::memset(bytes, 0x42, size);
  EXPECT_EXIT(__mf_memcpy(bytes, as_pointer(USER_SPACE_END - 16), 32), ExitedWithCode(111),
              ::testing::Eq(check_message(111, "__mf_memcpy")));
  EXPECT_EXIT(__mf_memcpy(bytes, nullptr, 32), ExitedWithCode(110),
              ::testing::Eq(check_message(110, "__mf_memcpy")));
  for (std::size_t i = 0; i < size; ++i) ASSERT_EQ(bytes[i], 0x42) << i;
  munmap(shared, size);
}

// ---- the allocation entry points: exactly mem_alloc / mem_free ----

TEST(MemEntryPoints, AllocateAndFreeThroughTheAllocator) {
  EXPECT_EQ(__mf_mem_alloc(0), nullptr);
  void* block = __mf_mem_alloc(40);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(reinterpret_cast<std::uint64_t>(block) % mf::layout::MEM_ALIGN, 0u);
  std::memset(block, 0x5C, 40);
  __mf_mem_free(block, 40);
}

TEST(MemEntryPoints, FreeOfNullExits110NamingMemFree) {
  EXPECT_EXIT(__mf_mem_free(nullptr, 16), ExitedWithCode(110),
              ::testing::Eq(check_message(110, "mem_free")));
}

}  // namespace
