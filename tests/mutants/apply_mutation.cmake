# Makes one broken copy of an assembly file: runs a mutant's sed script over
# the real file and checks that it changed exactly the lines it declares
# ("# changes: N"), each of which carries a "# MUTANT:" comment.  When the
# real file has moved on and the script no longer matches, the build stops
# here, naming the mutant, instead of testing an unbroken copy.
#   cmake -DSED=<sed> -DSCRIPT=<x.sed> -DSOURCE=<asm/f.s> -DOUTPUT=<dir/f.s> -DCHANGES=<N>
#         -P apply_mutation.cmake

get_filename_component(mutant ${SCRIPT} NAME_WE)
file(STRINGS ${SOURCE} already REGEX "# MUTANT:")
if(already)
  message(FATAL_ERROR "mutant ${mutant}: ${SOURCE} already holds a '# MUTANT:' line")
endif()

execute_process(COMMAND ${SED} -f ${SCRIPT} ${SOURCE}
                OUTPUT_FILE ${OUTPUT}.tmp
                RESULT_VARIABLE status
                ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "mutant ${mutant}: sed failed (${status}): ${errors}")
endif()

file(STRINGS ${OUTPUT}.tmp marked REGEX "# MUTANT:")
list(LENGTH marked count)
if(NOT count EQUAL CHANGES)
  file(REMOVE ${OUTPUT}.tmp)
  message(FATAL_ERROR
    "mutant ${mutant} no longer applies to ${SOURCE}: it changed ${count} line(s), not ${CHANGES}.\n"
    "The lines it looks for were edited or moved; update ${SCRIPT} to break the new code the same way.")
endif()
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
