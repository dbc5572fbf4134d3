// asm_mutants.h - the mutation operators of `mfh mutate`: every mutant of an
// AT&T (GNU as) x86-64 source, generated from its text alone.
//
// A mutant is one textual change at one line of one file (the operator
// drop_push_pop also removes the matching pops, which belong to the same
// change).  Its id, <file>:<line>:<operator>:<index>, depends only on the
// file's text, so a campaign can be resumed and a single mutant rerun; the
// index tells apart the mutants one operator makes of one line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mf::mutate {

// The operators, in the order they are generated for a line.
enum class Operator {
  negate_jcc,     // a conditional jump and its negation: je <-> jne, ja <-> jbe, ...
  sign_jcc,       // the signed and unsigned forms: ja <-> jg, jb <-> jl, jae <-> jge, jbe <-> jle
  imm,            // an immediate +1, -1, +8, -8
  disp,           // a memory operand's displacement +1, -1, +8, -8
  add_sub,        // add <-> sub
  and_or,         // and <-> or
  delete_insn,    // the instruction removed
  swap_regs,      // `op %a, %b` -> `op %b, %a`
  drop_push_pop,  // a callee-saved register's push and its pops removed
};

std::string_view operator_name(Operator op);
std::optional<Operator> operator_from_name(std::string_view name);
std::vector<Operator> all_operators();

struct LineEdit {
  int line = 0;  // 1-based
  std::string before, after;
};

struct Mutant {
  std::string file;      // the file's name, e.g. "arena.s"
  int line = 0;          // 1-based: the line the id names
  Operator op{};
  int index = 0;         // which of this operator's mutants of this line
  std::string function;  // the function the line is in ("" outside every function)
  std::vector<LineEdit> edits;  // the first is at `line`

  std::string id() const;  // file:line:operator:index
};

struct MutantId {
  std::string file;
  int line = 0;
  Operator op{};
  int index = 0;
};
// Parses file:line:operator:index; nullopt when malformed.
std::optional<MutantId> parse_mutant_id(std::string_view id);

// Every mutant of `text` (the whole file), in line order, then operator
// order.  `file` is the name the ids carry.
std::vector<Mutant> generate_mutants(const std::string& file, const std::string& text);

// The file's text with the mutant applied: each edited line replaced;
// nullopt when a line to edit is not the mutant's `before` (another text).
std::optional<std::string> apply_mutant(const std::string& text, const Mutant& mutant);

// A unified-diff-like rendering of the mutant's edits ("-before"/"+after").
std::string mutant_diff(const Mutant& mutant);

}  // namespace mf::mutate
