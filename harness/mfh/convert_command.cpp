// mfh convert: text trace <-> binary trace.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "binary_format.h"
#include "commands.h"
#include "corpus_forms.h"
#include "input_file.h"
#include "output_file.h"
#include "text_format.h"

namespace mf::mfh {

namespace {

constexpr const char* kUsage =
    "usage: mfh convert [--target=T] [--text|--binary] [--comment=TEXT]... IN OUT\n"
    "       mfh convert --seeds --target=T --out-dir=DIR TRACE...\n"
    "       mfh convert --generate=OPS --count=N --seed=S [--in-contract] --target=T --out-dir=DIR\n"
    "       mfh convert --dict --target=T [OUT]\n"
    "  A binary IN becomes the text trace of the ops it decodes to (each --comment as a '# ' line under\n"
    "  the header); a text IN (recognised by its '# mfh' header) becomes the binary form of its ops\n"
    "  (expectations are dropped). OUT '-' is standard output.\n"
    "  --seeds       each text TRACE of target T -> DIR/<name without .trace>, a fuzzer's seed; traces\n"
    "                of another target or with no binary form are skipped with a note\n"
    "  --generate    N random binary inputs of OPS ops each (throughput runs), from seed S;\n"
    "                --in-contract keeps to bytes that decode to ops inside the contract\n"
    "  --dict        the libFuzzer / AFL++ dictionary of T's binary form (corpus/dict/T.dict)\n"
    "  --target=T    target of a binary IN (arena, pool, alloc, builtins, mixed); default: the\n"
    "                innermost directory of IN's path named after a target\n"
    "  --text, --binary  force IN's format\n"
    "exit status: 0 converted, 2 bad usage, an unreadable IN, or a text op with no binary form\n";

bool parse_count(std::string_view value, std::size_t& out) {
  const std::string text(value);
  char* end = nullptr;
  out = std::strtoull(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0';
}

enum class Mode { one, seeds, generate, dict };

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
  std::vector<std::string> comments;
  Mode mode = Mode::one;
  std::string out_dir;
  std::size_t ops_per_input = 0, count = 0, seed = 0;
  bool in_contract = false;
  for (std::string_view arg : args) {
    bool number_ok = true;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (const InputOption taken = take_input_option(arg, "convert", input_selection);
               taken != InputOption::not_mine) {
      if (taken == InputOption::bad) return 2;
    } else if (arg.starts_with("--comment=")) {
      comments.emplace_back(arg.substr(10));
    } else if (arg == "--seeds") {
      mode = Mode::seeds;
    } else if (arg == "--dict") {
      mode = Mode::dict;
    } else if (arg.starts_with("--generate=")) {
      mode = Mode::generate;
      number_ok = parse_count(arg.substr(11), ops_per_input) && ops_per_input > 0;
    } else if (arg.starts_with("--count=")) {
      number_ok = parse_count(arg.substr(8), count);
    } else if (arg.starts_with("--seed=")) {
      number_ok = parse_count(arg.substr(7), seed);
    } else if (arg == "--in-contract") {
      in_contract = true;
    } else if (arg.starts_with("--out-dir=")) {
      out_dir = std::string(arg.substr(10));
    } else if (arg.starts_with("--")) {
      std::fprintf(stderr, "mfh convert: unknown option '%s'\n%s", std::string(arg).c_str(), kUsage);
      return 2;
    } else {
      files.emplace_back(arg);
    }
    if (!number_ok) {
      std::fprintf(stderr, "mfh convert: bad number in '%s'\n", std::string(arg).c_str());
      return 2;
    }
  }
  if (mode != Mode::one) {
    const bool needs_dir = mode != Mode::dict;
    if (!input_selection.target || (needs_dir && out_dir.empty()) || (mode == Mode::seeds && files.empty()) ||
        (mode == Mode::generate && !files.empty()) || (mode == Mode::dict && files.size() > 1)) {
      std::fprintf(stderr, "mfh convert: missing or extra arguments\n%s", kUsage);
      return 2;
    }
    const ops::Target target = *input_selection.target;
    if (mode == Mode::seeds) return write_seeds(target, out_dir, files);
    if (mode == Mode::generate)
      return generate_inputs(target, ops_per_input, count, static_cast<unsigned>(seed), out_dir, in_contract);
    std::string error;
    if (!write_output(files.empty() ? "-" : files[0], dictionary(target), error)) {
      std::fprintf(stderr, "mfh convert: %s\n", error.c_str());
      return 2;
    }
    return 0;
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
  if (input.text && !comments.empty()) {
    std::fprintf(stderr, "mfh convert: --comment goes with a binary IN (the binary form has no comments)\n");
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
    // The comments go right under the header, which must stay the first line.
    std::string notes;
    for (const std::string& comment : comments) notes += "# " + comment + "\n";
    bytes.insert(bytes.find('\n') + 1, notes);
  }
  std::string error;
  if (!write_output(files[1], bytes, error)) {
    std::fprintf(stderr, "mfh convert: %s\n", error.c_str());
    return 2;
  }
  return 0;
}

}  // namespace mf::mfh
