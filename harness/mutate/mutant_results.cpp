#include "mutant_results.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

namespace mf::mutate {

namespace {

constexpr std::pair<Outcome, std::string_view> kOutcomes[] = {
    {Outcome::killed, "killed"},         {Outcome::survived, "survived"},
    {Outcome::proved, "proved"},         {Outcome::equivalent, "equivalent"},
    {Outcome::build_failed, "build_failed"},
};
constexpr std::size_t kFields = 16;
constexpr std::size_t kFieldsV1 = 13;  // without the three CPU times

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

bool unescape(const std::string& s, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (++i == s.size()) return false;
    if (s[i] == '\\') out += '\\';
    else if (s[i] == 't') out += '\t';
    else if (s[i] == 'n') out += '\n';
    else return false;
  }
  return true;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::string_view outcome_name(Outcome o) {
  for (const auto& [v, n] : kOutcomes) {
    if (v == o) return n;
  }
  return "?";
}

std::optional<Outcome> outcome_from_name(std::string_view name) {
  for (const auto& [v, n] : kOutcomes) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string format_result(const MutantResult& r) {
  const std::string fields[kFields] = {r.id,
                                       r.file,
                                       std::to_string(r.line),
                                       r.function,
                                       r.op,
                                       std::string(outcome_name(r.outcome)),
                                       r.stage,
                                       std::to_string(r.executions),
                                       number(r.stage_seconds),
                                       number(r.seconds),
                                       number(r.build_seconds),
                                       number(r.cpu_seconds),
                                       number(r.build_cpu_seconds),
                                       number(r.stage_cpu_seconds),
                                       r.detail,
                                       r.diff};
  std::string out;
  for (std::size_t i = 0; i < kFields; ++i) out += (i == 0 ? "" : "\t") + escape(fields[i]);
  return out;
}

std::optional<MutantResult> parse_result(const std::string& line, std::string& error) {
  std::vector<std::string> raw;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == '\t') {
      raw.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  if (raw.size() != kFields && raw.size() != kFieldsV1) {
    error = std::to_string(raw.size()) + " fields, not " + std::to_string(kFields) + " (or " +
            std::to_string(kFieldsV1) + ", a v1 result)";
    return std::nullopt;
  }
  const bool v1 = raw.size() == kFieldsV1;
  if (v1) raw.insert(raw.begin() + 11, {"-1", "-1", "-1"});  // the CPU times, unknown
  std::vector<std::string> f(kFields);
  for (std::size_t i = 0; i < kFields; ++i) {
    if (!unescape(raw[i], f[i])) {
      error = "a bad escape in field " + std::to_string(i + 1);
      return std::nullopt;
    }
  }
  MutantResult r;
  r.id = f[0];
  r.file = f[1];
  char* end = nullptr;
  r.line = static_cast<int>(std::strtol(f[2].c_str(), &end, 10));
  if (f[2].empty() || *end != '\0') {
    error = "line '" + f[2] + "' is not a number";
    return std::nullopt;
  }
  r.function = f[3];
  r.op = f[4];
  const std::optional<Outcome> o = outcome_from_name(f[5]);
  if (!o) {
    error = "unknown outcome '" + f[5] + "'";
    return std::nullopt;
  }
  r.outcome = *o;
  r.stage = f[6];
  r.executions = std::strtoull(f[7].c_str(), nullptr, 10);
  r.stage_seconds = std::strtod(f[8].c_str(), nullptr);
  r.seconds = std::strtod(f[9].c_str(), nullptr);
  r.build_seconds = std::strtod(f[10].c_str(), nullptr);
  r.cpu_seconds = std::strtod(f[11].c_str(), nullptr);
  r.build_cpu_seconds = std::strtod(f[12].c_str(), nullptr);
  r.stage_cpu_seconds = std::strtod(f[13].c_str(), nullptr);
  r.detail = f[14];
  r.diff = f[15];
  if (r.id.empty()) {
    error = "an empty id";
    return std::nullopt;
  }
  return r;
}

bool load_results(const std::string& path, LoadedResults& out, std::string& error) {
  out = LoadedResults{};
  if (!std::filesystem::exists(path)) return true;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read the results file " + path;
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::size_t start = 0;
  int line_no = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    ++line_no;
    if (nl == std::string::npos) {  // a line a killed campaign did not finish
      out.partial_tail = text.size() - start;
      break;
    }
    const std::string line = text.substr(start, nl - start);
    start = nl + 1;
    if (line_no == 1) {
      if (line != kResultsHeader && line != kResultsHeaderV1) {
        error = path + ": not a results file of mfh mutate (its first line is not '" + kResultsHeader + "')";
        return false;
      }
      continue;
    }
    if (line.empty()) continue;
    std::string why;
    std::optional<MutantResult> r = parse_result(line, why);
    if (!r) {
      error = path + ":" + std::to_string(line_no) + ": unreadable result: " + why;
      return false;
    }
    if (out.by_id.count(r->id) == 0) out.order.push_back(r->id);
    out.by_id[r->id] = std::move(*r);
  }
  return true;
}

bool compact_results(const std::string& path, std::string& error) {
  LoadedResults loaded;
  if (!load_results(path, loaded, error)) return false;
  if (!std::filesystem::exists(path)) return true;
  std::vector<const MutantResult*> rows;
  for (const auto& [id, r] : loaded.by_id) rows.push_back(&r);
  std::sort(rows.begin(), rows.end(), [](const MutantResult* a, const MutantResult* b) {
    return std::tie(a->file, a->line, a->id) < std::tie(b->file, b->line, b->id);
  });
  std::string text = std::string(kResultsHeader) + "\n";
  for (const MutantResult* r : rows) text += format_result(*r) + "\n";
  // Written beside it and renamed: a kill or a full disk leaves the old file whole.
  const std::string temp = path + ".compacting";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot write " + temp + ": " + std::strerror(errno);
    return false;
  }
  const bool written = write_all(fd, text) && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!written || std::rename(temp.c_str(), path.c_str()) != 0) {
    error = "cannot rewrite " + path + ": " + std::strerror(written ? errno : saved_errno);
    std::remove(temp.c_str());
    return false;
  }
  return true;
}

bool ResultsWriter::open(const std::string& path, std::string& error) {
  LoadedResults existing;
  if (!load_results(path, existing, error)) return false;
  const bool fresh = !std::filesystem::exists(path) || std::filesystem::file_size(path) == 0;
  if (existing.partial_tail != 0) {
    // Cut the unfinished line, so the next result starts on a line of its own.
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - existing.partial_tail);
    std::fprintf(stderr, "mfh mutate: %s: dropped an unfinished last line (%zu bytes)\n", path.c_str(),
                 existing.partial_tail);
  }
  if (const std::filesystem::path dir = std::filesystem::path(path).parent_path(); !dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    error = "cannot write the results file " + path + ": " + std::strerror(errno);
    return false;
  }
  path_ = path;
  if (fresh && !write_all(fd_, std::string(kResultsHeader) + "\n")) {
    error = "cannot write " + path;
    return false;
  }
  return true;
}

bool ResultsWriter::append(const MutantResult& r, std::string& error) {
  // One write of the whole line, then fsync: a kill leaves whole lines only
  // (or, at worst, one unfinished line that the next open drops).
  if (!write_all(fd_, format_result(r) + "\n") || ::fsync(fd_) != 0) {
    error = "cannot append to " + path_ + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

ResultsWriter::~ResultsWriter() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace mf::mutate
