// corpus_forms.h - the corpus-wide forms of `mfh convert`: text traces
// turned into a fuzzer's binary seeds, generated binary inputs of a given
// length (throughput runs), and the fuzzers' dictionary of the binary form.
// Each returns the exit status of `mfh convert` and reports on stderr.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "op.h"

namespace mf::mfh {

// Each text trace of `target` -> out_dir/<name without .trace>; a trace of
// another target or with no binary form is skipped with a note.
int write_seeds(ops::Target target, const std::string& out_dir, const std::vector<std::string>& traces);

// `count` random inputs that decode to `ops` ops each, from `seed`.  With
// `in_contract`, only bytes below 0xC0, which the decoder reads as SUT ops,
// small or boundary sizes, live handles and pointers inside live memory, so
// that most inputs run all their ops instead of stopping at an early exit.
int generate_inputs(ops::Target target, std::size_t ops, std::size_t count, unsigned seed,
                    const std::string& out_dir, bool in_contract);

// The libFuzzer / AFL++ dictionary of `target`'s binary form.
std::string dictionary(ops::Target target);

}  // namespace mf::mfh
