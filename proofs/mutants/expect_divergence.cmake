# cmake -DPROGRAM=<mfh linked with a broken copy> -DTRACE=<counterexample> -P expect_divergence.cmake
#
# Passes only when `mfh replay` of the trace ends with exit 1: the broken
# assembly and the model disagree.  Exit 0 (the bug went unseen) and exit 2
# (the prover wrote a trace mfh cannot read) both fail, with mfh's output.
execute_process(COMMAND ${PROGRAM} replay ${TRACE}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
message("${out}${err}")
if(NOT status EQUAL 1)
  message(FATAL_ERROR "expected a divergence (exit 1) replaying ${TRACE} on the broken copy, got exit ${status}")
endif()
