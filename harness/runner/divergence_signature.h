// divergence_signature.h - what makes two divergences "the same bug": the
// target, the op where it shows and which check failed, without the handle
// numbers, page numbers and values that change from one trace to the next.
// The minimizer keeps it fixed while it shrinks a trace, and the fuzzers use
// it to tell new findings from known ones, so it is defined once, here.
#pragma once

#include <string>

#include "op.h"
#include "runner.h"

namespace mf::runner {

struct DivergenceSignature {
  ops::Target target = ops::Target::mixed;
  std::string op;     // the op's name, or "(end of run)"
  std::string field;  // Divergence::what with every number replaced by '#'
  friend bool operator==(const DivergenceSignature&, const DivergenceSignature&) = default;
};

DivergenceSignature divergence_signature(ops::Target target, const Divergence& divergence);

// "arena arena_alloc: the result differs": one line, stable across runs.
std::string to_string(const DivergenceSignature& signature);

}  // namespace mf::runner
