// object_code.h - one assembled object file as the proofs see it: the
// instructions objdump prints, their relocations, the symbol table and the
// bytes of the data sections.  Reading objdump's text (rather than decoding
// machine code ourselves) keeps the executor small; the price is that every
// form objdump can print must be parsed here or rejected loudly.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mf::proof {

struct Relocation {
  std::uint64_t offset = 0;  // section offset of the patched field
  std::string type;          // R_X86_64_PC32, R_X86_64_PLT32, ...
  std::string symbol;        // a symbol or a section name
  std::int64_t addend = 0;
};

struct Instruction {
  std::string section;
  std::uint64_t address = 0;       // offset in its section
  std::uint64_t next_address = 0;  // where execution continues after it
  std::string mnemonic;            // prefixes included: "rep stos"
  std::vector<std::string> operands;  // AT&T order, as printed, comment removed
  std::string text;                   // the printed instruction, for messages
  std::vector<Relocation> relocations;
};

struct Symbol {
  std::string name;
  std::string section;  // "*UND*" when defined elsewhere
  std::uint64_t value = 0;
  std::uint64_t size = 0;
  bool global = false;
  bool is_section = false;
  bool is_function = false;
};

class ObjectCode {
 public:
  // Runs `objdump` on the object and parses what it prints.  Throws
  // std::runtime_error when objdump fails or prints something unexpected.
  static ObjectCode load(const std::string& objdump, const std::string& object_path);

  const std::string& path() const { return path_; }
  const Instruction* instruction_at(const std::string& section, std::uint64_t address) const;
  // A symbol defined in this object (not *UND*), by name.
  const Symbol* defined_symbol(const std::string& name) const;
  // Every symbol of the object's table, defined or not.
  const std::vector<Symbol>& symbols() const { return symbols_; }
  // The nearest symbol at or before an address, as "name+0x1a", for messages.
  std::string describe(const std::string& section, std::uint64_t address) const;
  // The data symbol whose [value, value + max(size, 1)) holds an offset, if any.
  const Symbol* data_symbol_at(const std::string& section, std::uint64_t offset) const;
  bool has_section(const std::string& section) const { return section_sizes_.count(section) != 0; }
  std::uint64_t section_size(const std::string& section) const;
  // Contents of a section that has file contents (.rodata, .data); nullptr
  // for sections without (.bss) or unknown ones.
  const std::vector<std::uint8_t>* section_bytes(const std::string& section) const;
  bool section_is_writable(const std::string& section) const;
  // Sections that occupy memory at run time and hold no code, in file order.
  const std::vector<std::string>& data_sections() const { return data_sections_; }

 private:
  std::string path_;
  std::map<std::string, std::map<std::uint64_t, Instruction>> code_;
  std::vector<Symbol> symbols_;
  std::map<std::string, std::uint64_t> section_sizes_;
  std::map<std::string, bool> section_writable_;
  std::vector<std::string> data_sections_;
  std::map<std::string, std::vector<std::uint8_t>> section_bytes_;
};

// "name-0x4" -> {"name", -4}; "name" -> {"name", 0}.
std::pair<std::string, std::int64_t> split_symbol_addend(const std::string& text);

}  // namespace mf::proof
