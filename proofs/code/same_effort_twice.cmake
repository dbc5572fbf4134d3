# Runs one code proof twice and requires the same verdict and the same
# solver effort, unit for unit.  Every query runs under a Z3 resource budget
# (proofs/budget/solver_budget.h), so the effort is a property of the code
# and the prover, not of the machine's load: a difference here means some
# query is still bounded by time, or the prover is not deterministic.
#
#   cmake -DPROGRAM=mf_code_proof -DARGS="a;b;c" -P same_effort_twice.cmake
foreach(run 1 2)
  execute_process(COMMAND ${PROGRAM} ${ARGS} OUTPUT_VARIABLE out${run} RESULT_VARIABLE status${run})
  string(REGEX MATCH "solver effort: [^\n]*" effort${run} "${out${run}}")
  string(REGEX MATCH "code: [^\n]* sha256 [0-9a-f]+ [^\n]*" code${run} "${out${run}}")
  string(REGEX MATCH "(PROVED|COUNTEREXAMPLE|PROOF ERROR|NO VERDICT)[^\n]*" verdict${run} "${out${run}}")
endforeach()
if(NOT effort1 OR NOT verdict1 OR NOT code1)
  message(FATAL_ERROR "the proof printed no verdict, no effort line or no code digest:\n${out1}")
endif()
if(NOT code1 STREQUAL code2)
  message(FATAL_ERROR "two runs named different code:\n  ${code1}\n  ${code2}")
endif()
if(NOT status1 EQUAL status2 OR NOT verdict1 STREQUAL verdict2)
  message(FATAL_ERROR "two runs gave different verdicts:\n  ${verdict1} (exit ${status1})\n  ${verdict2} (exit ${status2})")
endif()
if(NOT effort1 STREQUAL effort2)
  message(FATAL_ERROR "two runs spent different solver effort:\n  ${effort1}\n  ${effort2}")
endif()
message(STATUS "${code1}\n${verdict1}\n${effort1}")
