#include "probe_text.h"

#include <cinttypes>
#include <cstdio>

namespace mf::asm_cov {

ProbeSymbols probe_symbols(std::string_view id) {
  return {"__mf_asm_cov_" + std::string(id) + "_counters", ".L__mf_asm_cov_counters"};
}

std::string probe_line(const ProbeSymbols& symbols, std::size_t index) {
  // Step over the red zone before pushq writes below rsp; lea moves rsp
  // without touching the flags.  The flags are kept in rax rather than with
  // pushfq/popfq, which cost ~15x more (popfq is microcoded): lahf saves SF
  // ZF AF PF CF in ah, seto saves OF in al.  addb sets CF only when the
  // counter wraps from 255 to 0, and sbbb takes it back to 255: the counter
  // saturates, so a path taken 256 times never looks untaken.  Then
  // `addb $127, %al` overflows exactly when al = 1, which restores OF, and
  // sahf restores the rest; DF and the system flags are never written.
  std::string slot = symbols.local_counters + "+" + std::to_string(index) + "(%rip)";
  return "        leaq -128(%rsp), %rsp; pushq %rax; lahf; seto %al; addb $1, " + slot +
         "; sbbb $0, " + slot + "; addb $127, %al; sahf; popq %rax; leaq 128(%rsp), %rsp" +
         "  # mf-asm-cov probe " + std::to_string(index);
}

bool has_short_range_only(std::string_view m) {
  return m == "jrcxz" || m == "jecxz" || m == "jcxz" || m.rfind("loop", 0) == 0;
}

std::string short_jump_trampoline(std::string_view prefix_and_mnemonic,
                                  std::string_view target, std::size_t unique) {
  std::string n = std::to_string(unique);
  std::string taken = ".L__mf_asm_cov_taken_" + n;
  std::string fall = ".L__mf_asm_cov_fall_" + n;
  return "        " + std::string(prefix_and_mnemonic) + " " + taken + "; jmp " + fall +
         "  # mf-asm-cov: short jump to " + std::string(target) + " via a trampoline\n" +
         taken + ": jmp " + std::string(target) + "\n" + fall + ":";
}

std::string trailer(const ProbeSymbols& symbols, std::string_view file_name,
                    std::uint64_t hash, std::size_t count) {
  char hash_text[32];
  std::snprintf(hash_text, sizeof hash_text, "0x%016" PRIx64, hash);
  std::string out;
  out += "# mf-asm-cov: the counters of this file and its record (generated)\n";
  // libFuzzer reads every byte between __start___libfuzzer_extra_counters and
  // __stop___libfuzzer_extra_counters as an 8-bit hit counter; the linker
  // defines those symbols because the section name is a C identifier.
  out += "        .pushsection __libfuzzer_extra_counters, \"aw\", @progbits\n";
  out += "        .p2align 6\n";
  out += "        .globl " + symbols.counters + "\n";
  out += "        .hidden " + symbols.counters + "\n";
  out += "        .type " + symbols.counters + ", @object\n";
  out += symbols.counters + ":\n";
  out += symbols.local_counters + ":\n";
  if (count > 0) out += "        .zero " + std::to_string(count) + "\n";  // `.zero 0` warns
  out += "        .size " + symbols.counters + ", " + std::to_string(count) + "\n";
  out += "        .popsection\n";
  out += "        .pushsection .rodata.mf_asm_cov, \"a\", @progbits\n";
  out += ".L__mf_asm_cov_name:\n";
  out += "        .asciz \"" + std::string(file_name) + "\"\n";
  out += "        .popsection\n";
  // Writable because it holds addresses: no text relocations in a PIE.
  out += "        .pushsection mf_asm_cov_files, \"aw\", @progbits\n";
  out += "        .p2align 3\n";
  out += "        .quad " + symbols.counters + "\n";
  out += "        .quad " + std::to_string(count) + "\n";
  out += "        .quad .L__mf_asm_cov_name\n";
  out += "        .quad " + std::string(hash_text) + "\n";
  out += "        .popsection\n";
  return out;
}

}  // namespace mf::asm_cov
