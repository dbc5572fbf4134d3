// Inserts coverage probes into one GNU as (AT&T) source file.
//
// A probe goes (a) right after every label in a code section whose next
// statement is code, and (b) right after every conditional jump, so both
// sides of each branch are counted: the fallthrough by (b), the taken side
// by the probe of the target label.  Nothing is inserted in data sections,
// inside .macro/.rept/.irp bodies (their expansions are not visible in the
// text), or between a bare prefix such as `rep` and its instruction.  Line
// markers (`# N "file"`) keep assembler messages and debug line info pointing
// at the original lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cov_map.h"

namespace mf::asm_cov {

struct InstrumentOptions {
  std::string file_name;  // the name in the map, the record and line markers
  std::string symbol_id;  // C identifier fragment: __mf_asm_cov_<id>_counters
};

struct Instrumented {
  std::string text;  // the instrumented assembly
  CoverageMap map;
  std::vector<std::string> warnings;  // "line N: ..." for places left uninstrumented
};

Instrumented instrument(std::string_view source, const InstrumentOptions& options);

// "alloc.s" -> "alloc", "dir/my-file.s" -> "dir_my_file".
std::string default_symbol_id(std::string_view file_name);

// A file name is written into assembly strings and map columns: it must be
// relative and made of [A-Za-z0-9._+/-] only.
bool is_valid_file_name(std::string_view file_name);
bool is_valid_symbol_id(std::string_view id);

}  // namespace mf::asm_cov
