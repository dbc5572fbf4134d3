#!/usr/bin/env bash
# asm_coverage_compare.sh - how much of each .s file a libFuzzer campaign
# reaches, with the assembly's own coverage steering the fuzzer and without.
#
#   bash ci/asm_coverage_compare.sh
#
# For each target, fuzz_<target> (libFuzzer sees the asm probes) and
# fuzz_<target>_nocov (libFuzzer sees only the C++ harness) fuzz for the same
# time from the same seeds (the build's fuzz/seeds/<target>) with the same
# dictionary and libFuzzer seed, each pinned to its own core, side by side.
# Each campaign's corpus (the seeds and what the campaign added: libFuzzer
# writes only new inputs to its output folder) is then run through
# `mfh-cov cov`, which counts the probes (labels, and both directions of
# every conditional jump) it hits on the instrumented assembly; the seeds
# alone are measured too.  Prints one summary table; the full annotated
# listings are left in the output directory.
#
# Environment (all optional):
#   MF_BUILD_DIR            a build configured with clang (default build)
#   MF_COVERAGE_SECONDS     fuzzing time per corpus (default 600)
#   MF_COVERAGE_TARGETS     default: arena pool alloc
#   MF_COVERAGE_OUT         where corpora and listings go (default: a new
#                           directory under ${TMPDIR:-/tmp}, printed)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${MF_BUILD_DIR:-build}
seconds=${MF_COVERAGE_SECONDS:-600}
read -r -a targets <<<"${MF_COVERAGE_TARGETS:-arena pool alloc}"
out=${MF_COVERAGE_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/asm-coverage.XXXXXX")}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "asm_coverage_compare: MF_COVERAGE_SECONDS is not a number" >&2; exit 2; }
mkdir -p "$out" || { echo "asm_coverage_compare: cannot create $out" >&2; exit 2; }

build_targets=(mfh-cov)
for t in "${targets[@]}"; do build_targets+=("fuzz_$t" "fuzz_${t}_nocov"); done
if ! cmake --build "$build_dir" -j "$(nproc)" --target "${build_targets[@]}" >"$out/build.log" 2>&1; then
  tail -n 20 "$out/build.log" >&2
  echo "asm_coverage_compare: build failed (is $build_dir configured with clang?)" >&2
  exit 2
fi
fuzz_dir=$build_dir/harness/fuzz
mfh_cov=$build_dir/harness/mfh/mfh-cov

# fuzz FUZZER TARGET CORPUS CORE: one campaign from the seeds.
fuzz() {
  mkdir -p "$3"
  taskset -c "$4" "$1" -max_total_time="$seconds" -seed=1 -dict="corpus/dict/$2.dict" \
    -artifact_prefix="$3.crash-" -print_final_stats=1 "$3" "$build_dir/fuzz/seeds/$2" >"$3.log" 2>&1 || true
}

# summary TARGET LISTING INPUT...: the summary line mfh cov prints for the
# target's own .s file (the "alloc" target is alloc.s, and so on), without
# the file name; the whole annotated listing goes to LISTING.
summary() {
  local target=$1 listing=$2
  shift 2
  "$mfh_cov" cov --target="$target" "$@" >"$listing" 2>&1 || true
  sed -nE "s/^$target\.s: //p" "$listing" | tail -n 1
}

echo "# asm coverage after ${seconds} s of libFuzzer per corpus (seeds: fuzz/seeds/<target>, -seed=1)"
echo "# output: $out"
echo
echo "| target | with asm coverage | without asm coverage | seeds alone |"
echo "|---|---|---|---|"
for t in "${targets[@]}"; do
  seeds=$build_dir/fuzz/seeds/$t
  fuzz "$fuzz_dir/fuzz_$t" "$t" "$out/$t-cov" 0 &
  fuzz "$fuzz_dir/fuzz_${t}_nocov" "$t" "$out/$t-nocov" 1 &
  wait
  echo "| $t | $(summary "$t" "$out/$t-cov.txt" "$out/$t-cov" "$seeds")" \
       "| $(summary "$t" "$out/$t-nocov.txt" "$out/$t-nocov" "$seeds")" \
       "| $(summary "$t" "$out/$t-seeds.txt" "$seeds") |"
done
