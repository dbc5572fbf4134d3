#include "fuzz_run.h"

#include <malloc.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "binary_format.h"
#include "crash_site.h"
#include "divergence_signature.h"
#include "op_calls.h"
#include "runner.h"
#include "text_format.h"

namespace mf::fuzz {

namespace {

// With MF_FUZZ_STATS set, what the inputs did is printed at exit: an
// exec/s figure means little without the ops each exec ran (an input that
// exits at its first op is cheap).
struct RunStats {
  std::uint64_t inputs = 0, ops_run = 0, ops_skipped = 0, exits = 0;
};
RunStats stats;

// And what they cost the kernel, for the whole process: in a VM a page fault
// or a system call costs microseconds, and most of an execution can be
// the kernel's (harness/fuzz/README.md).
void print_stats() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& t) { return static_cast<long long>(t.tv_sec) * 1000 + t.tv_usec / 1000; };
  std::fprintf(stderr,
               "mf-fuzz-stats: inputs=%llu ops_run=%llu ops_skipped=%llu exits=%llu page_faults=%lld user_ms=%lld "
               "system_ms=%lld\n",
               static_cast<unsigned long long>(stats.inputs), static_cast<unsigned long long>(stats.ops_run),
               static_cast<unsigned long long>(stats.ops_skipped), static_cast<unsigned long long>(stats.exits),
               static_cast<long long>(usage.ru_minflt + usage.ru_majflt), ms(usage.ru_utime), ms(usage.ru_stime));
}

}  // namespace

void require_in_process_runs() {
  if (std::getenv("MF_FUZZ_STATS") != nullptr) std::atexit(print_stats);
  if (!runner::sut_state_restorable()) {
    // run_trace would then fork once per input: correct but far too slow to
    // fuzz, and faults would no longer reach the fuzzer.
    std::fprintf(stderr, "mf-fuzz: this SUT build keeps its globals outside morph_state; cannot fuzz in-process\n");
    std::abort();
  }
}

void keep_freed_heap_memory() {
  // The heap's top is given back only past 256 MiB free (no run frees that
  // much), and each growth asks for 16 MiB more than it needs, so that a
  // larger run does not grow the heap a page at a time.
  constexpr int kTrimThreshold = 256 << 20;
  constexpr int kTopPad = 16 << 20;
  if (mallopt(M_TRIM_THRESHOLD, kTrimThreshold) != 1 || mallopt(M_TOP_PAD, kTopPad) != 1) {
    std::fprintf(stderr, "mf-fuzz: mallopt refused the heap settings; fuzzing goes on, slower\n");
  }
}

InputVerdict run_one_input(ops::Target target, const std::uint8_t* data, std::size_t size) {
  // The ops this SUT lacks are never decoded (looked up once per target).
  static const std::vector<ops::OpCode> left_out = runner::ops_not_implemented(target);
  const ops::BinaryDecodeResult decoded =
      ops::decode_binary(std::span<const std::uint8_t>(data, size), target, left_out);

  runner::RunOptions options;
  options.mode = runner::OsMode::simulated;
  options.catch_faults = false;
  const runner::RunResult result = runner::run_trace(decoded.trace, options);

  ++stats.inputs;
  stats.ops_run += result.ops_run;
  stats.ops_skipped += result.ops_skipped;
  if (result.exit_code) ++stats.exits;

  if (result.verdict == runner::Verdict::diverged) {
    const runner::Divergence& d = *result.divergence;
    const std::string signature = runner::to_string(runner::divergence_signature(target, d));
    // The trace first, so that the signature is the last line before the
    // fuzzer's own crash report, where triage scripts look for it.
    std::fprintf(stderr, "mf-fuzz: the input as a text trace:\n%s\n%s\n%s\n",
                 ops::write_text_trace(decoded.trace).c_str(), runner::to_text(d).c_str(), signature.c_str());
    std::fflush(stderr);
    crash_for_signature(signature);  // a place of its own: crash_site.h
  }
  // A binary trace skips ops outside the contract instead of being invalid;
  // an invalid verdict would be a decoder bug, which the fuzzer should not
  // learn from.
  return result.verdict == runner::Verdict::invalid ? InputVerdict::invalid : InputVerdict::agree;
}

}  // namespace mf::fuzz
