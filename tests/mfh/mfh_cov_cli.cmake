# `mfh cov` (the mfh-cov build) on the seed corpus: the listing and summary
# name alloc.s, arena.s and pool.s with probes hit, the entry labels carry
# counts, and the HTML page holds the same.  Bad inputs give status 2.
#   cmake -DMFH=<mfh> -DMFH_COV=<mfh-cov> -DWORK=<dir> -DTRACES=<corpus/traces> -P mfh_cov_cli.cmake

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(failures "")

execute_process(COMMAND "${MFH_COV}" cov --html "${WORK}/cov.html" "${TRACES}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  string(APPEND failures "\nmfh-cov cov ${TRACES}: status ${status}\n${err}")
endif()
foreach(file alloc arena pool)
  if(NOT out MATCHES "\n== ${file}\\.s\n")
    string(APPEND failures "\nno listing of ${file}.s")
  endif()
  if(NOT out MATCHES "\n${file}\\.s: probes [1-9][0-9]*/[1-9][0-9]* \\([^)]*\\), branch directions [1-9][0-9]*/")
    string(APPEND failures "\nno summary with probes hit for ${file}.s")
  endif()
endforeach()
# Each public entry point the corpus calls is annotated with its count.
foreach(label mem_alloc mem_free arena_create arena_alloc pool_create pool_free)
  if(NOT out MATCHES "[ \n] *[1-9][0-9]* +[0-9]+\\| ${label}:")
    string(APPEND failures "\nthe label ${label} has no nonzero count in the listing")
  endif()
endforeach()
# Both sides of a jump: somewhere a taken side and a fallthrough were counted.
if(NOT out MATCHES "T:[1-9][0-9]* F:[1-9]")
  string(APPEND failures "\nno conditional jump with both directions counted")
endif()
if(NOT EXISTS "${WORK}/cov.html")
  string(APPEND failures "\nno HTML page written")
else()
  file(READ "${WORK}/cov.html" html)
  if(NOT html MATCHES "^<!DOCTYPE html>" OR NOT html MATCHES "alloc\\.s: probes [1-9]" OR NOT html MATCHES "</html>\n$")
    string(APPEND failures "\nthe HTML page lacks the summary")
  endif()
endif()

# Fewer inputs, fewer hits: one arena trace never reaches pool.s.
execute_process(COMMAND "${MFH_COV}" cov --quiet "${TRACES}/arena/alloc_returns_0.trace"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0 OR NOT out MATCHES "\npool\\.s: probes 0/" OR NOT out MATCHES "\narena\\.s: probes [1-9]")
  string(APPEND failures "\nmfh-cov cov --quiet on one arena trace: status ${status}\n${out}${err}")
endif()

# expect(<status> <text in the output> <program> <arguments>...)
function(expect want_status want_text program)
  execute_process(COMMAND "${program}" ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(FIND "${out}${err}" "${want_text}" at)
  if(NOT status STREQUAL "${want_status}" OR at EQUAL -1)
    set(failures "${failures}\n${program} ${ARGN}: status ${status} (want ${want_status}, text '${want_text}'):\n${out}${err}"
        PARENT_SCOPE)
  endif()
endfunction()
file(WRITE "${WORK}/empty.trace" "")
file(WRITE "${WORK}/diverges.trace" "# mfh trace v1 target=arena\narena_create 64 -> 0\n")
expect(2 "empty input" "${MFH_COV}" cov "${WORK}/empty.trace")
expect(1 "diverges at op 0" "${MFH_COV}" cov "${WORK}/diverges.trace")
expect(2 "cannot open" "${MFH_COV}" cov "${WORK}/missing.trace")
expect(2 "needs at least one" "${MFH_COV}" cov)
expect(0 "usage: mfh cov" "${MFH_COV}" cov --help)
expect(2 "unknown command 'cov'" "${MFH}" cov "${TRACES}")

if(failures)
  message(FATAL_ERROR "${failures}")
endif()
