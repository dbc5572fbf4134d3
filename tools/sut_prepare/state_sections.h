// state_sections.h - makes a foreign .s file's mutable globals resettable.
//
// The simulated OS puts a SUT back into its freshly loaded state before
// every run by restoring one section, morph_state (harness/simos/
// sut_state.h).  Our own .s files keep every mutable global there; an
// implementation written elsewhere keeps them in .data and .bss, where a
// second run would see what the first one left (an arena id counter that
// goes on from 2, a cached page).  This rewrite moves them: every switch
// into a writable data section (.data, .bss, .section .data*/.bss* or any
// section with the "w" flag and without "x"), and every .comm and .lcomm,
// goes to morph_state instead.  Nothing else changes: the code, its
// symbols, their sizes and alignments are as written.
//
// morph_state is always made "aw", @progbits (bss-like parts become zeros):
// the linker puts input sections of one name but two types into two output
// sections, and the restore covers only the first.
//
// Limits, reported as errors: thread-local sections (.tdata, .tbss), whose
// per-thread copies a restore cannot reach.  Statements are found with the
// coverage instrumenter's lexer (tools/asm_cov), so `;` separators,
// comments and strings are handled as gas handles them; macros that switch
// sections inside their bodies are rewritten where they are defined.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mf::sut_prepare {

struct StateRewrite {
  std::string text;                 // the rewritten source
  std::vector<std::string> moved;   // what was moved, e.g. "line 12: .bss"
  std::vector<std::string> errors;  // what cannot be made resettable
};

StateRewrite move_state_into_morph_state(std::string_view source);

// "arena.s: moved 2 section switches and 1 .lcomm into morph_state (lines
// 12, 30, 41)", or "arena.s: nothing to move" — the line the tools print.
std::string describe(const std::string& file_name, const StateRewrite& rewrite);

}  // namespace mf::sut_prepare
