#include "code_digest.h"

#include "executor.h"
#include "sha256.h"

namespace mf::proof {

CodeDigest code_digest(const ObjectCode& code, const std::string& function) {
  const Symbol* symbol = code.defined_symbol(function);
  if (!symbol) throw ProofError(code.path() + " does not define " + function);
  const std::vector<std::uint8_t>* bytes = code.section_bytes(symbol->section);
  if (!bytes || symbol->value + symbol->size > bytes->size())
    throw ProofError("the bytes of " + function + " are not in " + code.path());
  std::string input(reinterpret_cast<const char*>(bytes->data() + symbol->value), symbol->size);
  // The relocations, one per line after the bytes, in address order.
  for (std::uint64_t pc = symbol->value; pc < symbol->value + symbol->size;) {
    const Instruction* insn = code.instruction_at(symbol->section, pc);
    if (!insn) break;
    for (const Relocation& r : insn->relocations)
      input += "\n" + std::to_string(r.offset - symbol->value) + " " + r.type + " " + r.symbol + " " +
               std::to_string(r.addend);
    pc = insn->next_address;
  }
  return CodeDigest{symbol->size, sha256_hex(input)};
}

}  // namespace mf::proof
