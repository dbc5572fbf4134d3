// divergence_signature.h - what makes two divergences "the same bug", and
// the one line that names it everywhere:
//
//   MF-DIVERGENCE target=pool op=pool_free field=pN_header_free_count_differs
//
// The target, the op where the disagreement shows (end_of_run for the checks
// after the last op) and which check failed, without the handle numbers,
// page numbers and values that change from one input to the next: every run
// of digits becomes N, every other run of non-alphanumerics an underscore.
// The fuzzers print this line before they crash, the minimizer keeps it
// fixed while it shrinks, `mfh triage` groups findings by it, and
// corpus/regressions/ and corpus/known_findings.txt list known ones with it.
// It is defined here and nowhere else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "op.h"
#include "runner.h"

namespace mf::runner {

struct DivergenceSignature {
  ops::Target target = ops::Target::mixed;
  std::string op;     // the op's name, or end_of_run
  std::string field;  // Divergence::what, normalised
  friend bool operator==(const DivergenceSignature&, const DivergenceSignature&) = default;
};

DivergenceSignature divergence_signature(ops::Target target, const Divergence& divergence);
DivergenceSignature divergence_signature(ops::Target target, std::string_view op_text, std::string_view what);

// The line above.
std::string to_string(const DivergenceSignature& signature);

// Reads a signature line back: the line as to_string writes it, possibly
// after other text on the same line ("# signature: MF-DIVERGENCE ...").
std::optional<DivergenceSignature> parse_signature(std::string_view line);

// A name for files and directories: "pool-pool_free-pN_header_free_count_differs",
// cut to a safe length.
std::string file_stem(const DivergenceSignature& signature);

// The parts, exposed for their tests.
std::string op_kind_of(std::string_view op_text);
std::string field_of(std::string_view what);

}  // namespace mf::runner
