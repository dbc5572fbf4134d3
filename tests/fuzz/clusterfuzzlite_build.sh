#!/usr/bin/env bash
# The ClusterFuzzLite build, here and without Docker: runs
# .clusterfuzzlite/build.sh with the variables OSS-Fuzz's base builder sets
# for an AddressSanitizer libFuzzer build, then checks that every fuzzer is
# in $OUT with its seed archive, dictionary and options, that the engine is
# the one $LIB_FUZZING_ENGINE named, and runs each fuzzer over its unpacked
# seeds and for a few seconds of fuzzing.  Also: SANITIZER=memory is refused.
#   clusterfuzzlite_build.sh <source dir> <work dir>
set -euo pipefail
src=$1
work=$2
rm -rf "$work"
mkdir -p "$work/out" "$work/work" "$work/src"
flags="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
flags+=" -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CC=clang CXX=clang++ CFLAGS="$flags" CXXFLAGS="$flags" LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export SANITIZER=address OUT=$work/out WORK=$work/work SRC=$work/src

if (cd "$src" && SANITIZER=memory bash .clusterfuzzlite/build.sh) >"$work/memory.log" 2>&1; then
  echo "FAIL: build.sh accepted SANITIZER=memory"
  exit 1
fi
grep -q "MemorySanitizer" "$work/memory.log" || { echo "FAIL: no reason given for refusing memory"; exit 1; }

(cd "$src" && bash .clusterfuzzlite/build.sh) >"$work/build.log" 2>&1 || {
  tail -40 "$work/build.log"
  echo "FAIL: build.sh failed (log: $work/build.log)"
  exit 1
}
grep -q '^MF_FUZZING_ENGINE:STRING=-fsanitize=fuzzer$' "$WORK/morph-build/CMakeCache.txt" ||
  { echo "FAIL: the build did not take its engine from LIB_FUZZING_ENGINE"; exit 1; }

for t in arena pool alloc builtins mixed meminfo daemon; do
  fuzzer=$OUT/fuzz_$t
  for f in "$fuzzer" "$fuzzer.dict" "$fuzzer.options" "${fuzzer}_seed_corpus.zip"; do
    [[ -s $f ]] || { echo "FAIL: $f is missing or empty"; exit 1; }
  done
  grep -q "^dict = fuzz_$t.dict$" "$fuzzer.options" || { echo "FAIL: $fuzzer.options names no dictionary"; exit 1; }
  seeds=$work/seeds/$t
  mkdir -p "$seeds"
  unzip -q "${fuzzer}_seed_corpus.zip" -d "$seeds"
  count=$(find "$seeds" -type f | wc -l)
  ((count > 0)) || { echo "FAIL: the seed archive of $t is empty"; exit 1; }
  # Every seed, then three seconds of fuzzing from them with the dictionary.
  "$fuzzer" -runs=0 "$seeds" >"$work/$t.replay.log" 2>&1 ||
    { tail -30 "$work/$t.replay.log"; echo "FAIL: fuzz_$t on its seeds"; exit 1; }
  mkdir -p "$work/corpus/$t"
  "$fuzzer" -max_total_time=3 -dict="$fuzzer.dict" "$work/corpus/$t" "$seeds" >"$work/$t.fuzz.log" 2>&1 ||
    { tail -30 "$work/$t.fuzz.log"; echo "FAIL: fuzz_$t fuzzing"; exit 1; }
  echo "fuzz_$t: $count seeds replayed, 3 s of fuzzing: $(grep -m1 -o 'stat::number_of_executed_units: [0-9]*' "$work/$t.fuzz.log" || grep -o 'Done [0-9]* runs' "$work/$t.fuzz.log" | tail -1)"
done
echo "PASS: the ClusterFuzzLite build makes 5 fuzzers that run"
