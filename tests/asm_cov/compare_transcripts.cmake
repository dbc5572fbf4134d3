# Runs two programs and fails unless both exit 0 with identical stdout.
# Usage: cmake -DEXPECTED=<program> -DACTUAL=<program> -P compare_transcripts.cmake
foreach(var EXPECTED ACTUAL)
  execute_process(COMMAND ${${var}} OUTPUT_VARIABLE out_${var} ERROR_VARIABLE err_${var}
                  RESULT_VARIABLE rc_${var})
  if(NOT rc_${var} EQUAL 0)
    message(FATAL_ERROR "${${var}} exited with ${rc_${var}}:\n${err_${var}}")
  endif()
endforeach()
message(STATUS "${err_ACTUAL}")
if(NOT out_EXPECTED STREQUAL out_ACTUAL)
  message(FATAL_ERROR "transcripts differ\n--- ${EXPECTED}\n${out_EXPECTED}\n+++ ${ACTUAL}\n${out_ACTUAL}")
endif()
string(LENGTH "${out_EXPECTED}" length)
if(length LESS 200)
  message(FATAL_ERROR "transcript too short to compare anything:\n${out_EXPECTED}")
endif()
