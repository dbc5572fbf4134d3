#!/bin/bash -eu
# Builds every fuzz target of the harness under the OSS-Fuzz build contract,
# for ClusterFuzzLite (or OSS-Fuzz): the compilers and flags come from $CC,
# $CXX, $CFLAGS and $CXXFLAGS, the engine from $LIB_FUZZING_ENGINE, and each
# fuzzer goes into $OUT with <fuzzer>_seed_corpus.zip (the binary seeds made
# from corpus/traces/<target>/), <fuzzer>.dict and <fuzzer>.options.
# Intermediate files go under $WORK.  Runs from the checkout's root (the
# Dockerfile's WORKDIR); MF_SOURCE_DIR overrides that.
#
# The assembly is not compiled by the sanitizers (it is not C): under
# SANITIZER=memory every byte the assembly writes would read as
# uninitialised, so that configuration is refused rather than built into a
# fuzzer that reports nothing but false positives.

src=${MF_SOURCE_DIR:-$PWD}
build=$WORK/morph-build
targets=(arena pool alloc builtins mixed meminfo daemon)

if [[ ${SANITIZER:-address} == memory ]]; then
  echo "build.sh: SANITIZER=memory is not supported: MemorySanitizer cannot see the stores of the assembly" >&2
  exit 1
fi
if [[ ! -f $src/asm/layout.inc ]]; then
  echo "build.sh: $src is not the project's checkout (run from its root or set MF_SOURCE_DIR)" >&2
  exit 1
fi

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
# CMAKE_BUILD_TYPE names no configuration of CMake's: the flags are exactly
# $CFLAGS and $CXXFLAGS, as OSS-Fuzz wants.
cmake -S "$src" -B "$build" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=OssFuzz \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DMF_FUZZ=ON -DMF_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" \
  -DMF_BUILD_TESTS=OFF -DMF_BUILD_BENCH=OFF
build_targets=(mf_fuzz_seeds)
for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
cmake --build "$build" -j "$(nproc)" --target "${build_targets[@]}"

for t in "${targets[@]}"; do
  fuzzer=fuzz_$t
  cp "$build/harness/fuzz/$fuzzer" "$OUT/$fuzzer"
  cp "$src/corpus/dict/$t.dict" "$OUT/$fuzzer.dict"
  # The seeds, flat in the archive as the engines expect.
  rm -f "$OUT/${fuzzer}_seed_corpus.zip"
  (cd "$build/fuzz/seeds/$t" && zip -q -j "$OUT/${fuzzer}_seed_corpus.zip" ./*)
  printf "[libfuzzer]\ndict = %s.dict\n" "$fuzzer" >"$OUT/$fuzzer.options"
done
echo "build.sh: ${#targets[@]} fuzzers in $OUT"
