# `mfh minimize` against a broken SUT (tests/mutants/arena_exact_fit_refused:
# arena_alloc refuses a request that fits exactly).  A long pseudo-random
# arena trace that ends up asking for an exact fit must shrink to at most 6
# ops that still diverge the same way, and the result must pass on the real
# SUT (it is a regression trace for the fixed code).
#   cmake -DMFH=<mfh> -DMUTANT_MFH=<mfh linked with the mutant> -DWORK=<dir> -P mfh_minimize_mutant.cmake

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

include(${CMAKE_CURRENT_LIST_DIR}/long_arena_trace.cmake)
long_arena_trace(trace)
file(WRITE "${WORK}/long.trace" "${trace}")

include(${CMAKE_CURRENT_LIST_DIR}/cli_check.cmake)

# The long trace diverges on the mutant, at the exact fit.
run(1 "what:     the result differs" "${MUTANT_MFH}" replay --quiet "${WORK}/long.trace")
run(0 "signature: MF-DIVERGENCE target=arena op=arena_alloc field=the_result_differs" "${MUTANT_MFH}" minimize "${WORK}/long.trace"
    -o "${WORK}/min.trace")
message(STATUS "${last_output}")

# At most 6 ops.
count_ops("${WORK}/min.trace" ops)
if(ops GREATER 6 OR ops EQUAL 0)
  file(READ "${WORK}/min.trace" lines)
  string(APPEND failures "\nthe minimized trace has ${ops} ops (want 1..6):\n${lines}")
endif()

# The same divergence on the mutant, none on the real SUT.
run(1 "what:     the result differs" "${MUTANT_MFH}" replay "${WORK}/min.trace")
string(FIND "${last_output}" "arena_alloc a0" at)
if(at EQUAL -1)
  string(APPEND failures "\nthe minimized trace does not diverge at an arena_alloc:\n${last_output}")
endif()
run(0 "verdict: agree" "${MFH}" replay "${WORK}/min.trace")
run(0 "verdict: agree" "${MFH}" replay --native "${WORK}/min.trace")

# A wrong expectation is a divergence too; the minimized trace keeps it.
file(WRITE "${WORK}/wrong_expectation.trace"
     "# mfh trace v1 target=arena\narena_create 64\narena_create 128\narena_alloc a1 8\narena_alloc a0 8\n"
     "arena_usage a1 -> 9\narena_reset a0\n")
run(0 "signature: MF-DIVERGENCE target=arena op=arena_usage field=the_model_disagrees_with_the_trace_s_expectation" "${MFH}" minimize
    "${WORK}/wrong_expectation.trace" -o "${WORK}/wrong_expectation.min")
run(1 "the model disagrees with the trace's expectation" "${MFH}" replay "${WORK}/wrong_expectation.min")

# Inputs that do not diverge are refused with the reason.
file(WRITE "${WORK}/agrees.trace" "# mfh trace v1 target=arena\narena_create 64 -> a0\narena_alloc a0 64\n")
run(2 "does not diverge" "${MFH}" minimize "${WORK}/agrees.trace")
run(2 "bad --max-runs" "${MUTANT_MFH}" minimize "${WORK}/min.trace" -o "${WORK}/unused.trace" --max-runs=0)

if(failures)
  message(FATAL_ERROR "${failures}")
endif()
