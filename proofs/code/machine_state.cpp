// machine_state.cpp
#include "machine_state.h"

#include <string>

namespace mf::proof {

MachineState::MachineState(z3::context& ctx)
    : flags{ctx.bool_val(false), ctx.bool_val(false), ctx.bool_val(false), ctx.bool_val(false)},
      memory(ctx) {
  for (int i = 0; i < kGprCount; ++i) regs.push_back(ctx.bv_const(gpr_name(i), 64));
  for (int i = 0; i < 16; ++i) xmm.push_back(ctx.bv_const(("xmm" + std::to_string(i)).c_str(), 128));
}

}  // namespace mf::proof
