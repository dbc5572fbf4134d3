# Runs `mfh mutate` and passes only when it exits with EXPECT_EXIT and its
# output matches every regular expression in MATCHES (';'-separated).
#   cmake -DMFH=<mfh> "-DARGS=<arg;arg...>" -DEXPECT_EXIT=<n> "-DMATCHES=<re;re...>" [-DCLEAN=<path>] -P expect_mutate.cmake
# CLEAN is removed first: a results file left by an earlier run would make
# the campaign skip the mutant instead of checking it.
if(CLEAN)
  file(REMOVE_RECURSE ${CLEAN})
endif()
execute_process(COMMAND ${MFH} mutate ${ARGS} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "mfh mutate ${ARGS} exited ${status}, not ${EXPECT_EXIT}")
endif()
foreach(re IN LISTS MATCHES)
  if(NOT "${out}${err}" MATCHES "${re}")
    message(FATAL_ERROR "mfh mutate ${ARGS}: the output does not say: ${re}")
  endif()
endforeach()
