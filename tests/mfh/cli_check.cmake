# Helpers of the `mfh` CLI test scripts.

set(failures "")
# run(<status> <text in the output or "">  <program> <arguments>...): output in `last_output`.
function(run want_status want_text program)
  execute_process(COMMAND "${program}" ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(last_output "${out}${err}" PARENT_SCOPE)
  string(FIND "${out}${err}" "${want_text}" at)
  if(NOT status STREQUAL "${want_status}" OR at EQUAL -1)
    set(failures "${failures}\n${program} ${ARGN}: status ${status} (want ${want_status}, text '${want_text}'), output:\n${out}${err}"
        PARENT_SCOPE)
  endif()
endfunction()


# count_ops(<trace file> <var>): the ops of a text trace (lines that are
# neither blank nor a comment; the header is a comment).
function(count_ops file out)
  file(STRINGS "${file}" lines)
  set(ops 0)
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "^[ \t]*(#.*)?$")
      math(EXPR ops "${ops} + 1")
    endif()
  endforeach()
  set(${out} ${ops} PARENT_SCOPE)
endfunction()
