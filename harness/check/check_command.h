// check_command.h - `mfh check`: given .s files checked in seconds
// (check_command.cpp says what it runs, check_build.h how it builds).
#pragma once

#include <span>
#include <string_view>

namespace mf::check {

// 0 no divergence; 1 a divergence (minimised, with its reproduce command);
// 2 bad usage, or files that do not assemble or link.
int check_command(std::span<const std::string_view> args);

}  // namespace mf::check
