#include "sut_call.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iterator>

#include "op_calls.h"
#include "sim_os.h"

namespace mf::runner {

namespace {

// Between setjmp and the SUT's return only SUT frames (assembly) and the
// OS shim's frames lie on the stack, none with destructors, so jumping out of
// them is sound.
jmp_buf g_jump;
volatile sig_atomic_t g_armed = 0;
volatile int g_exit_code = 0;
volatile int g_signal = 0;
volatile std::uint64_t g_fault_address = 0;

CallBoundary g_boundary;  // what the last call did to the calling convention

constexpr int kJumpExit = 1;
constexpr int kJumpFault = 2;
constexpr int kJumpHang = 3;

// The hang watch: which call is running, and which one the last tick saw.
volatile std::uint64_t g_call_serial = 0;
volatile std::uint64_t g_call_seen_by_tick = ~std::uint64_t{0};
// Ticks that found the running call already seen; and the last allowance.
volatile std::uint64_t g_extra_ticks_of_call = 0;
volatile std::uint64_t g_stopped_after_intervals = 0;
volatile std::uint64_t g_stopped_with_mapped_bytes = 0;
const model::OsRules* volatile g_rules = nullptr;  // what the SUT has mapped

// Whether a Session watches for hangs now; the timer itself stays installed
// for the life of the process (see HangWatch).
volatile sig_atomic_t g_watching = 0;
bool g_tick_installed = false;  // in this process: itimers do not survive fork
double g_tick_interval = 0;

void on_tick(int) {
  if (g_watching == 0 || g_armed == 0) {
    g_call_seen_by_tick = ~std::uint64_t{0};
    return;
  }
  if (g_call_seen_by_tick != g_call_serial) {
    g_call_seen_by_tick = g_call_serial;  // a new call: give it until the next tick
    g_extra_ticks_of_call = 0;
    return;
  }
  // The same call for a whole interval: within its allowance, or a hang.
  const std::uint64_t mapped = g_rules != nullptr ? g_rules->mapped_bytes() : 0;
  if (g_extra_ticks_of_call < mapped / kHangBytesPerExtraInterval) {
    g_extra_ticks_of_call = g_extra_ticks_of_call + 1;
    return;
  }
  g_stopped_after_intervals = g_extra_ticks_of_call + 1;
  g_stopped_with_mapped_bytes = mapped;
  g_armed = 0;
  _longjmp(g_jump, kJumpHang);
}

[[noreturn]] void on_simulated_exit(int code) {
  if (g_armed == 0) _exit(code);  // an exit outside call_sut: behave like the real one
  g_armed = 0;
  g_exit_code = code;
  _longjmp(g_jump, kJumpExit);
}

void on_fault(int sig, siginfo_t* info, void*) {
  if (g_armed == 0) {
    // Not the SUT's fault: let it kill the process as it would have.
    signal(sig, SIG_DFL);
    return;
  }
  g_armed = 0;
  g_signal = sig;
  g_fault_address = reinterpret_cast<std::uint64_t>(info->si_addr);
  _longjmp(g_jump, kJumpFault);
}

// The signals a fault of the SUT raises: a bad access, a divide error
// (upstream Morph's memory monitor divided by a MemTotal of 0), an invalid
// instruction.
constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
struct SavedHandlers {
  struct sigaction action[std::size(kFaultSignals)];
  stack_t stack;
};
SavedHandlers g_saved;
alignas(16) char g_alt_stack[64 * 1024];

}  // namespace

SutOutcome call_sut(ops::OpCode code, std::uint64_t a, std::uint64_t b, std::uint64_t c, bool checked_alloc_entry,
                    bool zeroed_stack, std::uint64_t stack_address_depth) {
  SutOutcome out;
  const int jumped = _setjmp(g_jump);
  if (jumped == 0) {
    g_call_serial = g_call_serial + 1;
    g_armed = 1;
    SutCall call = sut_call(code, checked_alloc_entry);
    if (zeroed_stack) call.stack_pattern = 0;
    call.stack_address_depth = stack_address_depth;
    out.value = call_through_boundary(call, {a, b, c}, g_boundary);
    g_armed = 0;
    out.boundary_violation = violation(g_boundary);
    return out;
  }
  if (jumped == kJumpExit) {
    out.kind = SutOutcome::Kind::exited;
    out.exit_code = g_exit_code;
  } else if (jumped == kJumpHang) {
    out.kind = SutOutcome::Kind::hung;
    out.hang_intervals = g_stopped_after_intervals;
    out.hang_mapped_bytes = g_stopped_with_mapped_bytes;
  } else {
    out.kind = SutOutcome::Kind::faulted;
    out.signal = g_signal;
    out.fault_address = g_fault_address;
  }
  return out;
}

void catch_simulated_exits(bool on) { simos::SimOs::instance().set_exit_handler(on ? &on_simulated_exit : nullptr); }

// The handler and the timer are installed once per process (and again in a
// forked child, whose timers fork does not keep), not once per run: a
// fuzzer starts a run per input, and four system calls each would show.
// Between runs the ticks find nothing watched and return.
HangWatch::HangWatch(double interval_seconds, const model::OsRules& rules) {
  g_rules = &rules;
  if (!g_tick_installed || g_tick_interval != interval_seconds) {
    static const bool reset_in_children = [] {
      pthread_atfork(nullptr, nullptr, [] { g_tick_installed = false; });
      return true;
    }();
    (void)reset_in_children;
    struct sigaction action{};
    action.sa_handler = &on_tick;
    // RESTART: a tick during the harness's own system calls must not fail
    // them; NODEFER: a hang is left by longjmp, as a fault is.
    action.sa_flags = SA_RESTART | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGPROF, &action, nullptr);
    const auto whole = static_cast<time_t>(interval_seconds);
    const auto micros = static_cast<suseconds_t>((interval_seconds - static_cast<double>(whole)) * 1e6);
    itimerval timer{{whole, micros}, {whole, micros}};
    setitimer(ITIMER_PROF, &timer, nullptr);
    g_tick_installed = true;
    g_tick_interval = interval_seconds;
  }
  g_call_seen_by_tick = ~std::uint64_t{0};
  g_watching = 1;
}

HangWatch::~HangWatch() {
  g_watching = 0;
  g_rules = nullptr;
}

FaultTrap::FaultTrap() {
  stack_t stack{};
  stack.ss_sp = g_alt_stack;
  stack.ss_size = sizeof g_alt_stack;
  sigaltstack(&stack, &g_saved.stack);
  struct sigaction action{};
  action.sa_sigaction = &on_fault;
  // NODEFER: we leave the handler by longjmp, which would otherwise leave the
  // signal blocked for the rest of the process.
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < std::size(kFaultSignals); ++i) sigaction(kFaultSignals[i], &action, &g_saved.action[i]);
}

FaultTrap::~FaultTrap() {
  for (std::size_t i = 0; i < std::size(kFaultSignals); ++i) sigaction(kFaultSignals[i], &g_saved.action[i], nullptr);
  sigaltstack(&g_saved.stack, nullptr);
}

}  // namespace mf::runner
