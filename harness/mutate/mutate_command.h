// mutate_command.h - `mfh mutate`: mutation testing of the assembly
// (mutate_command.cpp has the options, mutant_check.h the stages).
#pragma once

#include <span>
#include <string_view>

namespace mf::mutate {

// 0 no unexplained survivor (or a report written); 1 unexplained survivors;
// 2 bad usage, unreadable input, or a build without mfh check's programs.
int mutate_command(std::span<const std::string_view> args);

}  // namespace mf::mutate
