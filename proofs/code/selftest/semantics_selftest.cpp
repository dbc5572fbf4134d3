// semantics_selftest.cpp - runs every snippet of semantics_snippets.s on the
// CPU and through the symbolic executor with the same concrete inputs, and
// compares the results and flags.  The executor's model of each instruction
// is only as good as this agreement: a wrong carry, a missed zero-extension
// or a mis-decoded condition code shows up here as a concrete mismatch.
//
//   mf_semantics_selftest <objdump> <snippets object>
#include <cstdint>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "executor.h"
#include "object_code.h"
#include "prover.h"

namespace {

struct Pair {
  std::uint64_t rax, rdx;
};

// Shifts leave OF undefined unless the count is 1: kShiftMask is resolved
// per input in main().
constexpr std::uint64_t kShiftMask = 0x100;
constexpr std::uint64_t kAll = ~0ULL;

extern "C" {
#define MF_SNIPPETS(X)                                                                                           \
  X(snip_add64, 0xF) X(snip_sub64, 0xF) X(snip_cmp64, 0xF) X(snip_and64, 0xF) X(snip_or64, 0xF)                \
  X(snip_xor64, 0xF) X(snip_test64, 0xF) X(snip_add32, 0xF) X(snip_sub32, 0xF) X(snip_sub8, 0xF)               \
  X(snip_add16, 0xF) X(snip_inc64, 0xE) X(snip_dec64, 0xE) X(snip_neg64, 0xF) X(snip_not64, 0xF)               \
  X(snip_inc32, 0xE) X(snip_imul64, 0x9) X(snip_imul3, 0x9) X(snip_bt, 0x1) X(snip_bts, 0x1) X(snip_btr, 0x1)  \
  X(snip_bt_imm, 0x1) X(snip_bsr, 0x2) X(snip_bsf, 0x2) X(snip_bsr32, 0x2) X(snip_bsr_zf, 0x2)                  \
  X(snip_bsf_zf, 0x2) X(snip_shl_cl, kShiftMask) X(snip_shr_cl, kShiftMask) X(snip_sar_cl, kShiftMask)          \
  X(snip_shl32_cl, kShiftMask) X(snip_shl1, 0xF) X(snip_shr1, 0xF) X(snip_sar1, 0xF) X(snip_shl5, 0x7)         \
  X(snip_shr63, 0x7) X(snip_mul, kAll) X(snip_mul_flags, 0x9) X(snip_div, kAll) X(snip_moves, kAll)             \
  X(snip_signs, kAll) X(snip_conditions, kAll) X(snip_cmov, kAll) X(snip_fill_loops, kAll) \
  X(snip_block_loop, kAll) X(snip_rep_stosq, kAll) X(snip_rep_stosb, kAll) X(snip_fill_loop_flags, 0xF)    \
  X(snip_indexed_loop_flags, 0xF) X(snip_block_loop_flags, 0xF)
#define MF_DECLARE(name, mask) Pair name(std::uint64_t, std::uint64_t);
MF_SNIPPETS(MF_DECLARE)
#undef MF_DECLARE
}

struct Snippet {
  const char* name;
  Pair (*native)(std::uint64_t, std::uint64_t);
  std::uint64_t rdx_mask;
};

const std::vector<Snippet>& snippets() {
#define MF_ENTRY(name, mask) {#name, &name, mask},
  static const std::vector<Snippet> all = {MF_SNIPPETS(MF_ENTRY)};
#undef MF_ENTRY
  return all;
}

class Capture : public mf::proof::ExecutionHooks {
 public:
  void on_end(mf::proof::PathEnd end) override { ends.push_back(std::move(end)); }
  bool on_access(const mf::proof::AccessEvent&, mf::proof::MachineState&) override { return true; }
  const mf::proof::CalleeSpec* callee(const std::string&) const override { return nullptr; }
  std::vector<z3::expr> nice_constraints() const override { return {}; }
  std::vector<mf::proof::PathEnd> ends;
};

// The executor's rax and rdx for concrete inputs, or false when the run did
// not end in exactly one path with numeral results under `mask`.
bool symbolic(z3::context& ctx, const mf::proof::ObjectCode& code, const std::string& name, std::uint64_t a,
              std::uint64_t b, std::uint64_t mask, Pair& out, std::string& why) {
  using namespace mf::proof;
  z3::solver solver(ctx);
  MachineState state = entry_state(ctx, code, name, 512);
  // The stack lies in user space, as on the CPU (loops over stack buffers
  // must not be able to wrap).
  z3::expr rsp = state.regs[RSP];
  const z3::expr user_stack =
      z3::uge(rsp, ctx.bv_val(std::uint64_t{1} << 20, 64)) && z3::ult(rsp, ctx.bv_val(std::uint64_t{1} << 47, 64));
  solver.add(user_stack);
  PathFacts path(ctx);
  path.add(user_stack);
  state.regs[RDI] = ctx.bv_val(static_cast<std::uint64_t>(a), 64);
  state.regs[RSI] = ctx.bv_val(static_cast<std::uint64_t>(b), 64);
  Capture capture;
  ExecutorOptions options;
  Executor executor(ctx, path, code, capture, options);
  executor.run(state);
  if (capture.ends.size() != 1) {
    why = std::to_string(capture.ends.size()) + " paths";
    return false;
  }
  const MachineState& end = capture.ends.front().state;
  z3::expr rdx = (end.regs[RDX] & ctx.bv_val(static_cast<std::uint64_t>(mask), 64)).simplify();
  // A result may still mention the stack pointer (the flags of a compare of
  // two stack addresses, after a summarised loop) and yet have one value
  // wherever the stack can be: the solver, under the constraint above, says
  // whether it has exactly one.
  auto determined = [&](const z3::expr& e, std::uint64_t& value) {
    if (e.is_numeral_u64(value)) return true;
    if (solver.check() != z3::sat) return false;
    if (!solver.get_model().eval(e, true).is_numeral_u64(value)) return false;
    solver.push();
    solver.add(e != ctx.bv_val(value, 64));
    const bool unique = solver.check() == z3::unsat;
    solver.pop();
    return unique;
  };
  if (!determined(end.regs[RAX].simplify(), out.rax) || !determined(rdx, out.rdx)) {
    why = "result not determined by the inputs: rax = " + end.regs[RAX].to_string() + ", rdx = " + rdx.to_string();
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: mf_semantics_selftest <objdump> <snippets object>\n";
    return 2;
  }
  mf::proof::ObjectCode code = mf::proof::ObjectCode::load(argv[1], argv[2]);
  // Edge values of each width's carry and sign, shift counts around 1 and
  // 63/64, and a few fixed pseudo-random ones.
  std::vector<std::uint64_t> values = {0, 1, 63, 0x80, 0xff, 0x7fffffff, 0xffffffff, ~0ULL >> 1, 1ULL << 63, ~0ULL};
  std::mt19937_64 random(20240517);
  values.push_back(random());
  int failures = 0, checks = 0;
  z3::context ctx;
  for (const Snippet& s : snippets()) {
    for (std::uint64_t a : values) {
      for (std::uint64_t b : values) {
        if (std::string(s.name) == "snip_div" && b == 0) continue;  // #DE natively
        std::uint64_t mask = s.rdx_mask;
        if (mask == kShiftMask) {
          std::uint64_t count = b & (std::string(s.name) == "snip_shl32_cl" ? 31 : 63);
          mask = count == 1 || count == 0 ? 0xF : 0x7;
        }
        Pair native = s.native(a, b);
        native.rdx &= mask;
        Pair modelled{};
        std::string why;
        ++checks;
        bool ok = false;
        try {
          ok = symbolic(ctx, code, s.name, a, b, mask, modelled, why);
        } catch (const std::exception& e) {
          why = e.what();
        } catch (const mf::proof::CounterexampleFound& cex) {
          why = "the executor refuted \"" + cex.obligation + "\" at " + cex.site;
        }
        if (!ok || modelled.rax != native.rax || modelled.rdx != native.rdx) {
          if (++failures <= 20)
            std::cout << "MISMATCH " << s.name << "(0x" << std::hex << a << ", 0x" << b << "): cpu rax=0x"
                      << native.rax << " rdx=0x" << native.rdx << ", executor "
                      << (ok ? "rax=0x" + [&] {
                           std::ostringstream o;
                           o << std::hex << modelled.rax << " rdx=0x" << modelled.rdx;
                           return o.str();
                         }()
                             : why)
                      << std::dec << "\n";
        }
      }
    }
  }
  std::cout << checks << " snippet runs compared, " << failures << " mismatches\n";
  return failures == 0 ? 0 : 1;
}
