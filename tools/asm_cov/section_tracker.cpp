#include "section_tracker.h"

namespace mf::asm_cov {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view unquote(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

bool is_text_name(std::string_view name) {
  return name == ".text" || name.rfind(".text.", 0) == 0;
}

}  // namespace

SectionTracker::Section SectionTracker::parse_section(std::string_view operands) {
  Section s;
  std::size_t comma = operands.find(',');
  s.name = std::string(unquote(operands.substr(0, comma)));
  s.executable = is_text_name(s.name);
  if (comma != std::string_view::npos) {
    std::string_view rest = trim(operands.substr(comma + 1));
    if (!rest.empty() && rest.front() == '"') {
      std::string_view flags = unquote(rest.substr(0, rest.find(',')));
      s.executable = flags.find('x') != std::string_view::npos;
    }
  }
  return s;
}

bool SectionTracker::apply(std::string_view directive, std::string_view operands) {
  auto switch_to = [this](Section next) {
    previous_ = current_;
    current_ = std::move(next);
  };
  if (directive == ".text") {
    switch_to({".text", true});
  } else if (directive == ".data") {
    switch_to({".data", false});
  } else if (directive == ".bss") {
    switch_to({".bss", false});
  } else if (directive == ".section") {
    switch_to(parse_section(operands));
  } else if (directive == ".pushsection") {
    stack_.emplace_back(current_, previous_);
    switch_to(parse_section(operands));
  } else if (directive == ".popsection") {
    if (!stack_.empty()) {
      current_ = stack_.back().first;
      previous_ = stack_.back().second;
      stack_.pop_back();
    }
  } else if (directive == ".previous") {
    std::swap(current_, previous_);
  } else {
    return false;
  }
  return true;
}

}  // namespace mf::asm_cov
