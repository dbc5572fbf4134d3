// trace_edit.h - taking ops out of a trace without breaking its handles.
// Handles are numbered by the position of their creating op (docs/traces.md),
// so removing a creation renumbers every later handle of its kind; an op that
// names a handle whose creation was removed can no longer be written and is
// dropped as well.  The result always reads back through read_text_trace.
#pragma once

#include <vector>

#include "op.h"

namespace mf::mfh {

// The trace without the ops whose `keep` entry is false (keep.size() ==
// trace.ops.size()), handles renumbered; ops that name a removed handle are
// dropped too.  An expectation that names a removed handle is cleared.
ops::Trace remove_ops(const ops::Trace& trace, const std::vector<bool>& keep);

// The first `count` ops (count <= size).
ops::Trace prefix(const ops::Trace& trace, std::size_t count);

// The trace without any expectation.
ops::Trace without_expectations(ops::Trace trace);

}  // namespace mf::mfh
