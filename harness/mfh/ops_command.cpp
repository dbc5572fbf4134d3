// mfh ops [--target=T]: the ops of each target (or of one), split into those
// this SUT implements and those it does not (a function it lacks, op_calls.h).
// It is how a report says which ops were checked (`mfh check` runs it on the
// mfh it links with the files being checked).
#include <cstdio>
#include <optional>
#include <string>

#include "commands.h"
#include "op_calls.h"
#include "op_table.h"
#include "runner.h"

namespace mf::mfh {

int ops_command(std::span<const std::string_view> args) {
  std::optional<ops::Target> only;
  for (std::string_view arg : args) {
    if (arg.starts_with("--target=")) {
      only = ops::target_from_name(arg.substr(9));
      if (!only) {
        std::fprintf(stderr, "mfh ops: unknown target '%s'\n", std::string(arg.substr(9)).c_str());
        return 2;
      }
    } else {
      std::fprintf(stderr, "usage: mfh ops [--target=T]\n");
      return arg == "--help" || arg == "-h" ? 0 : 2;
    }
  }
  for (ops::Target target : ops::kAllTargets) {
    if (only && *only != target) continue;
    std::string checked, missing;
    for (ops::OpCode code : ops::sut_ops_of(target)) {
      std::string& list = runner::sut_implements(code, target) ? checked : missing;
      list += (list.empty() ? "" : ", ") + std::string(ops::info(code).name);
    }
    std::printf("%s: checked: %s\n", std::string(ops::target_name(target)).c_str(), checked.c_str());
    if (!missing.empty()) {
      std::printf("%s: %s: %s\n", std::string(ops::target_name(target)).c_str(),
                  std::string(runner::kNotImplemented).c_str(), missing.c_str());
    }
  }
  return 0;
}

}  // namespace mf::mfh
