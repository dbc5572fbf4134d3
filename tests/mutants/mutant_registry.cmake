# The one registry of broken variants of asm/ ("mutants"): every
# tests/mutants/<name>.sed is one, declared once by the comment lines at its
# top, and every check that must catch it reads them here:
#
#   # <name> - what is broken, in a sentence or two.
#   # mutates: pool.s
#   # changes: 1
#   # signature: MF-DIVERGENCE target=pool op=pool_free field=...   (or: none)
#   # checks: property=PoolProperty.Simulated fuzz proof=pool_free replay=<trace>
#
#   mutates    the asm/ core file the script breaks.
#   changes    how many "# MUTANT:" comments the broken copy holds: the
#              script marks every line it writes with one, so a script whose
#              anchor vanished in an edit of asm/ stops the build
#              (apply_mutation.cmake) instead of testing unbroken code.
#   signature  the divergence the mutant must cause, in the one signature
#              format (harness/runner/divergence_signature.h).  A replay must
#              reproduce it exactly; property and fuzz checks, which find
#              their own inputs, must diverge at its target and op.  "none"
#              declares an equivalent rewrite: no check may refute it.
#              "no-model" declares a break of a part the model does not
#              run against the assembly (daemon_start and the daemon's
#              loop, which fork), or one that only the real OS shows (a
#              register the kernel's syscall keeps and the simulated OS's
#              calls do not): there is no divergence to name, and only
#              test= checks apply.
#   checks     which checks run against it, each at most once (test=
#              may come several times, one filter each):
#              property=<Suite.Test>  the RapidCheck suite fails at the op
#                                     (tests/mutants, label property);
#              property=<Suite.Test>@<op>|<op>...  the same, failing at
#                                     one of these ops: a generated run may
#                                     show a bug one op later than a replay
#                                     (the fuzz check accepts them too);
#              fuzz                   libFuzzer from an empty corpus diverges
#                                     at the target and op (tests/fuzz,
#                                     label fuzz-smoke);
#              proof=<function>       the code proof of that function is
#                                     refuted with a counterexample, or still
#                                     holds for signature none (proofs/mutants,
#                                     label proof);
#              test=<gtest filter>    the real-OS suite of the file
#                                     (tests/daemon, label daemon), linked
#                                     against the broken copy, fails in the
#                                     tests the filter selects;
#              replay=<trace>         `mfh reproduce` of the trace on the
#                                     broken SUT ends with the signature; the
#                                     trace is a path in the source tree, or
#                                     "counterexample": the one the proof
#                                     writes.
#
# Mutants are mutations of this project's asm/: with MF_ASM_OVERRIDES set
# the SUT is someone else's, and no consumer builds them.

set(MF_MUTANTS_DIR ${CMAKE_CURRENT_LIST_DIR})
find_program(MF_SED sed REQUIRED)

# mf_mutants(<out>): every mutant's name, sorted.
function(mf_mutants out)
  file(GLOB scripts CONFIGURE_DEPENDS ${MF_MUTANTS_DIR}/*.sed)
  set(names "")
  foreach(script IN LISTS scripts)
    get_filename_component(name ${script} NAME_WE)
    list(APPEND names ${name})
  endforeach()
  list(SORT names)
  set(${out} ${names} PARENT_SCOPE)
endfunction()

function(mf_mutant_field out script field)
  file(STRINGS ${script} line REGEX "^# ${field}: ")
  list(LENGTH line count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "${script}: needs exactly one '# ${field}:' line (tests/mutants/mutant_registry.cmake)")
  endif()
  string(REGEX REPLACE "^# ${field}: *" "" value "${line}")
  string(STRIP "${value}" value)
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

# mf_mutant_load(<name>): the mutant's declaration, as variables of the
# caller: MUTANT_SCRIPT, MUTANT_FILE, MUTANT_CHANGES, MUTANT_SIGNATURE (empty
# for none), MUTANT_TARGET and MUTANT_OP (from the signature), and per check
# MUTANT_PROPERTY (the test) and MUTANT_PROPERTY_OP (the op it must fail at),
# MUTANT_FUZZ (TRUE/FALSE), MUTANT_PROOF (the function), MUTANT_REPLAY (the
# trace, absolute, or "counterexample"), MUTANT_TEST (the gtest filters, a
# list); a check not declared is empty.  A malformed declaration stops the configure.
function(mf_mutant_load name)
  set(script ${MF_MUTANTS_DIR}/${name}.sed)
  mf_mutant_field(file ${script} mutates)
  mf_mutant_field(changes ${script} changes)
  mf_mutant_field(signature ${script} signature)
  mf_mutant_field(checks ${script} checks)
  get_directory_property(core_files DIRECTORY ${CMAKE_SOURCE_DIR}/asm DEFINITION MF_ASM_CORE_FILES)
  if(NOT file IN_LIST core_files)
    message(FATAL_ERROR "${script} mutates ${file}, which is not one of the core files (${core_files})")
  endif()
  if(NOT changes MATCHES "^[1-9][0-9]*$")
    message(FATAL_ERROR "${script}: 'changes' must be a positive count, not '${changes}'")
  endif()

  set(target "")
  set(op "")
  set(no_model FALSE)
  if(signature STREQUAL "none")
    set(signature "")
  elseif(signature STREQUAL "no-model")
    set(signature "")
    set(no_model TRUE)
  elseif(signature MATCHES "^MF-DIVERGENCE target=([a-z]+) op=([a-z_0-9]+) field=[A-Za-z0-9_]+$")
    set(target ${CMAKE_MATCH_1})
    set(op ${CMAKE_MATCH_2})
  else()
    message(FATAL_ERROR "${script}: 'signature' is neither 'none' nor an MF-DIVERGENCE line: ${signature}")
  endif()

  set(property "")
  set(property_op "")
  set(fuzz FALSE)
  set(proof "")
  set(replay "")
  set(real_os_test "")
  string(REPLACE " " ";" check_list "${checks}")
  foreach(check IN LISTS check_list)
    if(check MATCHES "^property=([^@]+)@(.+)$")
      set(property ${CMAKE_MATCH_1})
      set(property_op ${CMAKE_MATCH_2})
    elseif(check MATCHES "^property=(.+)$")
      set(property ${CMAKE_MATCH_1})
    elseif(check STREQUAL "fuzz")
      set(fuzz TRUE)
    elseif(check MATCHES "^proof=(.+)$")
      set(proof ${CMAKE_MATCH_1})
    elseif(check MATCHES "^test=(.+)$")
      list(APPEND real_os_test ${CMAKE_MATCH_1})
    elseif(check STREQUAL "replay=counterexample")
      set(replay counterexample)
    elseif(check MATCHES "^replay=(.+)$")
      set(replay ${CMAKE_SOURCE_DIR}/${CMAKE_MATCH_1})
      if(NOT EXISTS ${replay})
        message(FATAL_ERROR "${script}: the replay trace ${CMAKE_MATCH_1} does not exist")
      endif()
    else()
      message(FATAL_ERROR "${script}: unknown check '${check}' (property=, fuzz, proof=, replay=, test=)")
    endif()
  endforeach()
  if(no_model AND (property OR fuzz OR replay OR proof OR NOT real_os_test))
    message(FATAL_ERROR "${script}: a mutant without a model (signature no-model) is checked by test= alone")
  endif()
  if(NOT signature AND NOT no_model AND (property OR fuzz OR replay))
    message(FATAL_ERROR "${script}: an equivalent mutant (signature none) can only be checked by a proof")
  endif()
  if(replay STREQUAL "counterexample" AND NOT proof)
    message(FATAL_ERROR "${script}: replay=counterexample needs a proof= check to write the counterexample")
  endif()

  set(MUTANT_SCRIPT ${script} PARENT_SCOPE)
  set(MUTANT_FILE ${file} PARENT_SCOPE)
  set(MUTANT_CHANGES ${changes} PARENT_SCOPE)
  set(MUTANT_SIGNATURE "${signature}" PARENT_SCOPE)
  set(MUTANT_TARGET "${target}" PARENT_SCOPE)
  set(MUTANT_OP "${op}" PARENT_SCOPE)
  set(MUTANT_PROPERTY "${property}" PARENT_SCOPE)
  if(NOT property_op)
    set(property_op "${op}")
  elseif(property_op MATCHES "[|]")
    set(property_op "(${property_op})")  # matched as a regular expression
  endif()
  set(MUTANT_PROPERTY_OP "${property_op}" PARENT_SCOPE)
  set(MUTANT_FUZZ ${fuzz} PARENT_SCOPE)
  set(MUTANT_PROOF "${proof}" PARENT_SCOPE)
  set(MUTANT_REPLAY "${replay}" PARENT_SCOPE)
  set(MUTANT_TEST "${real_os_test}" PARENT_SCOPE)
endfunction()

# mf_mutant_broken_copy(<name> <out>): the rule that writes the broken copy
# of the loaded mutant's file into this directory's build tree; <out> is its
# path.  Call after mf_mutant_load(<name>).
function(mf_mutant_broken_copy name out)
  set(broken ${CMAKE_CURRENT_BINARY_DIR}/broken/${name}/${MUTANT_FILE})
  add_custom_command(
    OUTPUT ${broken}
    COMMAND ${CMAKE_COMMAND} -DSED=${MF_SED} -DSCRIPT=${MUTANT_SCRIPT} -DSOURCE=${MF_ASM_DIR}/${MUTANT_FILE}
            -DOUTPUT=${broken} -DCHANGES=${MUTANT_CHANGES} -P ${MF_MUTANTS_DIR}/apply_mutation.cmake
    DEPENDS ${MUTANT_SCRIPT} ${MF_ASM_DIR}/${MUTANT_FILE} ${MF_MUTANTS_DIR}/apply_mutation.cmake
    COMMENT "Breaking ${MUTANT_FILE} (mutant ${name})"
    VERBATIM)
  set_source_files_properties(${broken} PROPERTIES GENERATED TRUE OBJECT_DEPENDS ${MF_ASM_DIR}/layout.inc)
  set(${out} ${broken} PARENT_SCOPE)
endfunction()

# mf_mutant_core_sources(<broken copy> <out>): asm/'s core files with the
# loaded mutant's broken copy in place of the file it breaks.
function(mf_mutant_core_sources broken out)
  get_directory_property(core_files DIRECTORY ${CMAKE_SOURCE_DIR}/asm DEFINITION MF_ASM_CORE_FILES)
  set(sources "")
  foreach(core IN LISTS core_files)
    if(core STREQUAL MUTANT_FILE)
      list(APPEND sources ${broken})
    else()
      list(APPEND sources ${MF_ASM_DIR}/${core})
    endif()
  endforeach()
  set(${out} ${sources} PARENT_SCOPE)
endfunction()

# mf_mutant_core(<library> <broken copy>): a morph_core of the loaded
# mutant's broken copy and every other real core file, assembled exactly as
# asm/ does (the copy replaces the file of its name).
function(mf_mutant_core library broken)
  get_directory_property(asm_flags DIRECTORY ${CMAKE_SOURCE_DIR}/asm DEFINITION MF_ASM_FLAGS)
  mf_mutant_core_sources(${broken} sources)
  add_library(${library} STATIC ${sources})
  target_compile_options(${library} PRIVATE ${asm_flags})
  set_target_properties(${library} PROPERTIES LINKER_LANGUAGE C)
endfunction()

# mf_mutant_replay(<name> <test name> <core library> <trace> [<label>...]):
# mfh_mutant_<name>, an mfh linked with the broken core under the simulated
# OS, and a test that passes only when `mfh reproduce` of the trace on it
# ends with the loaded mutant's signature.  Without mfh it adds nothing.
function(mf_mutant_replay name test core trace)
  if(NOT TARGET mf_mfh_commands)
    return()
  endif()
  set(program mfh_mutant_${name})
  add_executable(${program} ${CMAKE_SOURCE_DIR}/harness/mfh/main.cpp $<TARGET_OBJECTS:mf_os_sim>)
  target_link_libraries(${program} PRIVATE mf_mfh_commands mf_runner)
  mf_link_sut(${program} PRIVATE ${core})
  target_link_libraries(${program} PRIVATE mf_simos)
  add_test(NAME ${test}
           COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${program}> -DTRACE=${trace}
                   "-DSIGNATURE=${MUTANT_SIGNATURE}" -P ${MF_MUTANTS_DIR}/expect_signature.cmake)
  set_tests_properties(${test} PROPERTIES LABELS "${ARGN}" TIMEOUT 300)
endfunction()
