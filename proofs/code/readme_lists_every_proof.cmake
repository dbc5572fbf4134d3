cmake_minimum_required(VERSION 3.20)
# cmake -DLIST=<code_proofs.list> -DREADME=<proofs/README.md> -P readme_lists_every_proof.cmake
# Every proof of the list is named in the README's table (a row starting
# with "| `"), and the table names no function that is not on the list.
file(STRINGS ${LIST} proofs REGEX "^[a-z_0-9]+$")
# The first cell of each table row that starts with a `name` (read as one
# string: file(STRINGS) would split rows at the ';' of their text).
file(READ ${README} text)
string(REGEX MATCHALL "\n\\| `[^\n|]*\\|" cells "${text}")
set(named "")
foreach(cell IN LISTS cells)
  string(REGEX MATCHALL "`[a-z_0-9]+`" names "${cell}")
  foreach(name IN LISTS names)
    string(REPLACE "`" "" name "${name}")
    list(APPEND named ${name})
  endforeach()
endforeach()
# out = the names of `from` that are not in `other`
function(names_not_in out from other)
  set(result "")
  foreach(name IN LISTS ${from})
    if(NOT name IN_LIST ${other})
      list(APPEND result ${name})
    endif()
  endforeach()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()
names_not_in(missing proofs named)
names_not_in(extra named proofs)
if(missing OR extra)
  message(FATAL_ERROR "proofs/README.md's table and proofs/code/specs/code_proofs.list differ: "
                      "not in the table: '${missing}'; in the table, not on the list: '${extra}'")
endif()
list(LENGTH proofs count)
message(STATUS "the README's table names the ${count} proofs of the list")
