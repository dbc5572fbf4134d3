# shellcheck shell=bash
# triage.sh - every input an engine reported goes through `mfh triage`, one
# call per target (sourced by ci/campaign.sh).  Its triage.tsv becomes rows
# of state/findings.tsv:
#   target  status  inputs  signature  detail  input
# status: new (detail: the folder under findings/<target>/), known (detail:
# why), does-not-reproduce (detail: why; input: the file), untriaged (the
# budget ran out first; input: the raw file, kept under work/).
# Uses: build_dir, out, known_file, regressions_dir.

# triage_target TARGET SECONDS: prints nothing; 0 when it ran.
triage_target() {
  local target=$1 seconds=$2
  local raw=()
  mapfile -t raw < <(find "$out/work/$target" -path '*/raw-findings/*' -type f 2>/dev/null | sort)
  ((${#raw[@]} > 0)) || return 0
  local dest=$out/findings/$target
  mkdir -p "$dest"
  # Each run at most 10 s (a hang is a hang well before that), the whole
  # triage within the campaign's budget.
  timeout --kill-after=5 "$seconds" "$build_dir/harness/mfh/mfh" triage --target="$target" --seconds=10 \
    --known="$known_file" --regressions="$regressions_dir" --out="$dest" "${raw[@]}" >"$out/work/$target/triage.log" 2>&1
  local status=$?
  if [[ ! -s $dest/triage.tsv ]] || ((status == 124 || status == 137)); then
    local input
    for input in "${raw[@]}"; do
      printf '%s\tuntriaged\t1\t-\tthe budget ran out before triage finished\t%s\n' "$target" "${input#"$out"/}" \
        >>"$out/state/findings.tsv"
    done
    ((status == 124 || status == 137)) && return 0
    echo "mfh triage on $target failed with status $status (see work/$target/triage.log)" >>"$out/state/errors.txt"
    return 1
  fi
  # triage.tsv: status inputs signature directory_or_reason input_not_reproduced (header first)
  awk -F'\t' -v t="$target" -v out="$out/" 'NR > 1 {
      input = $5; sub(out, "", input)
      printf "%s\t%s\t%s\t%s\t%s\t%s\n", t, $1, $2, $3, $4, input
    }' "$dest/triage.tsv" >>"$out/state/findings.tsv"
  return 0
}
