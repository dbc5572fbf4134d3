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

// Keeps the memory the C library's heap frees for the next input instead of
// giving it back to the kernel; call once at start-up, before the first
// input.  Every run builds the model's memory and maps afresh and frees them
// at its end; by default glibc then shrinks the heap (brk) and the next run
// faults every page in again (measured with fuzz_builtins from its seeds:
// 2.8 page faults and 0.13 brk calls per input, against 1.1 and none kept).
void keep_freed_heap_memory();

enum class InputVerdict : std::uint8_t { agree, invalid };

// Runs one input; a divergence never returns (it prints and aborts).
InputVerdict run_one_input(ops::Target target, const std::uint8_t* data, std::size_t size);

}  // namespace mf::fuzz
