#include "corpus_forms.h"

#include <algorithm>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <span>
#include <string_view>

#include "binary_format.h"
#include "binary_values.h"
#include "op_table.h"
#include "output_file.h"
#include "text_format.h"

namespace mf::mfh {

namespace {

namespace fs = std::filesystem;
using namespace mf::ops;
namespace v1 = mf::ops::binary_v1;

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool write_file(const fs::path& path, const void* data, std::size_t size) {
  std::string error;
  if (write_output(path.string(), std::string_view(static_cast<const char*>(data), size), error)) return true;
  std::fprintf(stderr, "mfh convert: %s\n", error.c_str());
  return false;
}

// printf into a string: the dictionary is built, then written once.
void append(std::string& out, const char* format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  out += buffer;
}

std::string escaped(std::span<const std::uint8_t> bytes) {
  std::string text;
  char buffer[8];
  for (std::uint8_t b : bytes) {
    std::snprintf(buffer, sizeof buffer, "\\x%02X", b);
    text += buffer;
  }
  return text;
}

std::vector<std::uint8_t> size64(std::uint64_t value) {
  std::vector<std::uint8_t> bytes{v1::kSize64};
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
  return bytes;
}

}  // namespace

// A trace that says "# not a seed: <why>" among its header comments (a
// regression that is slow by design, say) is replayed by the tests but never
// handed to a fuzzer, which would spend its executions mutating it.
static std::optional<std::string> not_a_seed(const std::string& text) {
  constexpr std::string_view kMark = "# not a seed:";
  std::size_t at = 0;
  while (at < text.size() && text[at] == '#') {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line(text.data() + at, end - at);
    if (line.starts_with(kMark)) {
      std::string_view why = line.substr(kMark.size());
      while (!why.empty() && why.front() == ' ') why.remove_prefix(1);
      return std::string(why);
    }
    at = end + 1;
  }
  return std::nullopt;
}

int write_seeds(Target target, const std::string& out_dir_name, const std::vector<std::string>& traces) {
  const fs::path out_dir(out_dir_name);
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  int written = 0, skipped = 0;
  for (const std::string& name : traces) {
    const fs::path path(name);
    const auto text = read_file(path);
    if (!text) {
      std::fprintf(stderr, "mfh convert: cannot read %s\n", name.c_str());
      return 2;
    }
    const TextReadResult read = read_text_trace(*text);
    if (!read.trace) {
      std::fprintf(stderr, "mfh convert: %s: %s\n", name.c_str(), to_string(read.error).c_str());
      return 2;
    }
    if (const std::optional<std::string> why = not_a_seed(*text)) {
      std::fprintf(stderr, "note: skipped %s: not a seed: %s\n", path.filename().c_str(), why->c_str());
      ++skipped;
      continue;
    }
    if (read.trace->target != target) {
      std::fprintf(stderr, "note: skipped %s: its target is %s, not %s\n", path.filename().c_str(),
                  std::string(target_name(read.trace->target)).c_str(), std::string(target_name(target)).c_str());
      ++skipped;
      continue;
    }
    const auto bytes = encode_binary(*read.trace);
    if (!bytes) {
      std::fprintf(stderr, "note: skipped %s: it has no binary form (docs/traces.md, encode_binary)\n",
                  path.filename().c_str());
      ++skipped;
      continue;
    }
    if (!write_file(out_dir / path.stem(), bytes->data(), bytes->size())) return 2;
    ++written;
  }
  std::fprintf(stderr, "%s: %d seed(s) written, %d trace(s) skipped\n", std::string(target_name(target)).c_str(), written,
              skipped);
  return 0;
}

int generate_inputs(Target target, std::size_t ops, std::size_t count, unsigned seed, const std::string& out_dir_name,
                    bool in_contract) {
  const fs::path out_dir(out_dir_name);
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  std::mt19937 random(seed);
  for (std::size_t i = 0; i < count; ++i) {
    // Random bytes until they decode to exactly `ops` ops: one op is a few
    // bytes, so add a byte at a time and stop at the first length that fits.
    std::vector<std::uint8_t> bytes;
    for (;;) {
      // Below 0xC0 (binary_values.h): no control ops, no null handle, no
      // relative or zone pointers, no explicit mem_free size.
      const unsigned limit = in_contract ? v1::kRelativeBase : 256;
      bytes.push_back(static_cast<std::uint8_t>(random() % limit));
      const std::size_t decoded = decode_binary(bytes, target).trace.ops.size();
      if (decoded == ops) break;
      if (decoded > ops) bytes.clear();  // an op that made two (a missing handle): start over
    }
    const fs::path path = out_dir / ("ops" + std::to_string(ops) + "-" + std::to_string(i));
    if (!write_file(path, bytes.data(), bytes.size())) return 2;
  }
  return 0;
}

std::string dictionary(Target target) {
  std::string out;
  append(out, "# Dictionary of the %s fuzz targets (binary trace format v1, docs/traces.md).\n",
              std::string(target_name(target)).c_str());
  append(out, "# Generated by `mfh convert --dict --target=%s`; the fuzz-smoke tests check it is current.\n",
              std::string(target_name(target)).c_str());
  const auto sut = sut_ops_of(target);
  const auto control = control_ops_of(target);
  append(out, "\n# Opcode bytes: the SUT ops by position, then the control ops from 0xF0.\n");
  for (std::size_t i = 0; i < sut.size(); ++i) {
    const std::uint8_t b = static_cast<std::uint8_t>(i);
    append(out, "op_%s=\"%s\"\n", std::string(info(sut[i]).name).c_str(), escaped({&b, 1}).c_str());
  }
  for (std::size_t i = 0; i < control.size(); ++i) {
    const std::uint8_t b = static_cast<std::uint8_t>(v1::kControlOpcodeBase + i);
    append(out, "op_%s=\"%s\"\n", std::string(info(control[i]).name).c_str(), escaped({&b, 1}).c_str());
  }
  // Each SUT op followed by a boundary size: creations of edge sizes and
  // accesses at edge offsets, the cases the contract singles out.
  append(out, "\n# SUT ops with a boundary-table size operand (0x80 + index).\n");
  for (std::size_t i = 0; i < sut.size(); ++i) {
    const auto kinds = info(sut[i]).arg_kinds();
    if (kinds.empty() || kinds.front() != ArgKind::size) continue;
    for (std::size_t k = 0; k < v1::kBoundarySizes.size(); ++k) {
      const std::uint8_t bytes[2] = {static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(v1::kSizeTable + k)};
      append(out, "%s_%llu=\"%s\"\n", std::string(info(sut[i]).name).c_str(),
                  static_cast<unsigned long long>(v1::kBoundarySizes[k]), escaped(bytes).c_str());
    }
  }
  // The most memory a trace may allow: objects past the default limit
  // (docs/traces.md, memory_limit) are then one token away.
  for (std::size_t i = 0; i < control.size(); ++i) {
    const auto kinds = info(control[i]).arg_kinds();
    if (kinds.empty() || kinds.front() != ArgKind::limit) continue;
    const std::uint8_t bytes[2] = {static_cast<std::uint8_t>(v1::kControlOpcodeBase + i),
                                   static_cast<std::uint8_t>(v1::kLimitShifts - 1)};
    const std::uint64_t highest = std::uint64_t{1} << (v1::kLimitLowestShift + v1::kLimitShifts - 1);
    append(out, "\n# The highest memory limit a trace may set.\n%s_%llu=\"%s\"\n",
                std::string(info(control[i]).name).c_str(), static_cast<unsigned long long>(highest),
                escaped(bytes).c_str());
  }
  append(out, "\n# 64-bit sizes just around the request limits, not in the boundary table.\n");
  for (std::uint64_t value : {(std::uint64_t{1} << 40) - 32, (std::uint64_t{1} << 40) - 33,
                              (std::uint64_t{1} << 40) - 48, (std::uint64_t{1} << 40) - 1}) {
    append(out, "size64_%llu=\"%s\"\n", static_cast<unsigned long long>(value), escaped(size64(value)).c_str());
  }
  append(out, "\n# Pointer selectors: relative (-, .start), null page, high zone; null handle.\n");
  const std::uint8_t selectors[] = {v1::kRelativeBase, v1::kRelativeBase | v1::kRelativeNegative,
                                    v1::kRelativeBase | v1::kRelativeStart, v1::kNullZoneBase, v1::kHighZoneBase,
                                    v1::kExplicitSize};
  const char* selector_names[] = {"relative", "relative_minus", "relative_start", "null_page", "high_zone",
                                  "explicit_size"};
  for (std::size_t i = 0; i < std::size(selectors); ++i) {
    append(out, "ptr_%s=\"%s\"\n", selector_names[i], escaped({&selectors[i], 1}).c_str());
  }
  append(out, "null_handle=\"%s\"\n", escaped({&v1::kNullHandleByte, 1}).c_str());
  return out;
}

}  // namespace mf::mfh
