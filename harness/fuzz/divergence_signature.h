// divergence_signature.h - the one line a fuzzer prints before aborting on a
// divergence, made stable so that triage can group crashes by it:
//
//   MF-DIVERGENCE target=pool op=pool_free field=pN_header_free_count_differs
//
// Handle numbers, indexes and values vary from one input to the next, so
// every run of digits becomes N and every other non-alphanumeric run an
// underscore.
#pragma once

#include <string>
#include <string_view>

#include "op_table.h"

namespace mf::fuzz {

// The op's name: the first word of its trace text, or end_of_run for the
// checks after the last op.
std::string op_kind_of(std::string_view op_text);

// The normalised form of a divergence's `what` line.
std::string field_of(std::string_view what);

std::string divergence_signature(ops::Target target, std::string_view op_text, std::string_view what);

}  // namespace mf::fuzz
