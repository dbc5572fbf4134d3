# `mfh triage` and `mfh reproduce` against a broken SUT
# (tests/mutants/arena_exact_fit_refused), with inputs as the fuzzers leave
# them: two binary crash files of one bug (156 ops each), a text trace of the
# same bug, and an input that agrees.
#   * triage writes one finding: a regression trace of at most 6 ops with a
#     signature line, the original input and a note; the duplicates are
#     counted; exit 1 (new finding).
#   * the regression trace diverges on the broken SUT and passes on the real
#     one (it fails until the bug is fixed, passes after).
#   * reproduce on the raw crash file prints the divergence (exit 1); on the
#     real SUT it does not reproduce (exit 3).
#   * once the regression trace is under the regressions directory, or the
#     signature is in the known list, triage exits 0 and says "known".
#   * a malformed known list, a missing --out, no input: exit 2.
#   cmake -DMFH=<mfh> -DMUTANT_MFH=<mfh linked with the mutant> -DWORK=<dir> -P mfh_triage_mutant.cmake

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/crashes/arena" "${WORK}/regressions")
include(${CMAKE_CURRENT_LIST_DIR}/cli_check.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/long_arena_trace.cmake)
long_arena_trace(trace)
file(WRITE "${WORK}/long.trace" "${trace}")
run(0 "" "${MFH}" convert "${WORK}/long.trace" "${WORK}/crashes/arena/crash-1")
file(COPY_FILE "${WORK}/crashes/arena/crash-1" "${WORK}/crashes/arena/crash-2")
file(WRITE "${WORK}/crashes/arena/agrees.trace" "# mfh trace v1 target=arena\narena_create 64 -> a0\n")
set(no_known "--known=${WORK}/none.txt")
set(signature "MF-DIVERGENCE target=arena op=arena_alloc field=the_result_differs")
set(finding "${WORK}/out/arena-arena_alloc-the_result_differs")

run(1 "1 new" "${MUTANT_MFH}" triage "--out=${WORK}/out" ${no_known} "--regressions=${WORK}/regressions"
    "${WORK}/crashes/arena" "${WORK}/long.trace")
message(STATUS "${last_output}")
foreach(file regression.trace note.md input-crash-1)
  if(NOT EXISTS "${finding}/${file}")
    string(APPEND failures "\ntriage wrote no ${finding}/${file}")
  endif()
endforeach()
file(READ "${WORK}/out/triage.tsv" tsv)
if(NOT tsv MATCHES "new\t3\t${signature}" OR NOT tsv MATCHES "does-not-reproduce\t1\t-\tthe SUT and the model agree\t[^\n]*agrees.trace")
  string(APPEND failures "\ntriage.tsv does not count 3 inputs of one new signature and 1 that agrees:\n${tsv}")
endif()
if(EXISTS "${finding}/regression.trace")
  count_ops("${finding}/regression.trace" ops)
  file(READ "${finding}/regression.trace" regression)
  if(ops GREATER 6 OR ops EQUAL 0 OR NOT regression MATCHES "# signature: ${signature}")
    string(APPEND failures "\nthe regression trace has ${ops} ops (want 1..6) or no signature line:\n${regression}")
  endif()
  run(1 "the result differs" "${MUTANT_MFH}" replay "${finding}/regression.trace")
  run(0 "verdict: agree" "${MFH}" replay "${finding}/regression.trace")
  file(COPY_FILE "${finding}/regression.trace" "${WORK}/regressions/exact_fit.trace")
endif()

run(1 "${signature}" "${MUTANT_MFH}" reproduce "${WORK}/crashes/arena/crash-1" -o "${WORK}/reproduced.trace")
run(3 "does not reproduce" "${MFH}" reproduce "${WORK}/crashes/arena/crash-1")
file(COPY_FILE "${WORK}/crashes/arena/crash-1" "${WORK}/crash-without-target")
run(2 "needs a target" "${MFH}" reproduce "${WORK}/crash-without-target")
run(1 "${signature}" "${MUTANT_MFH}" reproduce --target=arena "${WORK}/crash-without-target")
run(2 "cannot open" "${MFH}" reproduce "${WORK}/missing")

# Known: through the regressions directory, then through the list.
run(0 "known" "${MUTANT_MFH}" triage "--out=${WORK}/again" ${no_known} "--regressions=${WORK}/regressions"
    "${WORK}/crashes/arena")
file(WRITE "${WORK}/known.txt" "# open bugs\n${signature} | exact fit refused, fix pending\n")
run(0 "exact fit refused, fix pending" "${MUTANT_MFH}" triage "--out=${WORK}/listed" "--known=${WORK}/known.txt"
    "--regressions=${WORK}/empty" "${WORK}/crashes/arena/crash-1")
file(WRITE "${WORK}/bad_known.txt" "${signature}\n")
run(2 "bad_known.txt:1" "${MUTANT_MFH}" triage "--out=${WORK}/bad" "--known=${WORK}/bad_known.txt"
    "${WORK}/crashes/arena/crash-1")
run(2 "needs --out" "${MFH}" triage "${WORK}/crashes/arena/crash-1")
run(3 "0 signatures" "${MFH}" triage "--out=${WORK}/real" ${no_known} "${WORK}/crashes/arena/crash-1")

if(failures)
  message(FATAL_ERROR "${failures}")
endif()
