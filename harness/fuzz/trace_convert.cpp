// mf-fuzz-convert - moves traces between the forms the fuzzers and people use.
//
//   mf-fuzz-convert to-binary TARGET OUTDIR TRACE...
//       each text trace of TARGET -> OUTDIR/<name without .trace> (a seed);
//       a trace the binary form cannot say is skipped with a note
//   mf-fuzz-convert to-text TARGET INPUT OUTPUT [COMMENT...]
//       a binary input (a fuzzer's crash) -> a text trace, each COMMENT as a
//       "# " line under the header
//   mf-fuzz-convert generate TARGET OPS COUNT SEED OUTDIR [--in-contract]
//       COUNT random inputs that decode to OPS ops each (throughput runs);
//       --in-contract draws bytes below 0xC0 only, which the decoder reads as
//       SUT ops, small or boundary sizes, live handles and pointers inside
//       live memory, so that most inputs run all their ops instead of
//       stopping at an early exit
//   mf-fuzz-convert dict TARGET
//       the libFuzzer / AFL++ dictionary of TARGET on stdout
//
// Links only the trace formats (mf_ops), never the SUT: it runs nothing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "binary_format.h"
#include "binary_values.h"
#include "op_table.h"
#include "text_format.h"

namespace {

namespace fs = std::filesystem;
using namespace mf::ops;
namespace v1 = mf::ops::binary_v1;

int usage() {
  std::fprintf(stderr,
               "usage: mf-fuzz-convert to-binary TARGET OUTDIR TRACE...\n"
               "       mf-fuzz-convert to-text TARGET INPUT OUTPUT [COMMENT...]\n"
               "       mf-fuzz-convert generate TARGET OPS COUNT SEED OUTDIR [--in-contract]\n"
               "       mf-fuzz-convert dict TARGET\n");
  return 2;
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool write_file(const fs::path& path, const void* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  return static_cast<bool>(out);
}

int to_binary(Target target, const fs::path& out_dir, std::span<char*> traces) {
  fs::create_directories(out_dir);
  int written = 0, skipped = 0;
  for (const char* name : traces) {
    const fs::path path(name);
    const auto text = read_file(path);
    if (!text) {
      std::fprintf(stderr, "mf-fuzz-convert: cannot read %s\n", name);
      return 1;
    }
    const TextReadResult read = read_text_trace(*text);
    if (!read.trace) {
      std::fprintf(stderr, "mf-fuzz-convert: %s: %s\n", name, to_string(read.error).c_str());
      return 1;
    }
    if (read.trace->target != target) {
      std::printf("note: skipped %s: its target is %s, not %s\n", path.filename().c_str(),
                  std::string(target_name(read.trace->target)).c_str(), std::string(target_name(target)).c_str());
      ++skipped;
      continue;
    }
    const auto bytes = encode_binary(*read.trace);
    if (!bytes) {
      std::printf("note: skipped %s: it has no binary form (docs/traces.md, encode_binary)\n",
                  path.filename().c_str());
      ++skipped;
      continue;
    }
    if (!write_file(out_dir / path.stem(), bytes->data(), bytes->size())) {
      std::fprintf(stderr, "mf-fuzz-convert: cannot write into %s\n", out_dir.c_str());
      return 1;
    }
    ++written;
  }
  std::printf("%s: %d seed(s) written, %d trace(s) skipped\n", std::string(target_name(target)).c_str(), written,
              skipped);
  return 0;
}

int to_text(Target target, const fs::path& input, const fs::path& output, std::span<char*> comments) {
  const auto bytes = read_file(input);
  if (!bytes) {
    std::fprintf(stderr, "mf-fuzz-convert: cannot read %s\n", input.c_str());
    return 1;
  }
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes->data());
  const BinaryDecodeResult decoded = decode_binary({data, bytes->size()}, target);
  std::string text = write_text_trace(decoded.trace);
  // The comments go right under the header, which must stay the first line.
  std::string notes;
  for (const char* comment : comments) notes += std::string("# ") + comment + "\n";
  text.insert(text.find('\n') + 1, notes);
  if (!write_file(output, text.data(), text.size())) {
    std::fprintf(stderr, "mf-fuzz-convert: cannot write %s\n", output.c_str());
    return 1;
  }
  return 0;
}

int generate(Target target, std::size_t ops, int count, unsigned seed, const fs::path& out_dir, bool in_contract) {
  fs::create_directories(out_dir);
  std::mt19937 random(seed);
  for (int i = 0; i < count; ++i) {
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
    if (!write_file(path, bytes.data(), bytes.size())) return 1;
  }
  return 0;
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

int dict(Target target) {
  std::printf("# Dictionary of the %s fuzz targets (binary trace format v1, docs/traces.md).\n",
              std::string(target_name(target)).c_str());
  std::printf("# Generated by `mf-fuzz-convert dict %s`; the fuzz-smoke tests check it is current.\n",
              std::string(target_name(target)).c_str());
  const auto sut = sut_ops_of(target);
  const auto control = control_ops_of(target);
  std::printf("\n# Opcode bytes: the SUT ops by position, then the control ops from 0xF0.\n");
  for (std::size_t i = 0; i < sut.size(); ++i) {
    const std::uint8_t b = static_cast<std::uint8_t>(i);
    std::printf("op_%s=\"%s\"\n", std::string(info(sut[i]).name).c_str(), escaped({&b, 1}).c_str());
  }
  for (std::size_t i = 0; i < control.size(); ++i) {
    const std::uint8_t b = static_cast<std::uint8_t>(v1::kControlOpcodeBase + i);
    std::printf("op_%s=\"%s\"\n", std::string(info(control[i]).name).c_str(), escaped({&b, 1}).c_str());
  }
  // Each SUT op followed by a boundary size: creations of edge sizes and
  // accesses at edge offsets, the cases the contract singles out.
  std::printf("\n# SUT ops with a boundary-table size operand (0x80 + index).\n");
  for (std::size_t i = 0; i < sut.size(); ++i) {
    const auto kinds = info(sut[i]).arg_kinds();
    if (kinds.empty() || kinds.front() != ArgKind::size) continue;
    for (std::size_t k = 0; k < v1::kBoundarySizes.size(); ++k) {
      const std::uint8_t bytes[2] = {static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(v1::kSizeTable + k)};
      std::printf("%s_%llu=\"%s\"\n", std::string(info(sut[i]).name).c_str(),
                  static_cast<unsigned long long>(v1::kBoundarySizes[k]), escaped(bytes).c_str());
    }
  }
  std::printf("\n# 64-bit sizes just around the request limits, not in the boundary table.\n");
  for (std::uint64_t value : {(std::uint64_t{1} << 40) - 32, (std::uint64_t{1} << 40) - 33,
                              (std::uint64_t{1} << 40) - 48, (std::uint64_t{1} << 40) - 1}) {
    std::printf("size64_%llu=\"%s\"\n", static_cast<unsigned long long>(value), escaped(size64(value)).c_str());
  }
  std::printf("\n# Pointer selectors: relative (-, .start), null page, high zone; null handle.\n");
  const std::uint8_t selectors[] = {v1::kRelativeBase, v1::kRelativeBase | v1::kRelativeNegative,
                                    v1::kRelativeBase | v1::kRelativeStart, v1::kNullZoneBase, v1::kHighZoneBase,
                                    v1::kExplicitSize};
  const char* selector_names[] = {"relative", "relative_minus", "relative_start", "null_page", "high_zone",
                                  "explicit_size"};
  for (std::size_t i = 0; i < std::size(selectors); ++i) {
    std::printf("ptr_%s=\"%s\"\n", selector_names[i], escaped({&selectors[i], 1}).c_str());
  }
  std::printf("null_handle=\"%s\"\n", escaped({&v1::kNullHandleByte, 1}).c_str());
  return 0;
}

std::optional<Target> parse_target(const char* name) {
  const auto target = target_from_name(name);
  if (!target) std::fprintf(stderr, "mf-fuzz-convert: unknown target '%s'\n", name);
  return target;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string command = argv[1];
  const auto target = parse_target(argv[2]);
  if (!target) return 2;
  std::span<char*> rest(argv + 3, static_cast<std::size_t>(argc - 3));
  if (command == "to-binary" && rest.size() >= 1) return to_binary(*target, rest[0], rest.subspan(1));
  if (command == "to-text" && rest.size() >= 2) return to_text(*target, rest[0], rest[1], rest.subspan(2));
  const bool in_contract = rest.size() == 5 && std::string(rest[4]) == "--in-contract";
  if (command == "generate" && (rest.size() == 4 || in_contract)) {
    return generate(*target, std::strtoull(rest[0], nullptr, 10), std::atoi(rest[1]),
                    static_cast<unsigned>(std::strtoul(rest[2], nullptr, 10)), rest[3], in_contract);
  }
  if (command == "dict" && rest.empty()) return dict(*target);
  return usage();
}
