#include "output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <unistd.h>

namespace mf::mfh {

bool write_output(const std::string& path, std::string_view bytes, std::string& error) {
  if (path == "-") {
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
      error = "cannot write to standard output";
      return false;
    }
    return true;
  }
  // Written beside the target and renamed over it: a reader (or a killed
  // campaign) sees the old file or the whole new one, never half of one.
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  std::FILE* f = std::fopen(temporary.c_str(), "wb");
  if (f == nullptr) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0 &&
                       fsync(fileno(f)) == 0;
  const int write_errno = errno;
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    error = "cannot write " + path + ": " + std::strerror(written && closed ? errno : write_errno);
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace mf::mfh
