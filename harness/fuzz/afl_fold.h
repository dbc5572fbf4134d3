// afl_fold.h - the assembly's counters in AFL++'s map (tools/asm_cov/README.md).
// AFL++ builds only.
#pragma once

// Linking afl_fold.cpp also grows AFL++'s map to hold the assembly's
// counters, from a constructor that runs before AFL++'s own.
// After each input: adds the assembly's counters into AFL++'s map and resets
// them, since AFL++ reads only its own map.
void mf_fuzz_fold_asm_coverage_into_afl();
