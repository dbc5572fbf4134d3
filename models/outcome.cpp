#include "outcome.h"

#include <utility>

namespace mf::model {

Outcome Outcome::value(std::uint64_t n, std::uint64_t mask) {
  Outcome o;
  o.kind = OutcomeKind::Number;
  o.number = n;
  o.known_mask = mask;
  return o;
}

Outcome Outcome::ptr(Addr p) {
  Outcome o;
  o.kind = OutcomeKind::Pointer;
  o.pointer = p;
  return o;
}

Outcome Outcome::exit(int code, std::string why) {
  Outcome o;
  o.kind = OutcomeKind::Exit;
  o.exit_code = code;
  o.reason = std::move(why);
  return o;
}

Outcome Outcome::unsafe(std::string why) {
  Outcome o;
  o.kind = OutcomeKind::Unsafe;
  o.reason = std::move(why);
  return o;
}

std::string to_string(const Outcome& outcome) {
  std::string text;
  switch (outcome.kind) {
    case OutcomeKind::Void:
      text = "void";
      break;
    case OutcomeKind::Number:
      text = "number " + std::to_string(outcome.number);
      if (outcome.known_mask != ~std::uint64_t{0}) text += " (partly unknown)";
      break;
    case OutcomeKind::Pointer:
      text = "pointer " + to_string(outcome.pointer);
      break;
    case OutcomeKind::Exit:
      text = "exit " + std::to_string(outcome.exit_code) + " (" + outcome.reason + ")";
      break;
    case OutcomeKind::Unsafe:
      text = "unsafe (" + outcome.reason + ")";
      break;
  }
  std::string notes;
  auto note = [&notes](const std::string& s) { notes += (notes.empty() ? "" : ", ") + s; };
  if (outcome.new_page) note("new page " + std::to_string(*outcome.new_page));
  if (outcome.new_block) note("new block " + std::to_string(*outcome.new_block));
  if (outcome.new_arena) note("new arena " + std::to_string(*outcome.new_arena));
  if (outcome.new_pool) note("new pool " + std::to_string(*outcome.new_pool));
  if (outcome.freed_block) note("freed block " + std::to_string(*outcome.freed_block));
  for (PageHandle p : outcome.released_pages) note("released page " + std::to_string(p));
  if (!notes.empty()) text += " (" + notes + ")";
  return text;
}

}  // namespace mf::model
