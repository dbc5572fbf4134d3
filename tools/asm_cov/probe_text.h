// The assembly text the instrumenter adds: the probe, the trampoline that
// replaces a short-range jump, and the trailer that defines the counters and
// the file's record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mf::asm_cov {

// Names of the symbols an instrumented file defines; `id` is a C identifier
// fragment, unique among the files linked together.
struct ProbeSymbols {
  std::string counters;        // hidden global: __mf_asm_cov_<id>_counters
  std::string local_counters;  // assembler-local alias the probes address
};
ProbeSymbols probe_symbols(std::string_view id);

// One line: bumps counter `index` and leaves every register, every flag and
// the 128-byte red zone below rsp as they were.
std::string probe_line(const ProbeSymbols& symbols, std::size_t index);

// jrcxz, jecxz and the loop family only exist with an 8-bit displacement, so
// the probes added inside their range could push the target out of reach.
// Lines that replace `<prefix_and_mnemonic> <target>`: the short jump goes to
// a trampoline right behind it whose `jmp` reaches anywhere.  No flag changes;
// `unique` makes the trampoline's labels unique in the file.
std::string short_jump_trampoline(std::string_view prefix_and_mnemonic,
                                  std::string_view target, std::size_t unique);
bool has_short_range_only(std::string_view mnemonic);

// Defines the counter array (in __libfuzzer_extra_counters, 64-byte aligned,
// one byte per probe) and the file's record in mf_asm_cov_files:
// { counters, count, name, name hash } as four quads.
std::string trailer(const ProbeSymbols& symbols, std::string_view file_name,
                    std::uint64_t hash, std::size_t count);

}  // namespace mf::asm_cov
