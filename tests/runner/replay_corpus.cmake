# Replays every input under CORPUS_DIRS ('|'-separated) with `MFH replay`
# in MODE (simulated or native); fails unless every one agrees.  Files are
# found when the test runs, so a new regression needs no reconfigure.
#   cmake -DMFH=<mfh> -DMODE=<mode> -DCORPUS_DIRS=<dir>|<dir> -P replay_corpus.cmake

string(REPLACE "|" ";" dirs "${CORPUS_DIRS}")
set(files "")
foreach(dir IN LISTS dirs)
  if(EXISTS "${dir}")
    file(GLOB_RECURSE found LIST_DIRECTORIES false "${dir}/*")
    list(APPEND files ${found})
  endif()
endforeach()
# Notes and dot files are not inputs.
list(FILTER files EXCLUDE REGEX "(/\\.[^/]*|\\.md|\\.txt)$")
list(SORT files)
list(LENGTH files count)
if(count EQUAL 0)
  message(FATAL_ERROR "no inputs under ${CORPUS_DIRS}")
endif()

set(flags --quiet)
if(MODE STREQUAL "native")
  list(APPEND flags --native)
endif()
execute_process(COMMAND "${MFH}" replay ${flags} ${files}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message("${output}${errors}")
  message(FATAL_ERROR "mfh replay (${MODE}) of ${count} inputs: exit status ${status}")
endif()
message(STATUS "mfh replay (${MODE}): ${count} inputs agree")
