# Runs `mfh check` and passes only when it exits with EXPECT_EXIT and its
# output matches every regular expression in MATCHES ('|'-free, ';'-separated).
#   cmake -DMFH=<mfh> "-DARGS=<arg;arg...>" -DEXPECT_EXIT=<n> "-DMATCHES=<re;re...>" -P expect_check.cmake
execute_process(COMMAND ${MFH} check ${ARGS} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "mfh check ${ARGS} exited ${status}, not ${EXPECT_EXIT}")
endif()
foreach(re IN LISTS MATCHES)
  if(NOT "${out}${err}" MATCHES "${re}")
    message(FATAL_ERROR "mfh check ${ARGS}: the output does not say: ${re}")
  endif()
endforeach()
