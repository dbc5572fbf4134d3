// mfh convert: text trace <-> binary trace.
#include <cstdio>
#include <string>
#include <vector>

#include "binary_format.h"
#include "commands.h"
#include "input_file.h"
#include "output_file.h"
#include "text_format.h"

namespace mf::mfh {

namespace {

constexpr const char* kUsage =
    "usage: mfh convert [--target=T] [--text|--binary] IN OUT\n"
    "  A binary IN becomes the text trace of the ops it decodes to; a text IN (recognised by its\n"
    "  '# mfh' header) becomes the binary form of its ops (expectations are dropped). OUT '-' is\n"
    "  standard output.\n"
    "  --target=T    target of a binary IN (arena, pool, alloc, builtins, mixed); default: the\n"
    "                innermost directory of IN's path named after a target\n"
    "  --text, --binary  force IN's format\n"
    "exit status: 0 converted, 2 bad usage, an unreadable IN, or a text op with no binary form\n";

// The first op that the binary form cannot say: encoding is sequential, so
// once a prefix fails every longer one does too.
std::size_t first_unencodable(const ops::Trace& trace) {
  std::size_t good = 0;
  std::size_t bad = trace.ops.size();  // the whole trace fails
  while (bad - good > 1) {
    const std::size_t mid = good + (bad - good) / 2;
    ops::Trace head{trace.target, {trace.ops.begin(), trace.ops.begin() + static_cast<std::ptrdiff_t>(mid)}};
    (ops::encode_binary(head) ? good : bad) = mid;
  }
  return bad - 1;  // 0-based index of the op
}

}  // namespace

int convert_command(std::span<const std::string_view> args) {
  InputSelection input_selection;
  std::vector<std::string> files;
  for (std::string_view arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (const InputOption taken = take_input_option(arg, "convert", input_selection);
               taken != InputOption::not_mine) {
      if (taken == InputOption::bad) return 2;
    } else if (arg.starts_with("--")) {
      std::fprintf(stderr, "mfh convert: unknown option '%s'\n%s", std::string(arg).c_str(), kUsage);
      return 2;
    } else {
      files.emplace_back(arg);
    }
  }
  if (files.size() != 2) {
    std::fprintf(stderr, "mfh convert: needs IN and OUT\n%s", kUsage);
    return 2;
  }
  const LoadedInput input = load_input(files[0], input_selection.format, input_selection.target);
  if (!input.trace) {
    std::fprintf(stderr, "mfh convert: %s: %s\n", files[0].c_str(), input.error.c_str());
    return 2;
  }
  std::string bytes;
  if (input.text) {
    std::optional<std::vector<std::uint8_t>> encoded = ops::encode_binary(*input.trace);
    if (!encoded && input.trace->ops.empty()) {
      std::fprintf(stderr, "mfh convert: %s: the binary form cannot hold it\n", files[0].c_str());
      return 2;
    }
    if (!encoded) {
      const std::size_t at = first_unencodable(*input.trace);
      std::fprintf(stderr, "mfh convert: %s: op %zu (%s) has no binary form\n", files[0].c_str(), at + 1,
                   ops::format_op(input.trace->ops[at]).c_str());
      return 2;
    }
    bytes.assign(encoded->begin(), encoded->end());
  } else {
    if (input.ignored_bytes != 0) {
      std::fprintf(stderr, "mfh convert: %s: %zu trailing bytes of an incomplete op ignored\n", files[0].c_str(),
                   input.ignored_bytes);
    }
    bytes = ops::write_text_trace(*input.trace);
  }
  std::string error;
  if (!write_output(files[1], bytes, error)) {
    std::fprintf(stderr, "mfh convert: %s\n", error.c_str());
    return 2;
  }
  return 0;
}

}  // namespace mf::mfh
