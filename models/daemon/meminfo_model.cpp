#include "meminfo_model.h"

#include <array>

#include "cleaner_log.h"
#include "layout.h"

namespace mf::model::daemon {

namespace {

struct Key {
  std::string_view name;
  std::optional<std::uint64_t> value;
};

// The digits after a key's colon and any spaces or tabs: at least one, and
// the run must fit in 64 bits; what follows them is not looked at.
std::optional<std::uint64_t> parse_value(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
  if (i == rest.size() || rest[i] < '0' || rest[i] > '9') return std::nullopt;
  std::uint64_t value = 0;
  for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; ++i) {
    const std::uint64_t digit = static_cast<std::uint64_t>(rest[i] - '0');
    if (value > (~std::uint64_t{0} - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

std::string meminfo_line(std::uint64_t key, std::uint64_t value, std::uint64_t format) {
  static constexpr std::array<std::string_view, 8> kKeys = {"MemTotal:", "MemAvailable:", "MemFree:", "Buffers:",
                                                            "Memtotal:", " MemTotal:",    "MemTotal", ""};
  static constexpr std::array<std::string_view, 4> kSeparators = {"", " ", "\t", "      "};
  std::string line(kKeys[key % kKeys.size()]);
  line += kSeparators[format & 3];
  if (format & 16) line += 'x';
  if (format & 64) line += '-';
  if (!(format & 128)) {
    line += std::to_string(value);
    if (format & 32) line += "0000000000";
  }
  if (format & 256) line += ':';
  if (format & 4) line += " kB";
  if (!(format & 8)) line += '\n';
  return line;
}

std::string meminfo_filler(std::uint64_t bytes) { return std::string(bytes % 9000, 'f') + "\n"; }

std::int64_t used_percent(std::string_view text) {
  // One byte past the limit tells whether the limit cut the file.
  const bool whole_file = text.size() <= layout::DAEMON_MEMINFO_MAX;
  if (!whole_file) text = text.substr(0, layout::DAEMON_MEMINFO_MAX);
  std::array<Key, 3> keys = {Key{"MemTotal:", {}}, Key{"MemAvailable:", {}}, Key{"MemFree:", {}}};
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (!whole_file) break;  // a line the limit may have cut is not read
      end = text.size();
    }
    const std::string_view line = text.substr(start, end - start);
    for (Key& key : keys) {
      if (key.value || !line.starts_with(key.name)) continue;
      key.value = parse_value(line.substr(key.name.size()));
      break;  // the keys are no prefixes of each other: one line, one key
    }
    start = end + 1;
  }
  const std::optional<std::uint64_t> total = keys[0].value;
  const std::optional<std::uint64_t> available = keys[1].value ? keys[1].value : keys[2].value;
  if (!total || *total == 0 || !available || *available > *total) return -1;
  const unsigned __int128 used = static_cast<unsigned __int128>(*total - *available) * 100;
  return static_cast<std::int64_t>(used / *total);
}

MeminfoOutcome monitor_memory(const MeminfoInput& input) {
  MeminfoOutcome out;
  out.result = input.text ? used_percent(*input.text) : -1;
  if (out.result < 0) {
    out.log.push_back(log_about("cannot parse ", input.path));
  } else if (out.result > input.threshold) {
    out.log.push_back(LogLine()
                          .text("memory used ")
                          .decimal(out.result)
                          .text("% is above the threshold of ")
                          .decimal(input.threshold)
                          .text("%")
                          .finish());
  }
  return out;
}

}  // namespace mf::model::daemon
