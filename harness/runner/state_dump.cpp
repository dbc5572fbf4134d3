// Both sides' state as text, side by side in a Divergence.  Addresses are
// written as model page + offset wherever the page is bound, so the two dumps
// can be compared line by line.

#include <cstdio>

#include "morph_abi.h"
#include "session_impl.h"
#include "hex_text.h"

namespace mf::runner {

namespace {

using namespace mf::layout;

constexpr std::size_t kMaxPagesShown = 32;

// The OS's side of a dump: the same line for the run's OS and the model's,
// both being OsRules.
std::string describe_os(const model::OsRules& os) {
  return "  os: " + std::to_string(os.mmap_calls()) + " mmap, " + std::to_string(os.munmap_calls()) + " munmap, " +
         std::to_string(os.mapped_bytes()) + " bytes mapped, clock " + std::to_string(os.time()) + "\n";
}

}  // namespace

std::string Session::Impl::dump_sut_state() const {
  std::string out = "  pages (SUT, head first):\n";
  auto head = reinterpret_cast<std::uint64_t>(mem_page_list_head());
  std::size_t shown = 0;
  // Follow the list only through bound pages: a corrupt link must not make
  // the report itself fault.
  for (std::uint64_t addr = head; addr != 0; ++shown) {
    if (shown == kMaxPagesShown) {
      out += "    ...\n";
      break;
    }
    std::optional<model::PageHandle> page = pages_.page_at_base(addr);
    if (!page) {
      out += "    " + hex(addr) + " (not a page the model knows; not followed)\n";
      break;
    }
    const auto* q = reinterpret_cast<const std::uint64_t*>(addr);
    out += "    page " + std::to_string(*page) + ": next " + pages_.describe(q[0]) + ", prev " + pages_.describe(q[1]) +
           ", ts " + std::to_string(q[2]) + ", size " + std::to_string(q[3]) + ", magic " + hex(q[4]) +
           ", block size " + std::to_string(q[6]) + ", live " + std::to_string(q[7]) + ", free head " +
           pages_.describe(q[8]) + ", bump " + pages_.describe(q[9]) + ", class " + std::to_string(q[10]) + "\n";
    addr = q[0];
  }
  out += "  mem_page_count " + std::to_string(mem_page_count()) + "\n";
  for (std::uint32_t i = 0; i < arenas_.size(); ++i) {
    if (!arenas_[i].live) continue;
    const auto* h = reinterpret_cast<const MfArenaHeader*>(arenas_[i].header);
    out += "  " + arena_name(i) + " at " + pages_.describe(arenas_[i].header) + ": start " + pages_.describe(h->start) +
           ", current " + pages_.describe(h->current) + ", end " + pages_.describe(h->end) + ", id " +
           std::to_string(h->id) + "\n";
  }
  for (std::uint32_t i = 0; i < pools_.size(); ++i) {
    if (!pools_[i].live) continue;
    const auto* h = reinterpret_cast<const MfPoolHeader*>(pools_[i].header);
    out += "  " + pool_name(i) + " at " + pages_.describe(pools_[i].header) + ": start " + pages_.describe(h->start) +
           ", current " + pages_.describe(h->current) + ", end " + pages_.describe(h->end) + ", obj_size " +
           std::to_string(h->obj_size) + ", free head " + pages_.describe(h->free_head) + "\n";
  }
  out += describe_os(env_->rules());
  return out;
}

std::string Session::Impl::dump_model_state() const {
  std::string out = "  pages (model, head first):\n";
  std::size_t shown = 0;
  for (model::PageHandle h : model_.pages().list()) {
    if (shown++ == kMaxPagesShown) {
      out += "    ...\n";
      break;
    }
    const model::PageView v = model_.pages().view(h);
    out += "    page " + std::to_string(h) + ": next " + model::to_string(v.next) + ", prev " + model::to_string(v.prev) +
           ", ts " + std::to_string(v.timestamp) + ", size " + std::to_string(v.page_size) + ", magic " +
           hex(v.magic) + ", block size " + std::to_string(v.block_size) + ", live " + std::to_string(v.live) +
           ", free head " + model::to_string(v.free_head) + ", bump " + model::to_string(v.bump) + ", class " +
           std::to_string(v.class_index) + "\n";
  }
  out += "  mem_page_count " + std::to_string(model_.pages().list().size()) + "\n";
  for (std::uint32_t i = 0; i < arenas_.size(); ++i) {
    if (!arenas_[i].live) continue;
    const model::ArenaView v = model_.arenas().view(arenas_[i].handle);
    out += "  " + arena_name(i) + " at " + model::to_string(v.header) + ": start " + model::to_string(v.start) +
           ", current " + model::to_string(v.current) + ", end " + model::to_string(v.end) + ", id " +
           std::to_string(v.id) + "\n";
  }
  for (std::uint32_t i = 0; i < pools_.size(); ++i) {
    if (!pools_[i].live) continue;
    const model::PoolView v = model_.pools().view(pools_[i].handle);
    out += "  " + pool_name(i) + " at " + model::to_string(v.header) + ": start " + model::to_string(v.start) +
           ", current " + model::to_string(v.current) + ", end " + model::to_string(v.end) + ", obj_size " +
           std::to_string(v.obj_size) + ", free head " + model::to_string(v.free_head) + "\n";
  }
  out += describe_os(model_.os());
  return out;
}

}  // namespace mf::runner
