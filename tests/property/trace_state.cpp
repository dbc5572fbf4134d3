#include "trace_state.h"

#include <algorithm>

#include "os_rules.h"
#include "request_sizes.h"
#include "static_handles.h"

namespace mf::property {

namespace {

using ops::HandleKind;

// A creation whose new page would be larger than the run may map can only
// return 0 (the contract's own arithmetic says how much it maps).
bool creation_hopeless(const ops::Op& op, std::uint64_t memory_limit) {
  const std::optional<std::uint64_t> request = ops::creation_request(op);
  if (!request || !model::mem_request_in_range(*request)) return true;
  return model::mem_new_page_size(*request) > memory_limit;
}

}  // namespace

bool TraceState::accepts(const ops::Op& op) const {
  const ops::OpInfo& info = op.info();
  if (!info.allowed_in(target_)) return false;
  for (std::size_t i = 0; i < info.arity; ++i) {
    const ops::SyntaxClass syntax = ops::syntax_of(info.args[i]);
    if (syntax == ops::SyntaxClass::number || syntax == ops::SyntaxClass::os_call) continue;
    const ops::PtrExpr& ptr = op.args[i].ptr;
    if (!ptr.is_handle()) continue;
    if (syntax == ops::SyntaxClass::arena_handle && ptr.kind() != HandleKind::arena) return false;
    if (syntax == ops::SyntaxClass::pool_handle && ptr.kind() != HandleKind::pool) return false;
    if (!handles_.exists(ptr.kind(), ptr.index)) return false;
  }
  return true;
}

void TraceState::apply(const ops::Op& op) {
  guess_effects(op);
  handles_.apply(op);
  if (op.code == ops::OpCode::memory_limit) memory_limit_ = op.args[0].number;
  if (std::optional<HandleKind> kind = ops::created_kind(op.code)) {
    HandleGuess guess;
    guess.likely_null = creation_hopeless(op, memory_limit_);
    guesses_[index(*kind)].push_back(guess);
  }
}

void TraceState::guess_effects(const ops::Op& op) {
  const ops::PtrExpr& owner = op.args[0].ptr;
  if (!owner.is_handle() || !handles_.exists(owner.kind(), owner.index)) return;
  HandleGuess& g = guesses_[index(owner.kind())][owner.index];
  const ops::StaticHandle& h = handles_.handle(owner.kind(), owner.index);
  switch (op.info().effect) {
    case ops::Effect::arena_bump: {
      const std::optional<std::uint64_t> taken = model::arena_alloc_size(op.args[1].number);
      if (taken && *taken <= h.size - std::min(h.size, g.arena_used)) g.arena_used += *taken;
      break;
    }
    case ops::Effect::arena_reset:
      g.arena_used = 0;
      break;
    case ops::Effect::pool_take:
      if (!g.pool_free.empty()) {
        g.pool_free.pop_back();
      } else if (g.pool_bump < h.capacity) {
        ++g.pool_bump;
      }
      break;
    case ops::Effect::pool_return: {
      const ops::PtrExpr& obj = op.args[1].ptr;
      if (h.size == 0 || !obj.is_handle() || obj.kind() != HandleKind::pool || obj.index != owner.index || !obj.start ||
          obj.offset % h.size != 0) {
        break;
      }
      const std::uint64_t k = obj.offset / h.size;
      if (k < g.pool_bump && std::find(g.pool_free.begin(), g.pool_free.end(), k) == g.pool_free.end()) {
        g.pool_free.push_back(k);
      }
      break;
    }
    default:
      break;
  }
}

std::vector<std::uint32_t> TraceState::usable(HandleKind kind) const {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < handles_.live_count(kind); ++i) {
    const std::uint32_t h = handles_.live_at(kind, i);
    if (!guesses_[index(kind)][h].likely_null) out.push_back(h);
  }
  return out;
}

std::vector<std::uint64_t> TraceState::likely_live_slots(std::uint32_t pool) const {
  const HandleGuess& g = guesses_[index(HandleKind::pool)][pool];
  std::vector<std::uint64_t> out;
  for (std::uint64_t k = 0; k < g.pool_bump; ++k) {
    if (std::find(g.pool_free.begin(), g.pool_free.end(), k) == g.pool_free.end()) out.push_back(k);
  }
  return out;
}

}  // namespace mf::property
