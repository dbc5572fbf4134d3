// loop_summaries.h - exact one-step summaries of the store loops the
// builtins use to clear memory, so that a loop whose trip count is symbolic
// (up to 2^58 for a pool's bitmap) is still proved over every count.
//
//   ascending:   L: mov %V,(%P) ; add $W,%P ; dec %C ; jne L
//                = fill [P, P + W*C) with V, P += W*C, C = 0   (needs C != 0)
//   descending:  L: mov %V,-W(%B,%C,1) ; sub $W,%C ; jne L
//                = fill [B, B + C) with V, C = 0     (needs C != 0, W | C)
//   blocks:      L: movups %xmmV,(%P) ; movups %xmmV,16(%P) ; add $32,%P ;
//                   cmp %E,%P ; jb L
//                = n = P < E ? ceil((E - P) / 32) : 1 ; fill [P, P + 32n)
//                  with xmmV, P += 32n       (needs P + 32n <= 2^64)
//
// In the first two, V, P (or B) and C must be three different registers,
// none of them rsp, and W the store's width.  The side conditions are proof obligations: a count
// that would make the loop run past 2^64 is a counterexample, not an
// assumption.  Anything else that loops is executed iteration by iteration
// (and bounded by the executor's loop limit).
#pragma once

#include "executor.h"

namespace mf::proof {

// If `insn` starts one of the loops above, applies its summary to `state`
// (continuing after the loop) and returns true.
bool apply_loop_summary(Executor& executor, MachineState& state, const Instruction& insn);

}  // namespace mf::proof
