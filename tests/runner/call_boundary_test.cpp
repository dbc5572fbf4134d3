// The call-boundary trampoline (harness/runner/call_boundary.h): each way of
// breaking the calling convention is named, the arguments and the result
// pass through, and the caller survives every violation.
#include <gtest/gtest.h>

#include <set>

#include "call_boundary.h"
#include "op_calls.h"
#include "os_rules.h"
#include "shim_return.h"
#include "sim_os.h"

extern "C" {
void cb_keeps_everything();
void cb_clobbers_rbx_and_r14();
void cb_leaves_direction_flag_set();
void cb_pops_one_quad_too_many();
void cb_calls_the_os_aligned();
void cb_calls_the_os_misaligned();
void cb_returns_rax_as_it_came();
void cb_returns_rcx();
void cb_returns_r10();
void cb_returns_xmm15_low();
void cb_returns_rdx();
void cb_returns_unwritten_stack_slot();
void cb_marks_slot_below_the_fill();
void cb_returns_slot_below_the_fill();
void cb_returns_rsp_at_the_call();
void cb_records_os_return(std::uint64_t* out);
void cb_records_os_return_with_known_registers(std::uint64_t* out);
}

namespace mf::runner {
namespace {

std::uint64_t call(void (*fn)(), CallBoundary& check, std::uint64_t a0 = 41) {
  arm(check);
  const std::uint64_t args[3] = {a0, 0, 0};
  return mf_call_with_boundary_checks(reinterpret_cast<const void*>(fn), args, &check);
}

TEST(CallBoundary, AFunctionThatKeepsTheConventionPassesAndItsResultComesBack) {
  CallBoundary check;
  EXPECT_EQ(call(&cb_keeps_everything, check), 42u);
  EXPECT_EQ(violation(check), "");
}

TEST(CallBoundary, ClobberedCalleeSavedRegistersAreNamed) {
  CallBoundary check;
  call(&cb_clobbers_rbx_and_r14, check);
  EXPECT_EQ(violation(check), "rbx, r14 not preserved");
}

TEST(CallBoundary, TheDirectionFlagLeftSetIsReportedAndCleared) {
  CallBoundary check;
  call(&cb_leaves_direction_flag_set, check);
  EXPECT_EQ(violation(check), "the direction flag left set");
  // The trampoline cleared it: a backwards string copy here would corrupt memory.
  std::uint64_t flags = 0;
  asm volatile("pushfq; popq %0" : "=r"(flags));
  EXPECT_EQ(flags & 0x400, 0u);
}

TEST(CallBoundary, AMovedStackPointerIsReportedAndRepaired) {
  CallBoundary check;
  call(&cb_pops_one_quad_too_many, check);
  EXPECT_EQ(violation(check), "rsp moved by 8");
  // Still here, with a sound stack: another call works.
  EXPECT_EQ(call(&cb_keeps_everything, check, 1), 2u);
  EXPECT_EQ(violation(check), "");
}

TEST(CallBoundary, EveryCallGetsFreshCanaries) {
  CallBoundary first, second;
  arm(first);
  arm(second);
  for (std::size_t i = 0; i < first.canary.size(); ++i) EXPECT_NE(first.canary[i], second.canary[i]) << i;
}

// The scratch registers hold fresh garbage at the call, so code that reads
// one it never set (a `div` whose `xor %edx, %edx` went missing) reads
// something else than the 0 the C++ caller happened to leave.
TEST(CallBoundary, ScratchRegistersHoldGarbageAtTheCall) {
  CallBoundary check;
  EXPECT_EQ(call(&cb_returns_rax_as_it_came, check), check.scratch[0]);
  EXPECT_EQ(call(&cb_returns_rcx, check), check.scratch[1]);
  EXPECT_EQ(call(&cb_returns_r10, check), check.scratch[1]);
  EXPECT_EQ(call(&cb_returns_xmm15_low, check), check.scratch[2]);
  EXPECT_EQ(violation(check), "");
}

// The garbage is what real callers leave: over many calls, 0, small counts
// and uniform bits (a deleted load reads each of them sometimes).
TEST(CallBoundary, ScratchGarbageHoldsZeroSmallAndLargeValues) {
  CallBoundary check;
  bool zero = false, small = false, large = false;
  for (int i = 0; i < 64; ++i) {
    call(&cb_returns_rcx, check);
    for (std::uint64_t g : check.scratch) {
      zero |= g == 0;
      small |= g != 0 && g < (1u << 16);
      large |= g >= (std::uint64_t{1} << 40);
    }
  }
  EXPECT_TRUE(zero);
  EXPECT_TRUE(small);
  EXPECT_TRUE(large);
}

// Every other call, a small selector 0..3 in turn; else the scratch garbage.
TEST(CallBoundary, ArgumentsTheFunctionDoesNotTakeHoldGarbage) {
  CallBoundary check;
  const SutCall one_argument{reinterpret_cast<const void*>(&cb_returns_rdx), true, 1};
  std::set<std::uint64_t> small;
  for (int i = 0; i < 8; ++i) {
    const std::uint64_t rdx = call_through_boundary(one_argument, {7, 8, 9}, check);
    EXPECT_TRUE(rdx == check.scratch[2] || rdx < 4) << rdx;
    if (rdx < 4) small.insert(rdx);
  }
  EXPECT_EQ(small, (std::set<std::uint64_t>{0, 1, 2, 3}));  // eight calls: every selector
  const SutCall three_arguments{reinterpret_cast<const void*>(&cb_returns_rdx), true, 3};
  EXPECT_EQ(call_through_boundary(three_arguments, {7, 8, 9}, check), 9u);
}

// The stack below the call holds the fixed pattern over stack_fill bytes
// (from rsp at the call down, the return address's slot included), and
// nothing below them is written.
TEST(CallBoundary, TheStackBelowTheCallHoldsThePattern) {
  CallBoundary check;
  const RawArgs args{0, 0, 0};
  const auto with_fill = [](void (*fn)(), std::uint64_t fill) {
    return SutCall{reinterpret_cast<const void*>(fn), true, 0, fill};
  };
  EXPECT_EQ(call_through_boundary(with_fill(&cb_returns_unwritten_stack_slot, 1024), args, check), kStackPattern);
  // Two calls back to back, from the same depth: a mark just below a 1 KiB
  // fill survives the next 1 KiB fill, and a 2 KiB fill covers it.
  call_through_boundary(with_fill(&cb_marks_slot_below_the_fill, 1024), args, check);
  const std::uint64_t after_shallow = call_through_boundary(with_fill(&cb_returns_slot_below_the_fill, 1024), args, check);
  const std::uint64_t after_deep = call_through_boundary(with_fill(&cb_returns_slot_below_the_fill, 2048), args, check);
  EXPECT_EQ(after_shallow, 0x600df00du);
  EXPECT_EQ(after_deep, kStackPattern);
  // A call may have zeros below it instead (the meminfo target's zeroed_stack).
  SutCall zeroed = with_fill(&cb_returns_unwritten_stack_slot, 1024);
  zeroed.stack_pattern = 0;
  EXPECT_EQ(call_through_boundary(zeroed, args, check), 0u);
  // Or one address of the stack in every quad (stack_addresses): that many
  // bytes below the call, on the stack below the code; on the caller's own
  // stack, whose address the harness does not choose, the pattern.
  SutCall addresses = with_fill(&cb_returns_unwritten_stack_slot, 1024);
  addresses.stack_address_depth = 160;
  EXPECT_EQ(call_through_boundary(addresses, args, check), kStackPattern);
  addresses.below_the_code = true;
  ASSERT_NE(lowest_stack_top(), 0u);
  EXPECT_EQ(call_through_boundary(addresses, args, check), lowest_stack_top() - 160);
  EXPECT_EQ(call_through_boundary(with_fill(&cb_returns_unwritten_stack_slot, 1024), args, check), kStackPattern);
  // The cleaner's functions get the deeper fill, the others the shallow one.
  EXPECT_EQ(sut_call(ops::OpCode::monitor_memory, false).stack_fill, kStackFillCleaner);
  EXPECT_EQ(sut_call(ops::OpCode::mem_alloc, false).stack_fill, kStackFillOther);
}

// The cleaner's calls run on a stack below the program's code and data
// (the harness's own lies above them): code that compares a stack address
// with a static one meets the other order too.  The others run on ours.
TEST(CallBoundary, TheCleanersCallsRunOnAStackBelowTheCode) {
  ASSERT_NE(lowest_stack_top(), 0u) << "no stack could be mapped at 64 KiB";
  const auto code = reinterpret_cast<std::uint64_t>(&cb_returns_rsp_at_the_call);
  static const char kStatic[] = "a string constant";
  CallBoundary check;
  const RawArgs args{0, 0, 0};
  SutCall low{reinterpret_cast<const void*>(&cb_returns_rsp_at_the_call), true, 0, kStackFillCleaner, true};
  const std::uint64_t low_rsp = call_through_boundary(low, args, check);
  EXPECT_EQ(low_rsp, lowest_stack_top());
  EXPECT_LT(low_rsp, code);
  EXPECT_LT(low_rsp, reinterpret_cast<std::uint64_t>(kStatic));
  EXPECT_EQ(violation(check), "");
  low.below_the_code = false;
  EXPECT_GT(call_through_boundary(low, args, check), code);
  EXPECT_EQ(violation(check), "");
  EXPECT_TRUE(sut_call(ops::OpCode::clean_sandboxes, false).below_the_code);
  EXPECT_TRUE(sut_call(ops::OpCode::monitor_memory, false).below_the_code);
  EXPECT_FALSE(sut_call(ops::OpCode::mem_alloc, false).below_the_code);
}

// The other side of the boundary: the simulated OS's entry points check the
// SUT's stack alignment at each OS call.
TEST(CallBoundary, AnOsCallWithAMisalignedStackIsAMisuseOfTheOs) {
  simos::SimOs& os = simos::SimOs::instance();
  CallBoundary check;
  os.begin_run(model::kDefaultMemoryLimit);
  call(&cb_calls_the_os_aligned, check);
  EXPECT_EQ(os.anomaly(), "");
  call(&cb_calls_the_os_misaligned, check);
  EXPECT_EQ(os.anomaly(), "__mf_os_getpid was called with rsp not 16-byte aligned");
  os.end_run();
}

// And the way back: an OS call returns with garbage in every caller-saved
// register but rax, and with SF and ZF the opposite of rax's test
// (shim_return.h), whatever its result.
TEST(CallBoundary, AnOsCallReturnsGarbageInTheRegistersItMayClobber) {
  simos::SimOs& os = simos::SimOs::instance();
  os.begin_run(model::kDefaultMemoryLimit);
  std::uint64_t out[20] = {};
  cb_records_os_return(out);
  // The failing read is of a descriptor not held, a misuse the OS notes; the
  // registers it returns with are the point here.
  EXPECT_EQ(os.anomaly(), "read of the descriptor -1, which the SUT does not hold");
  os.end_run();
  constexpr std::uint64_t kSign = 0x80, kZero = 0x40;
  for (const std::uint64_t* after : {out, out + 10}) {
    const auto rax = static_cast<std::int64_t>(after[0]);
    for (int i = 1; i <= 8; ++i) EXPECT_EQ(after[i], simos::kShimReturnGarbage + 8 * (i - 1)) << "register " << i;
    EXPECT_EQ((after[9] & kSign) != 0, rax >= 0);
    EXPECT_EQ((after[9] & kZero) != 0, rax == -1);
  }
  EXPECT_LT(static_cast<std::int64_t>(out[0]), 0);   // read(-1, 0, 0): EBADF
  EXPECT_GT(static_cast<std::int64_t>(out[10]), 0);  // getpid
}

// Or, when the runner asks for it (every second SUT call of a run), as
// Linux's syscall leaves them: only rax, rcx and r11 changed, the flags the
// caller's.
TEST(CallBoundary, AnOsCallCanReturnAsLinuxLeavesTheRegisters) {
  simos::SimOs& os = simos::SimOs::instance();
  os.begin_run(model::kDefaultMemoryLimit);
  std::uint64_t garbage[10] = {};
  std::uint64_t kept[10] = {};
  cb_records_os_return_with_known_registers(garbage);
  simos::set_os_return_as_linux(true);
  cb_records_os_return_with_known_registers(kept);
  simos::set_os_return_as_linux(false);
  EXPECT_EQ(os.anomaly(), "");
  os.end_run();
  constexpr std::uint64_t kArithmeticFlags = 0x8d5;  // OF, SF, ZF, AF, PF, CF
  // rdi, rsi, rdx at 1..3, rcx at 4, r8, r9, r10 at 5..7, r11 at 8.
  const std::uint64_t loaded[9] = {0, 1, 2, 3, 0, 4, 5, 6, 0};
  for (int i : {1, 2, 3, 5, 6, 7}) {
    EXPECT_EQ(kept[i], loaded[i]) << "register " << i;
    EXPECT_EQ(garbage[i], simos::kShimReturnGarbage + 8 * (i - 1)) << "register " << i;
  }
  for (int i : {4, 8}) EXPECT_EQ(kept[i], simos::kShimReturnGarbage + 8 * (i - 1)) << "register " << i;
  EXPECT_EQ(kept[9] & kArithmeticFlags, 0xc1u);  // the caller's CF, ZF and SF
  EXPECT_NE(garbage[9] & kArithmeticFlags, 0xc1u);  // from getpid's test: CF and ZF clear
  EXPECT_EQ(kept[0], garbage[0]);                   // the same getpid either way
}

}  // namespace
}  // namespace mf::runner
