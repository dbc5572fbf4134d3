# Resolves the assembly sources of the system under test, honouring
# MF_ASM_OVERRIDES: each listed file replaces the file of the same name in
# asm/.  An override whose name matches nothing in asm/ is an error, because a
# silently ignored override would check the wrong code.

set(MF_ASM_DIR ${CMAKE_SOURCE_DIR}/asm)

# mf_resolve_asm(<out-var> <file names in asm/>...)
function(mf_resolve_asm out)
  set(resolved "")
  foreach(name IN LISTS ARGN)
    set(path ${MF_ASM_DIR}/${name})
    foreach(override IN LISTS MF_ASM_OVERRIDES)
      get_filename_component(override_name ${override} NAME)
      if(override_name STREQUAL name)
        get_filename_component(path ${override} ABSOLUTE)
      endif()
    endforeach()
    list(APPEND resolved ${path})
  endforeach()
  set(${out} ${resolved} PARENT_SCOPE)
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
