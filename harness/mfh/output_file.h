// output_file.h - writing a result of `mfh` to a file ("-": standard output).
#pragma once

#include <string>
#include <string_view>

namespace mf::mfh {

// False with `error` set when the file cannot be written completely.  A
// file is replaced atomically (a temporary beside it, then rename).
bool write_output(const std::string& path, std::string_view bytes, std::string& error);

}  // namespace mf::mfh
