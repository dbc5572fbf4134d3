// commands.h - the subcommands of `mfh`.  Each takes the arguments after its
// name and returns the process exit status.  To add one (convert, minimize,
// ...), write its function and add a row to kCommands in main.cpp.
#pragma once

#include <span>
#include <string_view>

namespace mf::mfh {

// mfh replay [--native] [--target=T] [--text|--binary] [--quiet] FILE...
// 0: every input agrees; 1: some input diverged; 2: some input could not be
// read or run (and none diverged).
int replay_command(std::span<const std::string_view> args);

}  // namespace mf::mfh
