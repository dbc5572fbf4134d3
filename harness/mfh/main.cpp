// mfh - the Morph harness's command-line tool.

#include <cstdio>
#include <span>
#include <string_view>
#include <vector>

#include "commands.h"
#ifdef MF_MFH_CHECK
#include "check_command.h"
#endif
#ifdef MF_MFH_MUTATE
#include "mutate_command.h"
#endif

namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(std::span<const std::string_view> args);
};

constexpr Command kCommands[] = {
    {"replay", "run traces (text or binary) on the SUT and the model and report the first divergence",
     &mf::mfh::replay_command},
    {"convert", "turn a binary trace into text, or a text trace into binary", &mf::mfh::convert_command},
    {"minimize", "shrink a diverging trace to a small one with the same divergence", &mf::mfh::minimize_command},
    {"reproduce", "from a saved input (a fuzzer's crash file, a trace) to its divergence and a regression trace",
     &mf::mfh::reproduce_command},
    {"triage", "group saved inputs by divergence signature; one minimised regression trace per new one",
     &mf::mfh::triage_command},
    {"report", "a campaign's reports (md, json, SARIF, svg, html) from its output directory",
     &mf::mfh::report_command},
    {"gen-test", "write a GoogleTest case that replays a trace", &mf::mfh::gen_test_command},
    {"ops", "which ops of each target this SUT implements (the rest are not checked)", &mf::mfh::ops_command},
#ifdef MF_MFH_CHECK
    {"check", "check .s files in place of asm/'s in seconds: corpora, RapidCheck rounds, a fuzz",
     &mf::check::check_command},
#endif
#ifdef MF_MFH_MUTATE
    {"mutate", "mutation testing of .s files: which small bugs the corpora, RapidCheck, proofs and fuzz catch",
     &mf::mutate::mutate_command},
#endif
#ifdef MF_MFH_COV
    {"cov", "run a corpus on the instrumented assembly and list the hits of every probe", &mf::mfh::cov_command},
#endif
};

int usage(std::FILE* out) {
  std::fputs("usage: mfh <command> [arguments]   (mfh <command> --help for details)\ncommands:\n", out);
  for (const Command& c : kCommands) {
    std::fprintf(out, "  %-11.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  }
  return out == stdout ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(stderr);
  const std::string_view name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") return usage(stdout);
  std::vector<std::string_view> args(argv + 2, argv + argc);
  for (const Command& c : kCommands) {
    if (c.name == name) return c.run(args);
  }
  std::fprintf(stderr, "mfh: unknown command '%s'\n", argv[1]);
  return usage(stderr);
}
