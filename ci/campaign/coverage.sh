# shellcheck shell=bash
# coverage.sh - the assembly's branch coverage of a set of inputs, measured
# with `mfh-cov cov` (the instrumented .s files; sourced by ci/campaign.sh).
# Every measure is one line of state/coverage.tsv, which the report plots:
#   target  elapsed_s  directions_hit  directions_total  inputs  what
# Uses: build_dir, out, campaign_began.

# coverage_measure TARGET WHAT [--html FILE] DIR...: appends the line; prints
# "HIT/TOTAL" (nothing when the measure failed).
coverage_measure() {
  local target=$1 what=$2
  shift 2
  local html=()
  if [[ $1 == --html ]]; then
    html=(--html "$2")
    shift 2
  fi
  local dirs=() d inputs=0
  for d in "$@"; do
    [[ -d $d ]] || continue
    dirs+=("$d")
    inputs=$((inputs + $(find -L "$d" -maxdepth 1 -type f ! -name '.*' | wc -l)))
  done
  ((${#dirs[@]} > 0)) || return 0
  local totals
  # Exit 1 (an input diverges) still measures; the triage reports it.
  totals=$(timeout 300 "$build_dir/harness/mfh/mfh-cov" cov --quiet --binary --target="$target" "${html[@]}" "${dirs[@]}" \
    2>/dev/null | sed -nE 's/^total: .*branch directions ([0-9]+)\/([0-9]+).*/\1 \2/p')
  [[ -n $totals ]] || return 0
  local hit total
  read -r hit total <<<"$totals"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$target" $((SECONDS - campaign_began)) "$hit" "$total" "$inputs" "$what" \
    >>"$out/state/coverage.tsv"
  echo "$hit/$total"
}

# The latest measure of a target: "HIT/TOTAL", or "?".
coverage_latest() {
  awk -F'\t' -v t="$1" '$1 == t { last = $3 "/" $4 } END { print (last == "" ? "?" : last) }' \
    "$out/state/coverage.tsv" 2>/dev/null
}
