# Replays a trace on a broken SUT and passes only when the harness finds the
# mutant's bug there: `mfh reproduce` ends with exit 1 (the divergence
# reproduces) and its signature line is exactly the one the mutant declares.
# Exit 3 (the bug went unseen), exit 2 (a trace mfh cannot read) and another
# signature all fail, with mfh's output.
#   cmake -DPROGRAM=<mfh linked with the broken core> -DTRACE=<trace>
#         -DSIGNATURE=<MF-DIVERGENCE ...> -P expect_signature.cmake

execute_process(COMMAND ${PROGRAM} reproduce --simulated-only ${TRACE}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
message("${out}${err}")
if(NOT status EQUAL 1)
  message(FATAL_ERROR "expected the divergence to reproduce (exit 1) replaying ${TRACE} on the broken SUT, got exit ${status}")
endif()
string(REGEX MATCH "\nMF-DIVERGENCE [^\n]*" found "\n${out}")
string(STRIP "${found}" found)
if(NOT found STREQUAL SIGNATURE)
  message(FATAL_ERROR "the divergence's signature is\n  ${found}\nnot the mutant's\n  ${SIGNATURE}")
endif()
message(STATUS "caught: ${found}")
