# cmake -DCONVERT=<mf-fuzz-convert> -DTARGET=<t> -DDICT=<file> -P check_dict.cmake
# Fails when DICT differs from what `mf-fuzz-convert dict TARGET` prints now.
execute_process(COMMAND ${CONVERT} dict ${TARGET} OUTPUT_VARIABLE generated RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "mf-fuzz-convert dict ${TARGET} failed (${status})")
endif()
if(NOT EXISTS ${DICT})
  message(FATAL_ERROR "${DICT} is missing; write it with: mf-fuzz-convert dict ${TARGET} > ${DICT}")
endif()
file(READ ${DICT} committed)
if(NOT committed STREQUAL generated)
  message(FATAL_ERROR "${DICT} is out of date with the op table; regenerate it with: mf-fuzz-convert dict ${TARGET} > ${DICT}")
endif()
