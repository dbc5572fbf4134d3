// term_memo.h - a memo from Z3 terms to their rewrites that is safe against
// id reuse.
//
// Z3 gives every term an id that is unique only among live terms: when a
// term is freed its id is handed to the next new term.  A table keyed by the
// id alone therefore answers for a term it never saw with the rewrite of a
// dead one; in the prover that silently replaces one formula by another and
// can turn into a false PROVED.  This memo keeps every key alive for as long
// as it remembers it, so an id it holds can never be reused, and checks the
// key on every hit all the same.
#pragma once

#include <z3++.h>

#include <optional>
#include <unordered_map>

namespace mf::proof {

class TermMemo {
 public:
  std::optional<z3::expr> find(const z3::expr& key) const {
    auto hit = entries_.find(Z3_get_ast_id(key.ctx(), key));
    if (hit == entries_.end() || !z3::eq(hit->second.key, key)) return std::nullopt;
    return hit->second.value;
  }
  void remember(const z3::expr& key, const z3::expr& value) {
    entries_.insert_or_assign(Z3_get_ast_id(key.ctx(), key), Entry{key, value});
  }

 private:
  struct Entry {
    z3::expr key;  // held: while it lives, no other term can have its id
    z3::expr value;
  };
  std::unordered_map<unsigned, Entry> entries_;
};

}  // namespace mf::proof
