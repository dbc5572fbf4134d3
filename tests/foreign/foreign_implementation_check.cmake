# A foreign implementation through MF_ASM_OVERRIDES, end to end: configures a
# separate build with tests/foreign/arena.s in place of asm/arena.s, builds
# mfh and the property tests there, and expects the harness to
#   * say at build time that the file's .data and .bss went to morph_state;
#   * reset those globals between runs (ids_restart.trace twice in one
#     process: both agree);
#   * list arena_destroy, which the file lacks, as not implemented, and check
#     the rest (the property test's note; the corpus traces that use it are
#     "not checked", not failures);
#   * find its one defect: arena_alloc does not round to 8 (the property test
#     fails at arena_alloc; mfh replay of the corpus diverges).
#   cmake -DSOURCE_DIR=<project> -DBUILD_DIR=<scratch build dir> -DGENERATOR=<generator>
#         -DBUILD_TYPE=<type> -DC_COMPILER=<cc> -DCXX_COMPILER=<c++> -P foreign_implementation_check.cmake

set(foreign ${SOURCE_DIR}/tests/foreign/arena.s)
function(fail what)
  message(FATAL_ERROR "foreign implementation: ${what}")
endfunction()

# From scratch: an incremental build would not run (nor report) the preparation again.
file(REMOVE_RECURSE ${BUILD_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BUILD_DIR} -G ${GENERATOR}
                        -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DMF_ASM_OVERRIDES=${foreign} -DMF_BUILD_BENCH=OFF
                        -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  fail("configuring with MF_ASM_OVERRIDES failed:\n${output}${errors}")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target mfh property_test -j 2
                RESULT_VARIABLE status OUTPUT_VARIABLE build_log ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  fail("the build failed:\n${build_log}${errors}")
endif()
if(NOT build_log MATCHES "arena.s: moved into morph_state[^\n]*\n  line 12: .data\n  line 16: .bss")
  fail("the build did not report moving .data (line 12) and .bss (line 16) into morph_state:\n${build_log}")
endif()

set(mfh ${BUILD_DIR}/harness/mfh/mfh)
execute_process(COMMAND ${mfh} replay --quiet ${SOURCE_DIR}/tests/foreign/ids_restart.trace
                        ${SOURCE_DIR}/tests/foreign/ids_restart.trace
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
string(REGEX MATCHALL "verdict: agree" agreed "${output}")
list(LENGTH agreed agreed)
if(NOT status EQUAL 0 OR NOT agreed EQUAL 2)
  fail("the id counter in .data was not reset between two runs (exit ${status}):\n${output}${errors}")
endif()

file(GLOB arena_traces ${SOURCE_DIR}/corpus/traces/arena/*.trace)
execute_process(COMMAND ${mfh} replay --quiet ${arena_traces}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message("${output}")
if(NOT status EQUAL 1 OR NOT output MATCHES "divergence at op [0-9]+: arena_alloc")
  fail("mfh replay of the arena corpus did not find the defect at arena_alloc (exit ${status})")
endif()
if(NOT output MATCHES "verdict: not checked: op [0-9]+: arena_destroy is not implemented by this SUT"
   OR NOT output MATCHES "traces not checked to their end")
  fail("mfh replay did not report the traces using arena_destroy as not checked")
endif()

execute_process(COMMAND ${BUILD_DIR}/tests/property/property_test --gtest_filter=ArenaProperty.Simulated
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message("${output}${errors}")
if(status EQUAL 0 OR NOT output MATCHES "divergence at op [0-9]+: arena_alloc")
  fail("the property test did not catch the defect at arena_alloc (exit ${status})")
endif()
if(NOT output MATCHES "\\[property\\] arena: left out, not implemented by this SUT: arena_destroy")
  fail("the property test did not list arena_destroy as not implemented")
endif()
message(STATUS "foreign implementation: defect found, arena_destroy listed, globals reset")
