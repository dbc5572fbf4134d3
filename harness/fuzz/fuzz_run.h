// fuzz_run.h - what every fuzz entry point (libFuzzer, AFL++) does with one
// input: decode the bytes as a binary trace of the entry point's target, run
// it on the assembly and on the model in simulated mode, and abort with a
// greppable signature when they disagree.
//
// Faults are not caught: a SUT that crashes crashes the fuzzer, which is the
// finding the engines know how to save.
#pragma once

#include <cstddef>
#include <cstdint>

#include "op_table.h"

namespace mf::fuzz {

// Aborts the process if this build cannot run many simulated traces in one
// process (the SUT's globals must be restorable); call once at start-up.
// With MF_FUZZ_STATS set in the environment, also arranges for a line of
// totals (inputs, ops run, ops skipped, runs ended by an exit) at exit.
void require_in_process_runs();

enum class InputVerdict : std::uint8_t { agree, invalid };

// Runs one input; a divergence never returns (it prints and aborts).
InputVerdict run_one_input(ops::Target target, const std::uint8_t* data, std::size_t size);

}  // namespace mf::fuzz
