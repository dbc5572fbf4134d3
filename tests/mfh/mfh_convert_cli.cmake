# `mfh convert` round trips, and the refusals (status 2, with the reason, and
# never a crash) of convert, minimize and gen-test on bad input.
#   cmake -DMFH=<mfh> -DWORK=<scratch dir> -DTRACES=<corpus/traces> -P mfh_convert_cli.cmake

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/arena")
set(failures "")
# expect(<status> <text in the output> <mfh arguments>...)
function(expect want_status want_text)
  execute_process(COMMAND "${MFH}" ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(FIND "${out}${err}" "${want_text}" at)
  if(NOT status STREQUAL "${want_status}" OR at EQUAL -1)
    set(failures "${failures}\nmfh ${ARGN}: status ${status} (want ${want_status}, text '${want_text}'), output:\n${out}${err}"
        PARENT_SCOPE)
  endif()
endfunction()

# text -> binary -> text: the ops come back, the expectations do not (the
# binary form has none).
set(header "# mfh trace v1 target=arena\n")
file(WRITE "${WORK}/small.trace" "${header}arena_create 64 -> a0\narena_alloc a0 8 -> a0.start+0\nos_fail mmap 3\n")
expect(0 "" convert "${WORK}/small.trace" "${WORK}/arena/small.bin")
expect(0 "" convert "${WORK}/arena/small.bin" "${WORK}/small_back.trace")
file(READ "${WORK}/small_back.trace" back)
if(NOT back STREQUAL "${header}arena_create 64\narena_alloc a0 8\nos_fail mmap 3\n")
  string(APPEND failures "\nsmall.trace came back as:\n${back}")
endif()

# --comment lines land under the header of a binary IN's text, never on a text IN.
expect(0 "" convert "--comment=found by libfuzzer" --comment=second "${WORK}/arena/small.bin" "${WORK}/commented.trace")
file(READ "${WORK}/commented.trace" commented)
if(NOT commented STREQUAL "${header}# found by libfuzzer\n# second\narena_create 64\narena_alloc a0 8\nos_fail mmap 3\n")
  string(APPEND failures "\n--comment gave:\n${commented}")
endif()
expect(2 "--comment goes with a binary IN" convert --comment=x "${WORK}/small.trace" "${WORK}/unused.bin")

# --seeds: every trace of the target becomes a seed named after it; another
# target's trace is skipped with a note.  --generate: COUNT inputs.
file(WRITE "${WORK}/pool_only.trace" "# mfh trace v1 target=pool\npool_create 16 4\n")
expect(0 "1 seed(s) written, 1 trace(s) skipped" convert --seeds --target=arena "--out-dir=${WORK}/seeds"
       "${WORK}/small.trace" "${WORK}/pool_only.trace")
if(NOT EXISTS "${WORK}/seeds/small" OR EXISTS "${WORK}/seeds/pool_only")
  string(APPEND failures "\n--seeds did not write exactly seeds/small")
endif()
# A trace that says "# not a seed:" is skipped with its reason.
file(WRITE "${WORK}/slow.trace" "${header}# a regression\n# not a seed: too slow to mutate\narena_create 64\n")
expect(0 "note: skipped slow.trace: not a seed: too slow to mutate" convert --seeds --target=arena
       "--out-dir=${WORK}/seeds_slow" "${WORK}/slow.trace" "${WORK}/small.trace")
if(EXISTS "${WORK}/seeds_slow/slow" OR NOT EXISTS "${WORK}/seeds_slow/small")
  string(APPEND failures "\n--seeds wrote a trace marked 'not a seed', or left out the other")
endif()
expect(0 "" convert --generate=8 --count=5 --seed=1 --in-contract --target=pool "--out-dir=${WORK}/generated")
file(GLOB generated "${WORK}/generated/*")
list(LENGTH generated generated_count)
if(NOT generated_count EQUAL 5)
  string(APPEND failures "\n--generate=8 --count=5 wrote ${generated_count} inputs")
endif()
expect(2 "missing or extra arguments" convert --seeds "--out-dir=${WORK}/seeds" "${WORK}/small.trace")
expect(2 "missing or extra arguments" convert --generate=8 --count=5 --target=pool)
expect(2 "bad number" convert --generate=x --target=pool "--out-dir=${WORK}/g")
expect(0 "# Dictionary of the pool fuzz targets" convert --dict --target=pool)

# Every seed trace that has a binary form: text -> bin -> text -> bin gives
# the same bytes, and the text replays.
file(GLOB_RECURSE seeds "${TRACES}/*.trace")
set(round_trips 0)
set(no_binary_form 0)
foreach(seed IN LISTS seeds)
  get_filename_component(name "${seed}" NAME_WE)
  get_filename_component(dir "${seed}" DIRECTORY)
  get_filename_component(target "${dir}" NAME)
  file(MAKE_DIRECTORY "${WORK}/${target}")
  execute_process(COMMAND "${MFH}" convert "${seed}" "${WORK}/${target}/${name}.bin" RESULT_VARIABLE status
                  ERROR_VARIABLE err)
  if(status EQUAL 2 AND err MATCHES "has no binary form")
    math(EXPR no_binary_form "${no_binary_form} + 1")
    continue()
  elseif(NOT status EQUAL 0)
    string(APPEND failures "\nconvert ${seed}: status ${status}: ${err}")
    continue()
  endif()
  expect(0 "" convert "${WORK}/${target}/${name}.bin" "${WORK}/${name}.text")
  expect(0 "" convert "${WORK}/${name}.text" "${WORK}/${name}.bin2")
  expect(0 "verdict: agree" replay --quiet "${WORK}/${name}.text")
  file(SHA256 "${WORK}/${target}/${name}.bin" first)
  file(SHA256 "${WORK}/${name}.bin2" second)
  if(NOT first STREQUAL second)
    string(APPEND failures "\n${seed}: binary -> text -> binary changed the bytes")
  endif()
  math(EXPR round_trips "${round_trips} + 1")
endforeach()
message(STATUS "${round_trips} seed traces round-tripped, ${no_binary_form} have no binary form")
if(round_trips LESS 20)
  string(APPEND failures "\nonly ${round_trips} seed traces round-tripped")
endif()

# A binary input needs its target; with one, any bytes decode.
string(ASCII 137 80 78 71 13 10 26 10 png_magic)
file(WRITE "${WORK}/foreign.png" "${png_magic}IHDR not a trace at all")
expect(2 "needs a target" convert "${WORK}/foreign.png" "${WORK}/out.trace")
expect(0 "" convert --target=pool "${WORK}/foreign.png" "${WORK}/foreign.trace")
expect(0 "verdict:" replay "${WORK}/foreign.trace")
expect(2 "unknown target 'heap'" convert --target=heap "${WORK}/foreign.png" "${WORK}/out.trace")
# A text op the binary form cannot say is named.
file(WRITE "${WORK}/no_binary.trace" "${header}arena_create 64\nos_fail mmap 9\n")
expect(2 "op 2 (os_fail mmap 9) has no binary form" convert "${WORK}/no_binary.trace" "${WORK}/out.bin")
expect(2 "cannot write" convert "${WORK}/small.trace" "${WORK}/no/such/dir/out.bin")

# Bad inputs, the same for every command that reads one.
file(WRITE "${WORK}/empty.trace" "")
file(WRITE "${WORK}/bad_header.trace" "# mfh trace v9 target=arena\narena_create 64\n")
file(WRITE "${WORK}/corrupt.trace" "${header}arena_create 64\narena_alloc a0 0xZZ\n")
file(WRITE "${WORK}/foreign.txt" "# just some notes\nnothing here is an op\n")
foreach(command convert minimize gen-test)
  set(out_args "")
  if(command STREQUAL "convert")
    set(out_args "${WORK}/out.any")
  endif()
  expect(2 "empty input" ${command} "${WORK}/empty.trace" ${out_args})
  expect(2 "is a directory" ${command} "${WORK}" ${out_args})
  expect(2 "cannot open" ${command} "${WORK}/missing.trace" ${out_args})
  expect(2 "line 1: bad header" ${command} "${WORK}/bad_header.trace" ${out_args})
  expect(2 "line 1: bad header" ${command} "${WORK}/foreign.txt" ${out_args})
  expect(2 "line 3:" ${command} "${WORK}/corrupt.trace" ${out_args})
  expect(2 "needs a target" ${command} "${WORK}/foreign.png" ${out_args})
  expect(2 "unknown option" ${command} --fast "${WORK}/small.trace" ${out_args})
  expect(2 "usage: mfh ${command}" ${command})
  expect(0 "usage: mfh ${command}" ${command} --help)
endforeach()
expect(2 "not a GoogleTest name" gen-test --name "1_bad" "${WORK}/small.trace")

if(failures)
  message(FATAL_ERROR "${failures}")
endif()
