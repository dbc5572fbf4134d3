# cmake -DMFH=<mfh> -DTARGET=<t> -DDICT=<file> -P check_dict.cmake
# Fails when DICT differs from what `mfh convert --dict --target=TARGET` prints now.
execute_process(COMMAND ${MFH} convert --dict --target=${TARGET} OUTPUT_VARIABLE generated RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "mfh convert --dict --target=${TARGET} failed (${status})")
endif()
if(NOT EXISTS ${DICT})
  message(FATAL_ERROR "${DICT} is missing; write it with: mfh convert --dict --target=${TARGET} > ${DICT}")
endif()
file(READ ${DICT} committed)
if(NOT committed STREQUAL generated)
  message(FATAL_ERROR "${DICT} is out of date with the op table; regenerate it with: mfh convert --dict --target=${TARGET} > ${DICT}")
endif()
