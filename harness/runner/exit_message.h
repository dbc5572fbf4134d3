// exit_message.h - the one stderr line of an exit (docs/spec.md):
//   morph: <reason> in <function> (exit N)
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mf::runner {

// What is wrong with `captured` as the whole stderr output of an exit with
// `code` from a function named in `panic_names` ('|'-separated), or nullopt
// when it is exactly the line the contract asks for.
std::optional<std::string> exit_message_problem(std::string_view captured, int code, std::string_view panic_names);

}  // namespace mf::runner
