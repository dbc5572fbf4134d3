// cleaner_log.h - the daemon cleaner's log lines as docs/spec.md ("The
// log") defines them, byte for byte: the prefix, names and paths escaped
// (\xHH for every byte outside printable ASCII and for the backslash), the
// cut at DAEMON_LOG_LINE_MAX bytes, and the newline.
//
// The cut follows the assembly's appenders exactly, since a long name makes
// it happen: plain text stops at the first byte that does not fit; an
// escaped name stops at the first byte or escape that does not fit whole; a
// number goes in whole or not at all, and the text after it may still fit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mf::model::daemon {

class LogLine {
 public:
  LogLine();                                     // holds the prefix "morph-cleaner: "
  LogLine& text(std::string_view plain);
  LogLine& escaped(std::string_view name);
  LogLine& decimal(std::int64_t value);
  std::string finish() const;                    // the line, newline included

 private:
  std::size_t room() const;
  std::string line_;
};

// "morph-cleaner: <text><name escaped><more><reason>\n": the shape of every
// message but the two that hold numbers.
std::string log_about(std::string_view text, std::string_view name, std::string_view more = {},
                      std::string_view reason = {});

}  // namespace mf::model::daemon
