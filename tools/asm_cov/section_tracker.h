// Follows GNU as section directives (.text, .data, .bss, .section,
// .pushsection, .popsection, .previous) to know whether the statements that
// follow are code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mf::asm_cov {

class SectionTracker {
 public:
  // Applies one directive (lower-case name, operands as written).  Returns
  // true when the directive was a section directive.
  bool apply(std::string_view directive, std::string_view operands);

  // Code sections are .text and .text.*, and any section whose flags say
  // "x" (executable); flags, when given, win over the name.
  bool executable() const { return current_.executable; }
  const std::string& name() const { return current_.name; }

 private:
  struct Section {
    std::string name = ".text";  // gas starts every file in .text
    bool executable = true;
  };
  static Section parse_section(std::string_view operands);

  Section current_;
  Section previous_;
  std::vector<std::pair<Section, Section>> stack_;  // (current, previous) at each .pushsection
};

}  // namespace mf::asm_cov
