// object_code.cpp - parsing objdump's output (-h, -t, -s, -d -r).
#include "object_code.h"

#include <array>
#include <cstdio>
#include <memory>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace mf::proof {
namespace {

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') quoted += "'\\''";
    else quoted += c;
  }
  return quoted + "'";
}

std::string run_command(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  std::string output;
  std::array<char, 4096> buffer{};
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0) output.append(buffer.data(), n);
  int status = pclose(pipe.release());
  if (status != 0) throw std::runtime_error("command failed (" + std::to_string(status) + "): " + command);
  return output;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split_operands(const std::string& text) {
  std::vector<std::string> operands;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      operands.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!trim(current).empty()) operands.push_back(trim(current));
  return operands;
}

bool is_prefix(const std::string& token) {
  static const char* const kPrefixes[] = {"rep", "repz", "repe", "repnz", "repne", "lock", "data16",
                                          "cs", "ds", "es", "ss", "fs", "gs", "notrack", "bnd", "addr32"};
  for (const char* p : kPrefixes)
    if (token == p) return true;
  return false;
}

// "push   %rbx", "rep stos %al,%es:(%rdi)", "je     3a <f+0x3a>",
// "mov    0x0(%rip),%rax        # d <f+0xd>".
void parse_instruction_text(const std::string& raw, Instruction& insn) {
  std::string text = raw;
  std::size_t hash = text.find('#');
  if (hash != std::string::npos) text = text.substr(0, hash);
  std::size_t angle = text.find('<');
  if (angle != std::string::npos) text = text.substr(0, angle);
  text = trim(text);
  insn.text = text;
  std::stringstream in(text);
  std::vector<std::string> tokens;
  for (std::string token; in >> token;) tokens.push_back(token);
  std::size_t i = 0;
  std::string mnemonic;
  while (i + 1 < tokens.size() && is_prefix(tokens[i])) mnemonic += tokens[i++] + " ";
  if (i < tokens.size()) mnemonic += tokens[i++];
  std::string rest;
  for (; i < tokens.size(); ++i) rest += tokens[i];  // operands never contain spaces
  insn.mnemonic = mnemonic;
  insn.operands = split_operands(trim(rest));
}

std::uint64_t parse_hex(const std::string& s) { return std::stoull(s, nullptr, 16); }

}  // namespace

std::pair<std::string, std::int64_t> split_symbol_addend(const std::string& text) {
  for (std::size_t i = text.size(); i-- > 1;) {
    if ((text[i] == '+' || text[i] == '-') && text.compare(i + 1, 2, "0x") == 0) {
      std::int64_t value = static_cast<std::int64_t>(std::stoull(text.substr(i + 3), nullptr, 16));
      return {text.substr(0, i), text[i] == '-' ? -value : value};
    }
  }
  return {text, 0};
}

ObjectCode ObjectCode::load(const std::string& objdump, const std::string& object_path) {
  ObjectCode object;
  object.path_ = object_path;
  const std::string tool = shell_quote(objdump);
  const std::string file = shell_quote(object_path);

  // Sections: "  2 .bss          00000228  0000... ..." then a flags line.
  {
    static const std::regex header(R"(^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+\S+\s*$)");
    auto lines = lines_of(run_command(tool + " -h " + file));
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::smatch m;
      if (!std::regex_match(lines[i], m, header)) continue;
      std::string name = m[1];
      object.section_sizes_[name] = parse_hex(m[2]);
      std::string flags = i + 1 < lines.size() ? lines[i + 1] : "";
      object.section_writable_[name] =
          flags.find("ALLOC") != std::string::npos && flags.find("READONLY") == std::string::npos &&
          flags.find("CODE") == std::string::npos;
      if (flags.find("ALLOC") != std::string::npos && flags.find("CODE") == std::string::npos &&
          object.section_sizes_[name] > 0)
        object.data_sections_.push_back(name);
    }
  }

  // Symbols: "0000000000000000 g     F .text	00000000000000a3 arena_alloc".
  {
    static const std::regex row(R"(^([0-9a-f]{16}) (.{7}) (\S+)\t([0-9a-f]+)\s+(.*)$)");
    for (const std::string& line : lines_of(run_command(tool + " -t " + file))) {
      std::smatch m;
      if (!std::regex_match(line, m, row)) continue;
      Symbol symbol;
      symbol.value = parse_hex(m[1]);
      std::string flags = m[2];
      symbol.section = m[3];
      symbol.size = parse_hex(m[4]);
      symbol.name = trim(m[5]);
      symbol.global = flags[0] == 'g';
      symbol.is_section = flags[6] == 'd' || (flags.find('d') != std::string::npos && symbol.name == symbol.section);
      symbol.is_function = flags[6] == 'F';
      object.symbols_.push_back(symbol);
    }
  }

  // Contents: "Contents of section .rodata:" then " 0000 61726561 5f616c6c  arena_all".
  {
    static const std::regex title(R"(^Contents of section (\S+):$)");
    static const std::regex row(R"(^ ([0-9a-f]+) ((?:[0-9a-f]{2,8} ?){1,4})\s.*$)");
    std::string section;
    for (const std::string& line : lines_of(run_command(tool + " -s " + file))) {
      std::smatch m;
      if (std::regex_match(line, m, title)) {
        section = m[1];
        object.section_bytes_[section];
        continue;
      }
      if (section.empty() || !std::regex_match(line, m, row)) continue;
      std::uint64_t offset = parse_hex(m[1]);
      std::string hex;
      for (char c : std::string(m[2]))
        if (c != ' ') hex += c;
      auto& bytes = object.section_bytes_[section];
      if (bytes.size() < offset + hex.size() / 2) bytes.resize(offset + hex.size() / 2);
      for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes[offset + i / 2] = static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16));
    }
  }

  // Code: instructions with their relocations.
  {
    static const std::regex section_title(R"(^Disassembly of section (\S+):$)");
    static const std::regex insn_line(R"(^\s*([0-9a-f]+):\t(.*)$)");
    static const std::regex reloc_line(R"(^\s*([0-9a-f]+): (R_X86_64_\w+)\s+(\S+)\s*$)");
    std::string section;
    Instruction* last = nullptr;
    for (const std::string& line : lines_of(run_command(
             tool + " -d -r --no-show-raw-insn -M att " + file))) {
      std::smatch m;
      if (std::regex_match(line, m, section_title)) {
        section = m[1];
        last = nullptr;
        continue;
      }
      if (section.empty()) continue;
      if (std::regex_match(line, m, reloc_line)) {
        if (!last) throw std::runtime_error("relocation before any instruction: " + line);
        Relocation reloc;
        reloc.offset = parse_hex(m[1]);
        reloc.type = m[2];
        auto [symbol, addend] = split_symbol_addend(m[3]);
        reloc.symbol = symbol;
        reloc.addend = addend;
        last->relocations.push_back(reloc);
        continue;
      }
      if (std::regex_match(line, m, insn_line)) {
        Instruction insn;
        insn.section = section;
        insn.address = parse_hex(m[1]);
        parse_instruction_text(m[2], insn);
        auto& by_address = object.code_[section];
        if (last) last->next_address = insn.address;
        last = &(by_address[insn.address] = insn);
      }
    }
    // The last instruction of each section ends at the section's end.
    for (auto& [name, by_address] : object.code_) {
      if (by_address.empty()) continue;
      by_address.rbegin()->second.next_address = object.section_size(name);
    }
  }
  return object;
}

const Instruction* ObjectCode::instruction_at(const std::string& section, std::uint64_t address) const {
  auto s = code_.find(section);
  if (s == code_.end()) return nullptr;
  auto i = s->second.find(address);
  return i == s->second.end() ? nullptr : &i->second;
}

const Symbol* ObjectCode::defined_symbol(const std::string& name) const {
  for (const Symbol& s : symbols_)
    if (s.name == name && s.section != "*UND*" && !s.is_section) return &s;
  return nullptr;
}

std::string ObjectCode::describe(const std::string& section, std::uint64_t address) const {
  const Symbol* best = nullptr;
  for (const Symbol& s : symbols_) {
    if (s.section != section || s.is_section || s.value > address) continue;
    if (!best || s.value > best->value || (s.value == best->value && s.global && !best->global)) best = &s;
  }
  std::ostringstream out;
  if (best) {
    out << best->name;
    if (address != best->value) out << "+0x" << std::hex << (address - best->value);
  } else {
    out << section << "+0x" << std::hex << address;
  }
  return out.str();
}

const Symbol* ObjectCode::data_symbol_at(const std::string& section, std::uint64_t offset) const {
  // Labels in data sections usually have no .size, so the nearest one at or
  // before the offset is the one that names it.
  const Symbol* best = nullptr;
  for (const Symbol& s : symbols_) {
    if (s.section != section || s.is_section || s.value > offset) continue;
    if (!best || s.value > best->value) best = &s;
  }
  return best;
}

std::uint64_t ObjectCode::section_size(const std::string& section) const {
  auto i = section_sizes_.find(section);
  return i == section_sizes_.end() ? 0 : i->second;
}

const std::vector<std::uint8_t>* ObjectCode::section_bytes(const std::string& section) const {
  auto i = section_bytes_.find(section);
  return i == section_bytes_.end() ? nullptr : &i->second;
}

bool ObjectCode::section_is_writable(const std::string& section) const {
  auto i = section_writable_.find(section);
  return i != section_writable_.end() && i->second;
}

}  // namespace mf::proof
