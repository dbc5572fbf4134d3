# Resolves the assembly sources of the system under test, honouring
# MF_ASM_OVERRIDES: each listed file replaces the file of the same name in
# asm/.  An override whose name matches nothing in asm/ is an error, because a
# silently ignored override would check the wrong code.

set(MF_ASM_DIR ${CMAKE_SOURCE_DIR}/asm)

# mf_resolve_asm(<out-var> <file names in asm/>...)
# An override is not assembled as it is: mf-sut-prepare (tools/sut_prepare)
# first moves its mutable globals (.data, .bss, .comm, .lcomm) into
# morph_state, so that the simulated OS resets them between runs like ours,
# and prints what it moved when the build runs it.  The prepared copy lives
# in the calling directory's build tree (one rule per directory and file).
function(mf_resolve_asm out)
  set(resolved "")
  foreach(name IN LISTS ARGN)
    set(path ${MF_ASM_DIR}/${name})
    foreach(override IN LISTS MF_ASM_OVERRIDES)
      get_filename_component(override_name ${override} NAME)
      if(override_name STREQUAL name)
        get_filename_component(override ${override} ABSOLUTE)
        mf_prepared_asm(path ${override})
      endif()
    endforeach()
    list(APPEND resolved ${path})
  endforeach()
  set(${out} ${resolved} PARENT_SCOPE)
endfunction()

# mf_prepared_asm(<out-var> <foreign .s>): the rule that writes the file's
# prepared copy, and its path.
function(mf_prepared_asm out source)
  get_filename_component(name ${source} NAME)
  get_filename_component(source_dir ${source} DIRECTORY)
  string(MD5 key ${source})
  set(prepared ${CMAKE_CURRENT_BINARY_DIR}/sut_prepared/${key}/${name})
  get_property(done DIRECTORY PROPERTY MF_PREPARED_ASM)
  if(NOT prepared IN_LIST done)
    set_property(DIRECTORY APPEND PROPERTY MF_PREPARED_ASM ${prepared})
    add_custom_command(
      OUTPUT ${prepared}
      COMMAND mf-sut-prepare ${source} ${prepared}
      DEPENDS ${source} mf-sut-prepare
      COMMENT "Preparing ${name} (MF_ASM_OVERRIDES): its mutable globals into morph_state"
      VERBATIM)
    # Its own directory stays on the include path, for its .include files.
    set_source_files_properties(${prepared} PROPERTIES
      GENERATED TRUE
      COMPILE_OPTIONS "-Wa,-I${source_dir}"
      OBJECT_DEPENDS ${MF_ASM_DIR}/layout.inc)
  endif()
  set(${out} ${prepared} PARENT_SCOPE)
endfunction()

# mf_check_overrides(<file names in asm/>...): fails the configure step on an
# override that replaces nothing, or one that does not exist.
function(mf_check_overrides)
  foreach(override IN LISTS MF_ASM_OVERRIDES)
    get_filename_component(override_name ${override} NAME)
    if(NOT override_name IN_LIST ARGN)
      message(FATAL_ERROR "MF_ASM_OVERRIDES: ${override} replaces no file of asm/ (${ARGN})")
    endif()
    if(NOT EXISTS ${override})
      message(FATAL_ERROR "MF_ASM_OVERRIDES: ${override} does not exist")
    endif()
  endforeach()
  if(MF_ASM_OVERRIDES)
    message(STATUS "Morph SUT overrides: ${MF_ASM_OVERRIDES}")
  endif()
endfunction()

# mf_link_sut(<target> <PRIVATE|PUBLIC|INTERFACE> <SUT library>): links the
# SUT whole.  The op table's adapters reference the SUT's op functions weakly
# (each is optional, harness/sut/morph_abi.h), and a weak reference does not
# make the linker take an archive member: without this, a .s file whose
# functions nothing else calls would silently count as not implemented.
# MF_SUT_LINK is the same, as raw linker arguments around an archive path,
# for link lines written by hand (the AFL++ builds).
function(mf_link_sut target scope library)
  target_link_libraries(${target} ${scope} "$<LINK_LIBRARY:WHOLE_ARCHIVE,${library}>")
endfunction()
set(MF_SUT_LINK_BEGIN -Wl,--whole-archive)
set(MF_SUT_LINK_END -Wl,--no-whole-archive)
