# Runs one property test against a broken SUT and passes only if the harness
# caught the break: the test fails, its report names the op that diverged
# (the op of the mutant's signature, or a regular expression of the ops its
# header names), and RapidCheck's reproduce string is printed.
#   cmake -DPROGRAM=<property test program> -DTEST=<Suite.Name> -DOP=<op name>
#         -P expect_caught.cmake

execute_process(COMMAND ${PROGRAM} --gtest_filter=${TEST}
                RESULT_VARIABLE status
                OUTPUT_VARIABLE output
                ERROR_VARIABLE errors)
set(all "${output}${errors}")
message("${all}")

if(status EQUAL 0)
  message(FATAL_ERROR "NOT CAUGHT: ${TEST} passed against the broken SUT")
endif()
if(NOT all MATCHES "divergence at op [0-9]+: ${OP}[ \n]")
  message(FATAL_ERROR "${TEST} failed (status ${status}), but its report does not name ${OP} as the op that diverged")
endif()
if(NOT all MATCHES "RC_PARAMS=\"reproduce=")
  message(FATAL_ERROR "${TEST} failed without printing RapidCheck's reproduce string")
endif()
message(STATUS "caught: ${TEST} diverged at ${OP}")
