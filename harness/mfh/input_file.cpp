#include "input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>

#include "binary_format.h"
#include "op_calls.h"
#include "text_format.h"

namespace mf::mfh {

namespace {

// Up to kMaxInputBytes + 1 bytes, so that "too large" is detected without
// reading a huge file to its end.
std::optional<std::string> read_limited(const std::string& path, std::string& error) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return std::nullopt;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    error = "is a directory";
    return std::nullopt;
  }
  std::string bytes;
  char buf[65536];
  while (bytes.size() <= kMaxInputBytes) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::string("cannot read: ") + std::strerror(errno);
      close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  if (bytes.size() > kMaxInputBytes) {
    error = "too large (over " + std::to_string(kMaxInputBytes >> 20) + " MiB)";
    return std::nullopt;
  }
  return bytes;
}

}  // namespace

std::optional<ops::Target> target_from_path(const std::string& path) {
  std::optional<ops::Target> found;
  std::size_t begin = 0;
  while (begin < path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string::npos) break;  // the last component is the file itself
    if (std::optional<ops::Target> t = ops::target_from_name(std::string_view(path).substr(begin, end - begin))) found = t;
    begin = end + 1;
  }
  return found;
}

LoadedInput load_input(const std::string& path, InputFormat format, std::optional<ops::Target> target) {
  LoadedInput input;
  std::optional<std::string> bytes = read_limited(path, input.error);
  if (!bytes) return input;
  if (bytes->empty()) {
    input.error = "empty input";
    return input;
  }
  input.text = format == InputFormat::text || (format == InputFormat::detect && ops::looks_like_text_trace(*bytes));
  if (input.text) {
    ops::TextReadResult read = ops::read_text_trace(*bytes);
    if (!read.trace) {
      input.error = ops::to_string(read.error);
      return input;
    }
    input.trace = std::move(read.trace);
    return input;
  }
  if (!target) target = target_from_path(path);
  if (!target) {
    input.error = "a binary input needs a target: pass --target=<arena|pool|alloc|builtins|mixed|meminfo|daemon> or keep it in a "
                  "directory named after its target";
    return input;
  }
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes->data());
  // Decoded as the fuzzers decode it for this SUT: without the ops it lacks.
  const std::vector<ops::OpCode> left_out = runner::ops_not_implemented(*target);
  ops::BinaryDecodeResult decoded = ops::decode_binary(std::span(data, bytes->size()), *target, left_out);
  input.ignored_bytes = decoded.trailing_bytes;
  input.trace = std::move(decoded.trace);
  return input;
}

InputOption take_input_option(std::string_view arg, const char* command, InputSelection& selection) {
  if (arg == "--text") {
    selection.format = InputFormat::text;
  } else if (arg == "--binary") {
    selection.format = InputFormat::binary;
  } else if (arg.starts_with("--target=")) {
    const std::string_view name = arg.substr(9);
    selection.target = ops::target_from_name(name);
    if (!selection.target) {
      std::fprintf(stderr, "mfh %s: unknown target '%s'\n", command, std::string(name).c_str());
      return InputOption::bad;
    }
  } else {
    return InputOption::not_mine;
  }
  return InputOption::taken;
}

}  // namespace mf::mfh
