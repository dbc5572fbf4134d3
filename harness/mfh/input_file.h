// input_file.h - reading one input of `mfh`: a text trace (recognised by its
// header) or a binary one (decoded for a target given on the command line or
// named by a directory of its path, e.g. corpus/regressions/arena/crash-1).
// Never crashes on bad input: every failure is a reason string.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "op.h"

namespace mf::mfh {

inline constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20;

enum class InputFormat { detect, text, binary };

struct LoadedInput {
  std::optional<ops::Trace> trace;  // set on success
  std::string error;                // why not, on failure
  bool text = false;
  std::size_t ignored_bytes = 0;    // binary: bytes of an incomplete last op
};

LoadedInput load_input(const std::string& path, InputFormat format, std::optional<ops::Target> target);

// How the inputs of a subcommand are to be read: the options --text,
// --binary and --target=T, which every subcommand that reads traces shares.
struct InputSelection {
  InputFormat format = InputFormat::detect;
  std::optional<ops::Target> target;
};
enum class InputOption { not_mine, taken, bad };
// Takes `arg` into `selection` if it is one of those options; on a bad value
// prints "mfh <command>: ..." on stderr and returns bad (exit 2 follows).
InputOption take_input_option(std::string_view arg, const char* command, InputSelection& selection);

// The target named by the innermost directory of `path` that is a target name.
std::optional<ops::Target> target_from_path(const std::string& path);

}  // namespace mf::mfh
