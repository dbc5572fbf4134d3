# The end-to-end check of the MF_ASM_OVERRIDES option: configures a separate
# build of this project with one broken assembly file as an override, builds
# its property test program, and expects that program to catch the break.
# Passing proves that the option replaces the file in the SUT the harness
# links, all the way through.
#   cmake -DSOURCE_DIR=<project> -DBUILD_DIR=<scratch build dir> -DOVERRIDE=<broken .s>
#         -DGENERATOR=<cmake generator> -DBUILD_TYPE=<type> -DTEST=<Suite.Name> -DOP=<op>
#         -DEXPECT_CAUGHT=<expect_caught.cmake> -P asm_overrides_check.cmake

execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BUILD_DIR} -G ${GENERATOR}
                        -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DMF_ASM_OVERRIDES=${OVERRIDE} -DMF_BUILD_BENCH=OFF
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "configuring with MF_ASM_OVERRIDES=${OVERRIDE} failed:\n${output}${errors}")
endif()
if(NOT output MATCHES "Morph SUT overrides: [^\n]*${OVERRIDE}")
  message(FATAL_ERROR "the configure step did not report the override ${OVERRIDE}:\n${output}")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target property_test -j 2
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "building property_test with the override failed:\n${output}${errors}")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} -DPROGRAM=${BUILD_DIR}/tests/property/property_test -DTEST=${TEST} -DOP=${OP}
                        -P ${EXPECT_CAUGHT}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message("${output}${errors}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the build with MF_ASM_OVERRIDES=${OVERRIDE} did not catch the broken file")
endif()
