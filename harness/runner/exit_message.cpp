#include "exit_message.h"

#include "layout.h"

namespace mf::runner {

namespace {

// The reason docs/spec.md's exit message gives for each exit code of
// asm/layout.inc.
std::string_view reason_of(int exit_code) {
  const auto code = static_cast<std::uint64_t>(exit_code);
  if (code == layout::MF_EXIT_NULL) return "NULL pointer dereference";
  if (code == layout::MF_EXIT_BOUNDS) return "out-of-bounds access";
  if (code == layout::MF_EXIT_STACK) return "stack overflow";
  return "";
}

}  // namespace

std::optional<std::string> exit_message_problem(std::string_view captured, int code, std::string_view panic_names) {
  const std::string prefix = "morph: " + std::string(reason_of(code)) + " in ";
  const std::string suffix = " (exit " + std::to_string(code) + ")\n";
  std::string wanted_names;
  std::size_t pos = 0;
  while (pos <= panic_names.size()) {
    std::size_t bar = panic_names.find('|', pos);
    if (bar == std::string_view::npos) bar = panic_names.size();
    const std::string line = prefix + std::string(panic_names.substr(pos, bar - pos)) + suffix;
    if (captured == line) return std::nullopt;
    wanted_names += (wanted_names.empty() ? "" : " or ") + std::string(panic_names.substr(pos, bar - pos));
    pos = bar + 1;
  }
  std::string shown(captured.substr(0, 200));
  if (shown.empty()) shown = "(nothing)";
  return "stderr should be exactly '" + prefix + "<" + wanted_names + ">" + suffix.substr(0, suffix.size() - 1) +
         "\\n' but was '" + shown + "'";
}

}  // namespace mf::runner
