#include "cleaner_log.h"

#include "layout.h"

namespace mf::model::daemon {

namespace {
// The text may use every byte of the line but the last, kept for the newline.
constexpr std::size_t kTextRoom = layout::DAEMON_LOG_LINE_MAX - 1;
constexpr std::string_view kPrefix = "morph-cleaner: ";
constexpr char kHexDigits[] = "0123456789abcdef";

bool printable(unsigned char c) { return c >= 0x20 && c <= 0x7e && c != '\\'; }
}  // namespace

LogLine::LogLine() { text(kPrefix); }

std::size_t LogLine::room() const { return kTextRoom - line_.size(); }

LogLine& LogLine::text(std::string_view plain) {
  line_.append(plain.substr(0, room()));
  return *this;
}

LogLine& LogLine::escaped(std::string_view name) {
  for (unsigned char c : name) {
    if (printable(c)) {
      if (room() < 1) break;
      line_.push_back(static_cast<char>(c));
    } else {
      if (room() < 4) break;  // an escape goes in whole or ends the name
      line_ += "\\x";
      line_.push_back(kHexDigits[c >> 4]);
      line_.push_back(kHexDigits[c & 15]);
    }
  }
  return *this;
}

LogLine& LogLine::decimal(std::int64_t value) {
  const std::string digits = std::to_string(value);
  if (digits.size() <= room()) line_ += digits;
  return *this;
}

std::string LogLine::finish() const { return line_ + "\n"; }

std::string log_about(std::string_view text, std::string_view name, std::string_view more, std::string_view reason) {
  return LogLine().text(text).escaped(name).text(more).text(reason).finish();
}

}  // namespace mf::model::daemon
