// The map file of one instrumented .s file: what each counter counts.
//
// Text, one line per counter, so that a report can annotate the assembly and
// a person can read it:
//
//   # mf-asm-cov map v1
//   file alloc.s
//   hash 0x0123456789abcdef
//   counters 2
//   0 alloc.s 57 label mem_alloc
//   1 alloc.s 59 fallthrough-of ja .Lalloc_not_step taken 7
//
// Columns: counter index, source file name (as given to the instrumenter,
// never a path of the build machine), 1-based source line, kind.  A label
// counter counts every arrival at the label.  A fallthrough counter counts the
// not-taken side of the conditional jump on that line; its taken side is the
// counter of the target label, named after `taken` (`-` when the target is not
// an instrumented label of the same file, e.g. a function in another file).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mf::asm_cov {

enum class ProbeKind { Label, Fallthrough };

struct MapEntry {
  std::size_t index = 0;
  std::size_t line = 0;
  ProbeKind kind = ProbeKind::Label;
  std::string label;     // Label: the label's name ("1" for a numeric label)
  std::string mnemonic;  // Fallthrough: the jump, lower case
  std::string target;    // Fallthrough: the jump's operand as written
  std::optional<std::size_t> taken;  // Fallthrough: counter of the target label
};

struct CoverageMap {
  std::string file;        // the source file's name, e.g. "alloc.s"
  std::uint64_t hash = 0;  // name_hash(file): identifies the file at run time
  std::vector<MapEntry> entries;  // entries[i].index == i
};

// FNV-1a, 64 bits: the stable id of a file name, stored in the object's
// record and used to place its counters in an AFL++ map.
std::uint64_t name_hash(std::string_view name);

std::string format_map(const CoverageMap& map);

// Parses format_map's output.  Returns nullopt and sets *error (when given)
// on a malformed map.
std::optional<CoverageMap> parse_map(std::string_view text, std::string* error = nullptr);

}  // namespace mf::asm_cov
