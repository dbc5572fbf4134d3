# `mfh minimize` against a broken SUT (tests/mutants/arena_exact_fit_refused:
# arena_alloc refuses a request that fits exactly).  A long pseudo-random
# arena trace that ends up asking for an exact fit must shrink to at most 6
# ops that still diverge the same way, and the result must pass on the real
# SUT (it is a regression trace for the fixed code).
#   cmake -DMFH=<mfh> -DMUTANT_MFH=<mfh linked with the mutant> -DWORK=<dir> -P mfh_minimize_mutant.cmake

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# A fixed linear congruential sequence: the same trace on every run.
set(state 20261125)
macro(next_random bound out)
  math(EXPR state "(${state} * 1103515245 + 12345) % 2147483648")
  math(EXPR ${out} "(${state} / 65536) % ${bound}")
endmacro()

set(trace "# mfh trace v1 target=arena\n")
set(arenas 0)
set(op_count 0)
foreach(i RANGE 1 150)
  next_random(8 pick)
  if(arenas EQUAL 0 OR pick EQUAL 0)
    # Sizes 100..611 that are not multiples of 8 never fit a Round8 request exactly.
    next_random(64 size)
    math(EXPR size "${size} * 8 + 101")
    string(APPEND trace "arena_create ${size}\n")
    math(EXPR arenas "${arenas} + 1")
  else()
    next_random(${arenas} a)
    if(pick LESS 4)
      next_random(40 size)
      string(APPEND trace "arena_alloc a${a} ${size}\n")
    elseif(pick EQUAL 4)
      string(APPEND trace "arena_usage a${a}\n")
    elseif(pick EQUAL 5)
      string(APPEND trace "arena_reset a${a}\n")
    elseif(pick EQUAL 6)
      string(APPEND trace "arena_capacity a${a}\n")
    else()
      next_random(100000 seconds)
      string(APPEND trace "clock_advance ${seconds}\n")
    endif()
  endif()
  math(EXPR op_count "${op_count} + 1")
endforeach()
# The bug: 40 + 56 = 96 bytes fill the arena exactly.  More ops follow it.
string(APPEND trace "arena_create 96\narena_alloc a${arenas} 40\narena_alloc a${arenas} 56\n")
string(APPEND trace "arena_usage a0\narena_reset a0\narena_alloc a0 8\n")
file(WRITE "${WORK}/long.trace" "${trace}")

set(failures "")
# run(<status> <text in the output or "">  <program> <arguments>...): output in `last_output`.
function(run want_status want_text program)
  execute_process(COMMAND "${program}" ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(last_output "${out}${err}" PARENT_SCOPE)
  string(FIND "${out}${err}" "${want_text}" at)
  if(NOT status STREQUAL "${want_status}" OR at EQUAL -1)
    set(failures "${failures}\n${program} ${ARGN}: status ${status} (want ${want_status}, text '${want_text}'), output:\n${out}${err}"
        PARENT_SCOPE)
  endif()
endfunction()

# The long trace diverges on the mutant, at the exact fit.
run(1 "what:     the result differs" "${MUTANT_MFH}" replay --quiet "${WORK}/long.trace")
run(0 "signature: arena arena_alloc: the result differs" "${MUTANT_MFH}" minimize "${WORK}/long.trace"
    -o "${WORK}/min.trace")
message(STATUS "${last_output}")

# At most 6 ops (lines that are neither the header, blank nor a comment).
file(STRINGS "${WORK}/min.trace" lines)
set(ops 0)
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^[ \t]*(#.*)?$")
    math(EXPR ops "${ops} + 1")
  endif()
endforeach()
if(ops GREATER 6 OR ops EQUAL 0)
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
run(0 "signature: arena arena_usage: the model disagrees with the trace's expectation" "${MFH}" minimize
    "${WORK}/wrong_expectation.trace" -o "${WORK}/wrong_expectation.min")
run(1 "the model disagrees with the trace's expectation" "${MFH}" replay "${WORK}/wrong_expectation.min")

# Inputs that do not diverge are refused with the reason.
file(WRITE "${WORK}/agrees.trace" "# mfh trace v1 target=arena\narena_create 64 -> a0\narena_alloc a0 64\n")
run(2 "does not diverge" "${MFH}" minimize "${WORK}/agrees.trace")
run(2 "bad --max-runs" "${MUTANT_MFH}" minimize "${WORK}/min.trace" -o "${WORK}/unused.trace" --max-runs=0)

if(failures)
  message(FATAL_ERROR "${failures}")
endif()
