# Runs an mfh subcommand (`check` unless SUBCOMMAND says otherwise: `mutate`
# for tests/mutate) and passes only when it exits with EXPECT_EXIT and its
# output matches every regular expression in MATCHES ('|'-free, ';'-separated).
#   cmake -DMFH=<mfh> [-DSUBCOMMAND=<name>] "-DARGS=<arg;arg...>" -DEXPECT_EXIT=<n> "-DMATCHES=<re;re...>"
#         [-DCLEAN=<path>] -P expect_check.cmake
# CLEAN is removed first: a results file left by an earlier run of `mfh
# mutate` would make it skip the mutant instead of checking it.
if(NOT SUBCOMMAND)
  set(SUBCOMMAND check)
endif()
if(CLEAN)
  file(REMOVE_RECURSE ${CLEAN})
endif()
execute_process(COMMAND ${MFH} ${SUBCOMMAND} ${ARGS} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "mfh ${SUBCOMMAND} ${ARGS} exited ${status}, not ${EXPECT_EXIT}")
endif()
foreach(re IN LISTS MATCHES)
  if(NOT "${out}${err}" MATCHES "${re}")
    message(FATAL_ERROR "mfh ${SUBCOMMAND} ${ARGS}: the output does not say: ${re}")
  endif()
endforeach()
