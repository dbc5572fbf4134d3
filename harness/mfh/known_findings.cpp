#include "known_findings.h"

#include <filesystem>
#include <fstream>

#include "divergence_signature.h"

namespace mf::mfh {

namespace fs = std::filesystem;

void KnownFindings::add_regressions(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() != ".trace") continue;
    std::ifstream in(it->path());
    std::string line;
    // The signature line sits among the comments before the first op.
    for (int n = 0; n < 8 && std::getline(in, line); ++n) {
      if (!line.starts_with("#")) break;
      if (auto s = runner::parse_signature(line)) {
        reasons_.emplace(runner::to_string(*s), "regression trace " + fs::relative(it->path(), dir, ec).string());
        break;
      }
    }
  }
}

bool KnownFindings::add_list(const std::string& path, std::string& error) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return true;
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot read";
    return false;
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line.starts_with("#")) continue;
    const std::size_t bar = line.find(" | ");
    const auto signature = runner::parse_signature(line.substr(0, bar));
    std::string reason = bar == std::string::npos ? "" : line.substr(bar + 3);
    while (!reason.empty() && (reason.back() == ' ' || reason.back() == '\r')) reason.pop_back();
    if (!signature || !line.starts_with("MF-DIVERGENCE ") || reason.empty()) {
      error = path + ":" + std::to_string(number) + ": expected 'MF-DIVERGENCE target=T op=O field=F | reason'";
      return false;
    }
    reasons_.emplace(runner::to_string(*signature), reason);
  }
  return true;
}

std::string KnownFindings::reason(const std::string& signature_line) const {
  auto it = reasons_.find(signature_line);
  return it == reasons_.end() ? "" : it->second;
}

}  // namespace mf::mfh
