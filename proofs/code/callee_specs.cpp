// callee_specs.cpp
#include "callee_specs.h"
#include "hex_text.h"

#include <sstream>

#include "morph_abi.h"
#include "spec_arith.h"

namespace mf::proof {
namespace {

namespace L = mf::layout;


void clobber_caller_saved(Executor& ex, MachineState& state, const std::string& callee) {
  for (Gpr r : {RCX, RDX, RSI, RDI, R8, R9, R10, R11}) ex.set(state, r, ex.fresh(state, callee + ".clobbered_" + gpr_name(r), 64));
  state.flags = {ex.fresh_bool(state, "flag_after_call"), ex.fresh_bool(state, "flag_after_call"),
                 ex.fresh_bool(state, "flag_after_call"), ex.fresh_bool(state, "flag_after_call")};
}

std::vector<z3::expr> arguments(Executor& ex, const MachineState& state) {
  return {ex.get(state, RDI), ex.get(state, RSI), ex.get(state, RDX), ex.get(state, RCX)};
}

// Assumes [p, p + n) overlaps nothing the proof knows (when `exists`).
void assume_fresh(Executor& ex, MachineState& state, const z3::expr& p, const z3::expr& n, const z3::expr& exists) {
  z3::context& c = ex.ctx();
  for (std::size_t i = 1; i < state.memory.region_count(); ++i) {
    const Region& r = state.memory.region(static_cast<int>(i));
    if (r.size == 0) continue;
    ex.assume_layout(state, !exists || !r.valid || disjoint(p, n, r.base, c.bv_val(r.size, 64)));
  }
  for (const Extent& e : state.extents) ex.assume_layout(state, !exists || !e.valid || disjoint(p, n, e.base, e.length));
}

int add_block_region(Executor& ex, MachineState& state, const FreshBlockLayout& layout, const z3::expr& base,
                     const z3::expr& valid, const z3::expr& limit, const std::string& stem) {
  if (layout.header_bytes == 0) return -1;
  auto init = std::make_shared<RegionInit>();
  init->kind = RegionInit::Kind::NamedQuads;
  auto fields = layout.fields;
  // Named after the layout, numbered so that two blocks never share contents.
  std::string prefix = (layout.name.empty() ? stem : layout.name) + "#" + std::to_string(++state.fresh_counter);
  init->quad_name = [prefix, fields](std::uint64_t offset) {
    auto f = fields.find(offset);
    return prefix + (f != fields.end() ? "." + f->second : "+" + hex(offset));
  };
  (void)ex;
  return state.memory.add_region(
      Region{layout.name.empty() ? stem : layout.name, RegionKind::Fresh, base, layout.header_bytes, valid, limit, true,
             init, {}});
}

class MemAllocSpec : public CalleeSpec {
 public:
  explicit MemAllocSpec(const FreshBlockLayout& layout) : layout_(layout) {}
  bool apply(Executor& ex, MachineState& state, const Instruction& site, z3::expr&) const override {
    z3::context& c = ex.ctx();
    z3::expr n = ex.get(state, RDI);
    auto args = arguments(ex, state);
    std::string stem = "mem_alloc@" + hex(site.address);
    z3::expr p = ex.fresh(state, stem, 64);
    z3::expr exists = p != c.bv_val(0, 64);
    ex.assume(state, z3::implies(n == c.bv_val(0, 64) || z3::ugt(n, c.bv_val(L::MEM_MAX_REQUEST, 64)), !exists));
    z3::expr user_end = c.bv_val(L::USER_SPACE_END, 64);
    ex.assume(state, z3::implies(exists, (p & c.bv_val(L::MEM_ALIGN - 1, 64)) == c.bv_val(0, 64) &&
                                             z3::uge(p, c.bv_val(L::NULL_PAGE_END, 64)) && z3::ult(p, user_end) &&
                                             z3::ule(n, user_end - p)));
    assume_fresh(ex, state, p, n, exists);
    int region = add_block_region(ex, state, layout_, p, exists, n, stem);
    state.extents.push_back({p, n, exists});
    state.memory.havoc_heap("heap_after_" + stem + "#" + std::to_string(++state.fresh_counter));
    clobber_caller_saved(ex, state, "mem_alloc");
    ex.set(state, RAX, p);
    state.calls.push_back({"mem_alloc", site.address, args, p, region});
    return true;
  }

 private:
  FreshBlockLayout layout_;
};

class MemFreeSpec : public CalleeSpec {
 public:
  bool apply(Executor& ex, MachineState& state, const Instruction& site, z3::expr&) const override {
    auto args = arguments(ex, state);
    state.memory.havoc_heap("heap_after_mem_free@" + hex(site.address) + "#" + std::to_string(++state.fresh_counter));
    clobber_caller_saved(ex, state, "mem_free");
    z3::expr r = ex.fresh(state, "mem_free.rax", 64);
    ex.set(state, RAX, r);
    state.calls.push_back({"mem_free", site.address, args, r, -1});
    return true;
  }
};

class PanicSpec : public CalleeSpec {
 public:
  explicit PanicSpec(std::string expected) : expected_(std::move(expected)) {}
  bool apply(Executor& ex, MachineState& state, const Instruction& site, z3::expr& exit_code) const override {
    auto args = arguments(ex, state);
    exit_code = ex.get(state, RegisterRef{RDI, 32, false});
    if (!expected_.empty()) check_name(ex, state, site);
    state.calls.push_back({"__mf_panic", site.address, args, ex.ctx().bv_val(0, 64), -1});
    return false;
  }

 private:
  // rsi must be a constant address inside read-only data holding the name.
  void check_name(Executor& ex, MachineState& state, const Instruction& site) const {
    z3::expr where = ex.get(state, RSI);
    for (std::size_t i = 1; i < state.memory.region_count(); ++i) {
      const Region& r = state.memory.region(static_cast<int>(i));
      std::uint64_t offset = 0;
      if (r.kind != RegionKind::Global || r.writable || !(where - r.base).simplify().is_numeral_u64(offset)) continue;
      std::string text;
      for (std::uint64_t o = offset; o < r.init->bytes.size() && r.init->bytes[o] != 0; ++o)
        text += static_cast<char>(r.init->bytes[o]);
      if (text == expected_) return;
      ex.require(state, "__mf_panic is told the function's name \"" + expected_ + "\" (it is told \"" + text + "\")",
                 ex.ctx().bool_val(false), ex.where(site));
      return;
    }
    ex.require(state, "__mf_panic is given a constant string naming \"" + expected_ + "\"", ex.ctx().bool_val(false),
               ex.where(site));
  }
  std::string expected_;
};

class MmapSpec : public CalleeSpec {
 public:
  explicit MmapSpec(const FreshBlockLayout& layout) : layout_(layout) {}
  bool apply(Executor& ex, MachineState& state, const Instruction& site, z3::expr&) const override {
    z3::context& c = ex.ctx();
    z3::expr len = ex.get(state, RDI);
    auto args = arguments(ex, state);
    std::string stem = "mmap@" + hex(site.address);
    z3::expr p = ex.fresh(state, stem, 64);
    z3::expr failed = z3::uge(p, c.bv_val(static_cast<std::uint64_t>(-4095), 64));
    z3::expr exists = !failed;
    z3::expr user_end = c.bv_val(L::USER_SPACE_END, 64);
    ex.assume(state, z3::implies(exists, (p & c.bv_val(L::OS_PAGE_SIZE - 1, 64)) == c.bv_val(0, 64) &&
                                             z3::uge(p, c.bv_val(L::NULL_PAGE_END, 64)) && z3::ult(p, user_end) &&
                                             z3::ule(len, user_end - p) && len != c.bv_val(0, 64)));
    assume_fresh(ex, state, p, len, exists);
    int region = add_block_region(ex, state, layout_, p, exists, len, stem);
    state.extents.push_back({p, len, exists});
    clobber_caller_saved(ex, state, "mmap");
    ex.set(state, RAX, p);
    state.calls.push_back({"__mf_os_mmap", site.address, args, p, region});
    return true;
  }

 private:
  FreshBlockLayout layout_;
};

// Any other OS call: an arbitrary result.  Calls that fill a buffer may
// change memory, so those make the heap unknown.
class OsCallSpec : public CalleeSpec {
 public:
  OsCallSpec(std::string name, bool writes_memory) : name_(std::move(name)), writes_memory_(writes_memory) {}
  bool apply(Executor& ex, MachineState& state, const Instruction& site, z3::expr&) const override {
    auto args = arguments(ex, state);
    if (writes_memory_)
      state.memory.havoc_heap("heap_after_" + name_ + "@" + hex(site.address) + "#" +
                              std::to_string(++state.fresh_counter));
    clobber_caller_saved(ex, state, name_);
    z3::expr r = ex.fresh(state, name_ + "@" + hex(site.address), 64);
    ex.set(state, RAX, r);
    state.calls.push_back({name_, site.address, args, r, -1});
    return true;
  }

 private:
  std::string name_;
  bool writes_memory_;
};

// alloc.s's page map, abstracted (callee_specs.h).  The heap is made unknown
// before anything a proof checks is written: the callers enter a page in the
// map before they fill and link it.
class PageMapSpec : public CalleeSpec {
 public:
  PageMapSpec(std::string name, bool may_refuse, std::vector<std::pair<int, std::uint64_t>> globals)
      : name_(std::move(name)), may_refuse_(may_refuse), globals_(std::move(globals)) {}
  bool apply(Executor& ex, MachineState& state, const Instruction& site, z3::expr&) const override {
    z3::context& c = ex.ctx();
    if (!may_refuse_) require_room(ex, state, site);
    auto args = arguments(ex, state);
    const std::string stem = name_ + "@" + hex(site.address);
    z3::expr ok = may_refuse_ ? ex.fresh_bool(state, stem + ".ok") : c.bool_val(true);
    for (const auto& [region, offset] : globals_) {
      z3::expr before = state.memory.read(region, c.bv_val(offset, 64), 8);
      state.memory.store(region, c.bv_val(offset, 64), 8, z3::ite(ok, ex.fresh(state, stem + ".global", 64), before));
    }
    state.memory.havoc_heap("heap_after_" + stem + "#" + std::to_string(++state.fresh_counter));
    clobber_caller_saved(ex, state, name_);
    z3::expr r = z3::ite(ok, c.bv_val(1, 64), c.bv_val(0, 64));
    ex.set(state, RAX, r);
    state.calls.push_back({name_, site.address, args, r, -1});
    return true;
  }

 private:
  // page_map_insert's precondition, discharged at its call site: a
  // page_map_reserve on this path returned 1 and no insert has used that
  // room since (each reserve makes room for one more page).
  static void require_room(Executor& ex, MachineState& state, const Instruction& site) {
    z3::context& c = ex.ctx();
    z3::expr room = c.bool_val(false);
    for (auto call = state.calls.rbegin(); call != state.calls.rend(); ++call) {
      if (call->callee == "page_map_insert") break;
      if (call->callee == "page_map_reserve") {
        room = call->result == c.bv_val(1, 64);
        break;
      }
    }
    ex.require(state, "page_map_insert is called only after a page_map_reserve that returned 1", room,
               ex.where(site));
  }

  std::string name_;
  bool may_refuse_;
  std::vector<std::pair<int, std::uint64_t>> globals_;
};

// page_map_find (callee_specs.h): a register-only contract.  Its answer is a
// fresh boolean tied to page_map_holds, so that a branch on ZF puts that
// boolean itself on the path and rdx = ite(found, rdx, 0) can be resolved
// by it.
class PageMapFindSpec : public CalleeSpec {
 public:
  // A leaf that makes no call: mem_free calls it with rsp as it came in.
  bool needs_aligned_stack() const override { return false; }
  bool apply(Executor& ex, MachineState& state, const Instruction& site, z3::expr&) const override {
    z3::context& c = ex.ctx();
    const std::string stem = "page_map_find@" + hex(site.address);
    z3::expr base = ex.get(state, RDX);
    auto args = arguments(ex, state);
    z3::expr found = ex.fresh_bool(state, stem + ".found");
    ex.assume(state, found == (base != c.bv_val(0, 64) && page_map_holds(c)(base)));
    for (Gpr r : {R8, R9, R10, R11}) ex.set(state, r, ex.fresh(state, stem + ".clobbered_" + gpr_name(r), 64));
    z3::expr rdx = z3::ite(found, base, c.bv_val(0, 64));
    ex.set(state, RDX, rdx);
    state.flags = {ex.fresh_bool(state, "flag_after_call"), !found, ex.fresh_bool(state, "flag_after_call"),
                   ex.fresh_bool(state, "flag_after_call")};
    state.calls.push_back({"page_map_find", site.address, args, rdx, -1});
    return true;
  }
};

// new_slab's contract (callee_specs.h).  Its preconditions are required at
// the call site, so a caller that can pass a class out of range, or whose
// kept slab may overlap memory it knows, fails its own proof here.
class NewSlabSpec : public CalleeSpec {
 public:
  explicit NewSlabSpec(const CalleeConfig& config) : config_(config) {}
  bool apply(Executor& ex, MachineState& state, const Instruction& site, z3::expr&) const override {
    z3::context& c = ex.ctx();
    const CalleeConfig::PageList& g = config_.page_list;
    z3::expr index = ex.get(state, RDI);
    ex.require(state, "new_slab's precondition at its call: the class is below NUM_CLASSES",
               z3::ult(index, c.bv_val(L::NUM_CLASSES, 64)), ex.where(site));
    auto due = config_.facts_at_call.find("new_slab");
    if (due != config_.facts_at_call.end())
      for (const z3::expr& fact : due->second) ex.assume_layout(state, fact);
    z3::expr kept = global(state, g.kept_slabs);
    z3::expr is_kept = kept != c.bv_val(0, 64);
    ex.require(state,
               "new_slab's precondition at its call: the kept slab, if any, is a 64 KiB-aligned slab in user space "
               "apart from all memory the caller knows and from the live page at the head",
               !is_kept || kept_slab_apart(state, kept, global(state, g.head)), ex.where(site));
    auto args = arguments(ex, state);
    const std::string stem = "new_slab@" + hex(site.address);
    z3::expr slab = ex.fresh(state, stem, 64);
    z3::expr exists = slab != c.bv_val(0, 64);
    // The kept slab is taken back when there is one; its link (the quad at
    // its base, as the caller's memory holds it) becomes the top.
    ex.assume(state, z3::implies(exists && is_kept, slab == kept));
    z3::expr kept_link = state.memory.read(state.memory.heap(), kept, 8);
    z3::expr kept_bytes = global(state, g.kept_bytes);
    set_global(state, g.kept_slabs, z3::ite(exists && is_kept, kept_link, kept));
    set_global(state, g.kept_bytes,
               z3::ite(exists && is_kept, kept_bytes - c.bv_val(L::SLAB_SIZE, 64), kept_bytes));
    ex.assume(state, z3::implies(exists, (slab & c.bv_val(L::OS_PAGE_SIZE - 1, 64)) == c.bv_val(0, 64) &&
                                             z3::uge(slab, c.bv_val(L::NULL_PAGE_END, 64)) &&
                                             z3::ule(slab, c.bv_val(L::USER_SPACE_END - L::SLAB_SIZE, 64))));
    assume_fresh(ex, state, slab, c.bv_val(L::SLAB_SIZE, 64), exists);
    z3::expr old_head = global(state, g.head);
    link(ex, state, stem, slab, exists);
    state.memory.havoc_heap("heap_after_" + stem + "#" + std::to_string(++state.fresh_counter));
    int region = add_block_region(ex, state, config_.slab_block, slab, exists, c.bv_val(L::SLAB_SIZE, 64), stem);
    if (region >= 0) fill_header(state, region, slab, index, old_head);
    state.extents.push_back({slab, c.bv_val(L::SLAB_SIZE, 64), exists});
    clobber_caller_saved(ex, state, "new_slab");
    ex.set(state, RAX, slab);
    state.calls.push_back({"new_slab", site.address, args, slab, region});
    return true;
  }

 private:
  z3::expr global(const MachineState& state, std::uint64_t offset) const {
    return state.memory.read(config_.page_list.region, state.regs[0].ctx().bv_val(offset, 64), 8);
  }
  void set_global(MachineState& state, std::uint64_t offset, const z3::expr& value) const {
    state.memory.store(config_.page_list.region, state.regs[0].ctx().bv_val(offset, 64), 8, value);
  }
  // A kept slab as new_slab's proof assumes it (alloc_specs.cpp,
  // kept_slab_in_user_space and the layout of its entry state).
  static z3::expr kept_slab_apart(const MachineState& state, const z3::expr& kept, const z3::expr& head) {
    z3::context& c = kept.ctx();
    z3::expr slab_size = c.bv_val(L::SLAB_SIZE, 64);
    z3::expr apart = (kept & c.bv_val(L::SLAB_SIZE - 1, 64)) == c.bv_val(0, 64) &&
                     z3::ule(kept, c.bv_val(L::USER_SPACE_END - L::SLAB_SIZE, 64)) &&
                     (head == c.bv_val(0, 64) || disjoint(kept, slab_size, head, c.bv_val(L::PAGE_EXT_END, 64)));
    for (std::size_t i = 1; i < state.memory.region_count(); ++i) {
      const Region& r = state.memory.region(static_cast<int>(i));
      if (r.size > 0) apart = apart && (!r.valid || disjoint(kept, slab_size, r.base, c.bv_val(r.size, 64)));
    }
    for (const Extent& e : state.extents) apart = apart && (!e.valid || disjoint(kept, slab_size, e.base, e.length));
    return apart;
  }
  // The page list and the page map's globals after it (the map may have
  // grown even when the mapping was then refused).
  void link(Executor& ex, MachineState& state, const std::string& stem, const z3::expr& slab,
            const z3::expr& exists) const {
    z3::context& c = ex.ctx();
    const CalleeConfig::PageList& g = config_.page_list;
    z3::expr head = global(state, g.head), count = global(state, g.count), live = global(state, g.live_bytes);
    set_global(state, g.head, z3::ite(exists, slab, head));
    set_global(state, g.count, z3::ite(exists, count + c.bv_val(1, 64), count));
    set_global(state, g.live_bytes, z3::ite(exists, live + c.bv_val(L::SLAB_SIZE, 64), live));
    for (const auto& [region, offset] : config_.page_map_globals)
      state.memory.store(region, c.bv_val(offset, 64), 8, ex.fresh(state, stem + ".page_map_global", 64));
  }
  // The header new_slab's proof shows: next = the old head, prev 0, page
  // size, magic, reserved 0, the class's block size and recip, live 0, free
  // head 0, bump at the first block (the timestamp stays unknown).
  void fill_header(MachineState& state, int region, const z3::expr& slab, const z3::expr& index,
                   const z3::expr& old_head) const {
    z3::context& c = slab.ctx();
    z3::expr size = spec::class_block_size(index);
    z3::expr recip = z3::udiv(spec::u64(c, 1ULL << spec::kRecipShift) + size - spec::u64(c, 1), size);
    z3::expr zero = c.bv_val(0, 64);
    const std::vector<std::pair<std::uint64_t, z3::expr>> fields = {
        {L::PAGE_NEXT, old_head},
        {L::PAGE_PREV, zero},
        {L::PAGE_SIZE_FIELD, c.bv_val(L::SLAB_SIZE, 64)},
        {L::PAGE_MAGIC, c.bv_val(L::PAGE_MAGIC_VALUE, 64)},
        {L::PAGE_RESERVED, zero},
        {L::PAGE_BLOCK_SIZE, size},
        {L::PAGE_LIVE, zero},
        {L::PAGE_FREE_HEAD, zero},
        {L::PAGE_BUMP, slab + c.bv_val(L::SLAB_BLOCKS_OFFSET, 64)},
        {L::PAGE_CLASS, index},
        {L::PAGE_RECIP, recip}};
    for (const auto& [offset, value] : fields) state.memory.store(region, c.bv_val(offset, 64), 8, value);
  }

  CalleeConfig config_;
};

}  // namespace

z3::func_decl page_map_holds(z3::context& ctx) {
  return ctx.function("page_map_holds", ctx.bv_sort(64), ctx.bool_sort());
}

CalleeSpecs::CalleeSpecs(const CalleeConfig& config) {
  specs_["page_map_reserve"] = std::make_unique<PageMapSpec>("page_map_reserve", true, config.page_map_globals);
  specs_["page_map_insert"] = std::make_unique<PageMapSpec>("page_map_insert", false,
                                                            std::vector<std::pair<int, std::uint64_t>>{});
  specs_["page_map_find"] = std::make_unique<PageMapFindSpec>();
  if (config.page_list.region >= 0) specs_["new_slab"] = std::make_unique<NewSlabSpec>(config);
  specs_["mem_alloc"] = std::make_unique<MemAllocSpec>(config.mem_alloc_block);
  specs_["mem_free"] = std::make_unique<MemFreeSpec>();
  specs_["__mf_panic"] = std::make_unique<PanicSpec>(config.panic_name);
  specs_["__mf_os_mmap"] = std::make_unique<MmapSpec>(config.mmap_block);
  for (const char* name : {"__mf_os_time", "__mf_os_munmap", "__mf_os_getpid", "__mf_os_getuid", "__mf_os_close",
                           "__mf_os_kill", "__mf_os_unlinkat", "__mf_os_write"})
    specs_[name] = std::make_unique<OsCallSpec>(name, false);
  for (const char* name : {"__mf_os_read", "__mf_os_getdents64", "__mf_os_fstat", "__mf_os_fstatat",
                           "__mf_os_openat", "__mf_os_rt_sigaction", "__mf_os_sigaltstack", "__mf_os_nanosleep"})
    specs_[name] = std::make_unique<OsCallSpec>(name, true);
}

const CalleeSpec* CalleeSpecs::find(const std::string& name) const {
  auto i = specs_.find(name);
  return i == specs_.end() ? nullptr : i->second.get();
}

}  // namespace mf::proof
