// Native-mode checks of __mf_init and its fault handler (docs/spec.md,
// "Checked builtins"): real faults become exits 110 / 111 / 112 with one line
// on stderr, on both death-test styles (a forked child and a re-executed
// one); the classification boundaries, through the handler called directly
// with made-up contexts; and what __mf_init installs.
//
// __mf_init changes the process's signal actions, so every test calls it
// inside a death test's child, never in this process.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "morph_abi.h"

// Not part of the ABI: asm/builtins.s exports its handler so that the
// classification can be checked without real faults.  Weak, so that an
// implementation without it still links (those tests then skip).
extern "C" void __mf_fault_handler(int sig, siginfo_t* info, void* context)
    __attribute__((weak));

namespace {

using mf::layout::NULL_PAGE_END;
using mf::layout::OS_PAGE_SIZE;
using mf::layout::STACK_GUARD_WINDOW;
using ::testing::ExitedWithCode;
using ::testing::MatchesRegex;

// The whole stderr of a fault report: one line, the address in hex.
std::string fault_regex(const char* reason, int code) {
  return std::string("morph: ") + reason + " at 0x[0-9a-f]+ \\(exit " + std::to_string(code) +
         "\\)\n";
}
const std::string kNullFault = fault_regex("NULL pointer dereference", 110);
const std::string kBoundsFault = fault_regex("out-of-bounds access", 111);
const std::string kStackFault = fault_regex("stack overflow", 112);
const std::string kUnreportedFault =
    "morph: out-of-bounds access at an unreported address (general-protection fault) (exit 111)\n";

std::string exact_fault(const char* reason, int code, std::uint64_t address) {
  char line[128];
  std::snprintf(line, sizeof line, "morph: %s at 0x%llx (exit %d)\n", reason,
                static_cast<unsigned long long>(address), code);
  return line;
}

void init_or_die() {
  if (__mf_init() != 0) {
    std::fputs("__mf_init failed\n", stderr);
    _exit(1);
  }
}

// Reads the quad at address.  The asm hides the constant from the compiler,
// which would otherwise warn about, or fold, a read of a fixed address.
void read_at(std::uint64_t address) {
  asm volatile("" : "+r"(address));
  (void)*reinterpret_cast<volatile std::uint64_t*>(address);
}

volatile bool g_never = false;

// Recurses until the stack runs out.  The frame escapes through the asm
// statement after the call, so the compiler can neither drop it nor turn
// the recursion into a loop.
[[gnu::noinline]] std::uint64_t recurse_forever(std::uint64_t depth) {
  volatile char frame[512];
  frame[0] = static_cast<char>(depth);
  if (g_never) return depth;
  std::uint64_t below = recurse_forever(depth + 1);
  asm volatile("" : : "r"(frame) : "memory");
  return below + frame[0];
}

// ---- real faults, under both death-test styles ----

class RealFault : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    saved_style_ = GTEST_FLAG_GET(death_test_style);
    GTEST_FLAG_SET(death_test_style, GetParam());
  }
  void TearDown() override { GTEST_FLAG_SET(death_test_style, saved_style_); }

 private:
  std::string saved_style_;
};

TEST_P(RealFault, NullDereferenceExits110) {
  EXPECT_EXIT(
      {
        init_or_die();
        read_at(8);
      },
      ExitedWithCode(110),
      ::testing::Eq(exact_fault("NULL pointer dereference", 110, 8)));
}

TEST_P(RealFault, WildReadExits111) {
  EXPECT_EXIT(
      {
        init_or_die();
        void* wild = mmap(nullptr, OS_PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        (void)*static_cast<volatile char*>(wild);
      },
      ExitedWithCode(111), MatchesRegex(kBoundsFault));
}

TEST_P(RealFault, WriteToReadOnlyMemoryExits111) {
  EXPECT_EXIT(
      {
        init_or_die();
        void* page = mmap(nullptr, OS_PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        *static_cast<volatile char*>(page) = 1;
      },
      ExitedWithCode(111), MatchesRegex(kBoundsFault));
}

TEST_P(RealFault, BusErrorExits111) {
  // A file mapping past the end of its (empty) file raises SIGBUS.
  EXPECT_EXIT(
      {
        init_or_die();
        FILE* empty = std::tmpfile();
        void* page = mmap(nullptr, OS_PAGE_SIZE, PROT_READ, MAP_SHARED, fileno(empty), 0);
        if (page == MAP_FAILED) _exit(2);
        (void)*static_cast<volatile char*>(page);
      },
      ExitedWithCode(111), MatchesRegex(kBoundsFault));
}

TEST_P(RealFault, UnboundedRecursionExits112) {
  EXPECT_EXIT(
      {
        init_or_die();
        recurse_forever(0);
      },
      ExitedWithCode(112), MatchesRegex(kStackFault));
}

TEST_P(RealFault, NonCanonicalAddressExits111NotAsANullDereference) {
  // A non-canonical address raises a general-protection fault, which the
  // kernel reports with si_code SI_KERNEL and si_addr 0.
  EXPECT_EXIT(
      {
        init_or_die();
        read_at(0x8000000000000000);
      },
      ExitedWithCode(111), ::testing::Eq(kUnreportedFault));
}

TEST_P(RealFault, SigsegvSentByKillEndsTheProcessAsWithoutInit) {
  // Not a fault: no report, and the process dies of the signal.
  EXPECT_EXIT(
      {
        init_or_die();
        kill(getpid(), SIGSEGV);
        _exit(5);  // reached only if the signal was swallowed
      },
      ::testing::KilledBySignal(SIGSEGV), ::testing::Eq(""));
}

TEST_P(RealFault, SigbusSentToTheThreadEndsTheProcessAsWithoutInit) {
  EXPECT_EXIT(
      {
        init_or_die();
        raise(SIGBUS);  // tgkill: si_code SI_TKILL
        _exit(5);
      },
      ::testing::KilledBySignal(SIGBUS), ::testing::Eq(""));
}

TEST_P(RealFault, WithoutInitAFaultIsAnOrdinarySigsegv) {
  // The control for the tests above: the exits come from the handler.
  EXPECT_EXIT(read_at(8),
              ::testing::KilledBySignal(SIGSEGV), "");
}

INSTANTIATE_TEST_SUITE_P(FaultHandler, RealFault, ::testing::Values("fast", "threadsafe"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

// ---- what __mf_init installs ----

// Checks, in the dying child, what the handler installation looks like;
// exits 0 when everything holds, else names the first failure on stderr.
void check_installation_twice() {
  auto fail = [](const char* what) {
    std::fprintf(stderr, "%s\n", what);
    _exit(1);
  };
  if (__mf_init() != 0) fail("first __mf_init did not return 0");
  stack_t first{};
  if (sigaltstack(nullptr, &first) != 0) fail("sigaltstack query failed");
  if (first.ss_flags & SS_DISABLE) fail("no alternate stack installed");
  if (first.ss_size != mf::layout::ALTSTACK_SIZE) fail("alternate stack has the wrong size");
  std::memset(first.ss_sp, 0xCD, first.ss_size);  // the whole stack is mapped and writable

  for (int sig : {SIGSEGV, SIGBUS}) {
    struct sigaction action {};
    if (sigaction(sig, nullptr, &action) != 0) fail("sigaction query failed");
    if (!(action.sa_flags & SA_SIGINFO)) fail("handler lacks SA_SIGINFO");
    if (!(action.sa_flags & SA_ONSTACK)) fail("handler lacks SA_ONSTACK");
    if (action.sa_handler == SIG_DFL || action.sa_handler == SIG_IGN) fail("no handler installed");
    if (__mf_fault_handler != nullptr && action.sa_sigaction != __mf_fault_handler)
      fail("the handler is not __mf_fault_handler");
  }

  if (__mf_init() != 0) fail("second __mf_init did not return 0");
  stack_t second{};
  sigaltstack(nullptr, &second);
  if (second.ss_sp != first.ss_sp || second.ss_size != first.ss_size)
    fail("second __mf_init replaced the alternate stack");
  _exit(0);
}

TEST(Init, InstallsBothHandlersOnAnAlternateStackAndIsIdempotent) {
  EXPECT_EXIT(check_installation_twice(), ExitedWithCode(0), ::testing::Eq(""));
}

TEST(Init, TheHandlerStillWorksAfterASecondInit) {
  EXPECT_EXIT(
      {
        init_or_die();
        init_or_die();
        read_at(16);
      },
      ExitedWithCode(110), ::testing::Eq(exact_fault("NULL pointer dereference", 110, 16)));
}

// ---- one alternate stack per thread ----

// The calling thread's alternate stack; exits 1 naming the failure if the
// query fails.
stack_t current_alt_stack() {
  stack_t stack{};
  if (sigaltstack(nullptr, &stack) != 0) {
    std::fputs("sigaltstack query failed\n", stderr);
    _exit(1);
  }
  return stack;
}

void fail(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  _exit(1);
}

void check_each_thread_gets_its_own_stack() {
  init_or_die();
  const stack_t main_stack = current_alt_stack();
  std::vector<stack_t> thread_stacks(3);
  for (stack_t& result : thread_stacks) {
    std::thread([&result] {
      if (!(current_alt_stack().ss_flags & SS_DISABLE)) fail("a new thread already had an alternate stack");
      init_or_die();
      result = current_alt_stack();
      init_or_die();  // a second call from the same thread keeps it
      if (current_alt_stack().ss_sp != result.ss_sp) fail("a second call replaced the thread's stack");
    }).join();
  }
  for (const stack_t& stack : thread_stacks) {
    if (stack.ss_flags & SS_DISABLE) fail("a thread's __mf_init left it without an alternate stack");
    if (stack.ss_size != mf::layout::ALTSTACK_SIZE) fail("a thread's alternate stack has the wrong size");
    if (stack.ss_sp == main_stack.ss_sp) fail("a thread shares the main thread's alternate stack");
  }
  if (thread_stacks[0].ss_sp == thread_stacks[1].ss_sp || thread_stacks[1].ss_sp == thread_stacks[2].ss_sp)
    fail("two threads were given the same alternate stack");
  _exit(0);
}

TEST(Init, EachCallingThreadGetsItsOwnAlternateStack) {
  EXPECT_EXIT(check_each_thread_gets_its_own_stack(), ExitedWithCode(0), ::testing::Eq(""));
}

TEST(Init, StackOverflowInASecondThreadExits112) {
  // Without its own alternate stack, the thread's overflow would find no
  // room for the handler and die of SIGSEGV.
  EXPECT_EXIT(
      {
        init_or_die();
        std::thread([] {
          init_or_die();
          recurse_forever(0);
        }).join();
      },
      ExitedWithCode(112), MatchesRegex(kStackFault));
}

void check_existing_stacks(std::size_t own_size, bool kept) {
  std::vector<char> own(own_size);
  stack_t mine{};
  mine.ss_sp = own.data();
  mine.ss_size = own.size();
  if (sigaltstack(&mine, nullptr) != 0) fail("could not install the test's own alternate stack");
  init_or_die();
  const stack_t after = current_alt_stack();
  if (kept && after.ss_sp != own.data()) fail("a large enough alternate stack was replaced");
  if (!kept && (after.ss_sp == own.data() || after.ss_size != mf::layout::ALTSTACK_SIZE))
    fail("a too small alternate stack was kept");
  _exit(0);
}

TEST(Init, KeepsTheThreadsOwnAlternateStackWhenLargeEnough) {
  EXPECT_EXIT(check_existing_stacks(2 * mf::layout::ALTSTACK_SIZE, true), ExitedWithCode(0), ::testing::Eq(""));
  EXPECT_EXIT(check_existing_stacks(mf::layout::ALTSTACK_SIZE, true), ExitedWithCode(0), ::testing::Eq(""));
}

TEST(Init, ReplacesATooSmallAlternateStack) {
  EXPECT_EXIT(check_existing_stacks(mf::layout::ALTSTACK_SIZE - 16, false), ExitedWithCode(0), ::testing::Eq(""));
  EXPECT_EXIT(
      {
        std::vector<char> own(16 * 1024);
        stack_t mine{};
        mine.ss_sp = own.data();
        mine.ss_size = own.size();
        sigaltstack(&mine, nullptr);
        init_or_die();
        recurse_forever(0);
      },
      ExitedWithCode(112), MatchesRegex(kStackFault));
}

// ---- the classification, with made-up fault contexts ----

class Classification : public ::testing::Test {
 protected:
  void SetUp() override {
    if (__mf_fault_handler == nullptr) GTEST_SKIP() << "no __mf_fault_handler in this SUT";
  }
};

// Calls the handler as the kernel would for a fault at `address` with the
// interrupted stack pointer `rsp`.
[[noreturn]] void deliver(std::uint64_t address, std::uint64_t rsp, int code = SEGV_MAPERR) {
  siginfo_t info{};
  info.si_signo = SIGSEGV;
  info.si_code = code;
  info.si_addr = reinterpret_cast<void*>(address);
  ucontext_t context{};
  context.uc_mcontext.gregs[REG_RSP] = static_cast<greg_t>(rsp);
  __mf_fault_handler(SIGSEGV, &info, &context);
  _exit(5);  // the handler returned
}

struct Expected {
  std::uint64_t address;
  std::uint64_t rsp;
  int code;
  const char* reason;
};

TEST_F(Classification, EachBoundaryGivesItsDocumentedCode) {
  const std::uint64_t rsp = 0x7f0000100000;
  const Expected cases[] = {
      {0, rsp, 110, "NULL pointer dereference"},
      {NULL_PAGE_END - 1, rsp, 110, "NULL pointer dereference"},
      {NULL_PAGE_END, rsp, 111, "out-of-bounds access"},
      {rsp - STACK_GUARD_WINDOW - 1, rsp, 111, "out-of-bounds access"},
      {rsp - STACK_GUARD_WINDOW, rsp, 112, "stack overflow"},
      {rsp - 8, rsp, 112, "stack overflow"},
      {rsp, rsp, 112, "stack overflow"},
      {rsp + OS_PAGE_SIZE - 1, rsp, 112, "stack overflow"},
      {rsp + OS_PAGE_SIZE, rsp, 111, "out-of-bounds access"},
      // A null-page address is 110 even right below the stack pointer.
      {NULL_PAGE_END - 8, NULL_PAGE_END, 110, "NULL pointer dereference"},
      // No wrap-around: the window is measured in exact integers.
      {~std::uint64_t{0} - 8, 0x8000, 111, "out-of-bounds access"},
      {NULL_PAGE_END, ~std::uint64_t{0} - 100, 111, "out-of-bounds access"},
      {~std::uint64_t{0}, ~std::uint64_t{0} - 100, 112, "stack overflow"},
  };
  for (const Expected& c : cases) {
    EXPECT_EXIT(deliver(c.address, c.rsp), ExitedWithCode(c.code),
                ::testing::Eq(exact_fault(c.reason, c.code, c.address)))
        << std::hex << "address 0x" << c.address << " rsp 0x" << c.rsp;
  }
}

TEST_F(Classification, AGeneralProtectionFaultHasNoAddressAndExits111) {
  // SI_KERNEL with si_addr 0: not a NULL dereference, whatever si_addr says.
  EXPECT_EXIT(deliver(0, 0x7f0000100000, SI_KERNEL), ExitedWithCode(111), ::testing::Eq(kUnreportedFault));
}

TEST_F(Classification, EveryAccessCodeIsClassifiedByItsAddress) {
  for (int code : {int{SEGV_MAPERR}, int{SEGV_ACCERR}, int{BUS_ADRERR}}) {
    EXPECT_EXIT(deliver(8, 0x7f0000100000, code), ExitedWithCode(110),
                ::testing::Eq(exact_fault("NULL pointer dereference", 110, 8)))
        << "si_code " << code;
  }
}

TEST_F(Classification, ASignalSentByAProcessIsRaisedAgainWithItsDefaultAction) {
  // SI_USER (kill), SI_QUEUE (sigqueue), SI_TKILL (tgkill): si_addr would be
  // the sender's pid and uid, not an address.
  for (int code : {int{SI_USER}, int{SI_QUEUE}, int{SI_TKILL}}) {
    EXPECT_EXIT(
        {
          signal(SIGSEGV, SIG_IGN);  // the handler must install the default action itself
          deliver(0, 0x7f0000100000, code);
        },
        ::testing::KilledBySignal(SIGSEGV), ::testing::Eq(""))
        << "si_code " << code;
  }
}

TEST(FaultContext, RspSitsWhereTheHandlerReadsIt) {
  // asm/builtins.s reads the interrupted rsp at UCONTEXT_RSP = 160.
  EXPECT_EQ(offsetof(ucontext_t, uc_mcontext.gregs) + REG_RSP * sizeof(greg_t), 160u);
  // And si_addr at SIGINFO_ADDR = 16, si_code at SIGINFO_CODE = 8.
  siginfo_t info{};
  EXPECT_EQ(reinterpret_cast<char*>(&info.si_code) - reinterpret_cast<char*>(&info), 8);
  EXPECT_EQ(reinterpret_cast<char*>(&info.si_addr) - reinterpret_cast<char*>(&info), 16);
}

}  // namespace
