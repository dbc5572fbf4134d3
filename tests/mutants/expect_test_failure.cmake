# Runs the tests a filter selects in a real-OS suite linked against a broken
# SUT and passes only if the break was caught: at least one selected test
# ran, and the run failed (a failed assertion, or a crash of the program).
#   cmake -DPROGRAM=<test program> -DFILTER=<gtest filter> -P expect_test_failure.cmake

execute_process(COMMAND ${PROGRAM} --gtest_filter=${FILTER}
                RESULT_VARIABLE status
                OUTPUT_VARIABLE output
                ERROR_VARIABLE errors
                TIMEOUT 100)
set(all "${output}${errors}")
message("${all}")

if(NOT all MATCHES "\\[ RUN      \\]")
  message(FATAL_ERROR "the filter ${FILTER} selects no test: the mutant's check names tests that do not exist")
endif()
if(status EQUAL 0)
  message(FATAL_ERROR "NOT CAUGHT: ${FILTER} passed against the broken SUT")
endif()
message(STATUS "caught: ${FILTER} failed against the broken SUT (${status})")
