# cmake -DPROGRAM=<mf_code_proof> -DOBJDUMP=<objdump> -DOBJECTS=<objects;...> -P expect_callee_contradiction.cmake
# The proof of arena_destroy with a contradiction injected after its call of
# mem_free must end in a PROOF ERROR that names the callee, never PROVED.
execute_process(
  COMMAND ${PROGRAM} --objdump ${OBJDUMP} --proof arena_destroy --selftest-contradict-after mem_free ${OBJECTS}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status EQUAL 2)
  message(FATAL_ERROR "expected exit status 2 (a proof error), got ${status}")
endif()
if(NOT out MATCHES "PROOF ERROR in arena_destroy: the facts assumed by the callee specs \\(mem_free at 0x[0-9a-f]+\\) contradict the path")
  message(FATAL_ERROR "the output does not report the contradiction of mem_free's facts")
endif()
if(out MATCHES "PROVED")
  message(FATAL_ERROR "a contradictory path was counted as proved")
endif()
