# cmake -DSED=<sed> -DSCRIPT=<file.sed> -DINPUT=<real .s> -DOUTPUT=<copy> -P apply_mutation.cmake
#
# Writes the real assembly file with one deliberate change.  A script that
# changes nothing (its anchor vanished in an edit of the real file) is an
# error here, at build time, rather than a self-test that silently tests
# the unmutated code.
execute_process(COMMAND ${SED} -f ${SCRIPT} ${INPUT}
                OUTPUT_VARIABLE mutated RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "sed failed on ${SCRIPT}")
endif()
file(READ ${INPUT} original)
if(mutated STREQUAL original)
  message(FATAL_ERROR "${SCRIPT} changes nothing in ${INPUT}: update its pattern to the current code")
endif()
file(WRITE ${OUTPUT} "${mutated}")
