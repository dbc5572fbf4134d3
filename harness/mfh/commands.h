// commands.h - the subcommands of `mfh`.  Each takes the arguments after its
// name and returns the process exit status, the same codes everywhere:
// 0 the SUT and the model agree (or nothing new), 1 a divergence (a new
// finding), 2 bad usage or input, 3 a saved input that does not reproduce.  To add one (convert, minimize,
// ...), write its function and add a row to kCommands in main.cpp.
#pragma once

#include <span>
#include <string_view>

namespace mf::mfh {

// mfh replay [--native] [--target=T] [--text|--binary] [--quiet] FILE...
// 0: every input agrees; 1: some input diverged; 2: some input could not be
// read or run (and none diverged).
int replay_command(std::span<const std::string_view> args);

// mfh convert [--target=T] IN OUT: binary <-> text; also --seeds (text
// traces to a fuzzer's seeds), --generate (random inputs) and --dict (the
// fuzzers' dictionary).  0 converted; 2 bad input, or a text op the binary
// form cannot say.
int convert_command(std::span<const std::string_view> args);

// mfh minimize IN [-o OUT]: the smallest trace that diverges the same way.
// 0 minimized; 2 bad input or an IN that does not diverge.
int minimize_command(std::span<const std::string_view> args);

// mfh reproduce [--target=T] [--seconds=N] INPUT [-o OUT]: the input as a
// trace with its results, the divergence, its signature and the minimised
// regression trace.  1 reproduces; 3 does not; 2 bad usage or input.
int reproduce_command(std::span<const std::string_view> args);

// mfh triage [--target=T] [--seconds=N] [--known=F] [--regressions=D]
// --out=DIR INPUT...: one finding per signature.  0 nothing new; 1 new
// findings; 2 bad usage or an unreadable input; 3 nothing reproduces.
int triage_command(std::span<const std::string_view> args);

// mfh ops [--target=T]: which ops of each target this SUT implements.
// 0 listed; 2 bad usage.
int ops_command(std::span<const std::string_view> args);

// mfh report CAMPAIGN_OUT_DIR: report.md, report.json, findings.sarif,
// plots/ and report.html from a campaign's state.  0 written; 2 bad usage
// or state.
int report_command(std::span<const std::string_view> args);

// mfh gen-test IN [-o OUT.cpp] [--name NAME]: a GoogleTest case of a trace.
int gen_test_command(std::span<const std::string_view> args);

// mfh cov [--html OUT.html] CORPUS...: coverage of the instrumented assembly.
// Only in `mfh-cov` (built with MF_MFH_COV), which links morph_core_cov.
int cov_command(std::span<const std::string_view> args);

}  // namespace mf::mfh
