# Fuzzing options and helpers (harness/fuzz/, tests/fuzz/).
#
#   MF_FUZZ             libFuzzer targets fuzz_<target> (asm coverage on),
#                       fuzz_<target>_nocov (off), and the AFL++ builds when
#                       afl-clang-fast++ is installed.  Needs clang as the
#                       project compiler; default ON with clang, OFF otherwise.
#   MF_FUZZ_SANITIZERS  also fuzz_<target>_asan: ASan + UBSan over the driver
#                       and the harness (the assembly is not instrumented).
#                       OFF by default: it doubles the fuzz build.
#   MF_FUZZING_ENGINE   what the libFuzzer targets link as their engine, as
#                       the OSS-Fuzz build contract's $LIB_FUZZING_ENGINE
#                       (taken from that variable when it is set at configure
#                       time): -fsanitize=fuzzer by default, or an engine
#                       library.  The entry points are compiled with
#                       -fsanitize=fuzzer-no-link either way.

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(mf_fuzz_default ON)
else()
  set(mf_fuzz_default OFF)
endif()
option(MF_FUZZ "Build the libFuzzer and AFL++ targets (needs clang)" ${mf_fuzz_default})
option(MF_FUZZ_SANITIZERS "Also build ASan+UBSan variants of the libFuzzer targets" OFF)
if(DEFINED ENV{LIB_FUZZING_ENGINE} AND NOT "$ENV{LIB_FUZZING_ENGINE}" STREQUAL "")
  set(mf_engine_default "$ENV{LIB_FUZZING_ENGINE}")
else()
  set(mf_engine_default "-fsanitize=fuzzer")
endif()
set(MF_FUZZING_ENGINE "${mf_engine_default}" CACHE STRING
    "Link flags of the fuzzing engine (OSS-Fuzz's LIB_FUZZING_ENGINE): -fsanitize=fuzzer or a library")
separate_arguments(MF_FUZZING_ENGINE_FLAGS UNIX_COMMAND "${MF_FUZZING_ENGINE}")

if(MF_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(STATUS "Fuzzing: off, the C++ compiler is ${CMAKE_CXX_COMPILER_ID}, and -fsanitize=fuzzer needs clang "
                 "(configure with CC=clang CXX=clang++)")
  set(MF_FUZZ OFF)
elseif(NOT MF_FUZZ)
  message(STATUS "Fuzzing: off (MF_FUZZ=OFF; it is ON by default only with clang)")
endif()

if(MF_FUZZ)
  find_program(MF_AFL_CXX NAMES afl-clang-fast++ DOC "AFL++'s clang wrapper, for the AFL++ fuzz builds")
  if(MF_AFL_CXX)
    message(STATUS "Fuzzing: libFuzzer and AFL++ (${MF_AFL_CXX}) targets")
  else()
    message(STATUS "Fuzzing: libFuzzer targets; AFL++ builds skipped, afl-clang-fast++ not found "
                   "(Debian package afl++, installed by ci/setup.sh)")
  endif()
endif()

# The fuzzed targets, in the names of op_table.h's Target.
set(MF_FUZZ_TARGETS arena pool alloc builtins mixed meminfo daemon)
