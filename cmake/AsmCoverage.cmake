# Coverage of the assembly itself, for the fuzzers (tools/asm_cov/README.md).
#
# mf_add_instrumented_asm_library(<target>
#     SOURCES <.s files>...
#     [ASM_FLAGS <flags>...]      default: asm/'s MF_ASM_FLAGS (-Wa,-I<asm dir>, ...)
#     [OBJECT_DEPENDS <files>...] default: asm/layout.inc)
#
# Runs mf-asm-instrument on each source and builds a static library from the
# instrumented copies.  The copies and their maps (<name>.covmap) are written
# to <current binary dir>/<target>/, which the target's property
# MF_ASM_COV_MAP_DIR names.  The library's objects define the counters and a
# record per file; link mf_asm_cov_runtime to enumerate, reset or fold them.
# Instrumented libraries are for fuzzing and coverage tests only: the shipped
# `morph` library is never built from them.

function(mf_add_instrumented_asm_library target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;ASM_FLAGS;OBJECT_DEPENDS")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "mf_add_instrumented_asm_library(${target}): no SOURCES")
  endif()
  if(NOT DEFINED arg_ASM_FLAGS)
    get_directory_property(arg_ASM_FLAGS DIRECTORY ${CMAKE_SOURCE_DIR}/asm DEFINITION MF_ASM_FLAGS)
  endif()
  if(NOT DEFINED arg_OBJECT_DEPENDS)
    set(arg_OBJECT_DEPENDS ${MF_ASM_DIR}/layout.inc)
  endif()

  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/${target})
  set(outputs "")
  set(names "")
  foreach(source IN LISTS arg_SOURCES)
    get_filename_component(source ${source} ABSOLUTE)
    get_filename_component(name ${source} NAME)
    if(name IN_LIST names)
      message(FATAL_ERROR "mf_add_instrumented_asm_library(${target}): two sources named ${name}")
    endif()
    list(APPEND names ${name})
    set(output ${out_dir}/${name})
    add_custom_command(
      OUTPUT ${output} ${output}.covmap
      COMMAND mf-asm-instrument --name ${name} --output ${output} --map ${output}.covmap ${source}
      DEPENDS ${source} mf-asm-instrument
      COMMENT "Instrumenting ${name} for assembly coverage (${target})"
      VERBATIM)
    list(APPEND outputs ${output})
  endforeach()

  set_source_files_properties(${outputs} PROPERTIES
    GENERATED TRUE
    LANGUAGE ASM
    OBJECT_DEPENDS "${arg_OBJECT_DEPENDS}")
  add_library(${target} STATIC ${outputs})
  target_compile_options(${target} PRIVATE ${arg_ASM_FLAGS})
  set_target_properties(${target} PROPERTIES
    LINKER_LANGUAGE C
    MF_ASM_COV_MAP_DIR ${out_dir})
endfunction()
