# shellcheck shell=bash
# campaign_check.sh - checks shared by the campaign tests (sourced).

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# check_corpus_intact DIR: DIR/current is a generation whose every file is a
# complete input (libFuzzer's merge names each by the SHA-1 of its bytes, so
# a truncated or half-written file shows).  Prints the generation's name.
check_corpus_intact() {
  local dir=$1
  [[ -L $dir/current && -d $dir/current ]] || fail "$dir/current is not a link to a generation"
  local gen f
  gen=$(readlink "$dir/current")
  [[ $gen =~ ^gen-[0-9]{4}$ ]] || fail "$dir/current points to '$gen'"
  for f in "$dir/$gen"/*; do
    [[ -f $f ]] || continue
    [[ $(sha1sum <"$f" | cut -d' ' -f1) == "$(basename "$f")" ]] || fail "$f is not complete (its SHA-1 differs from its name)"
  done
  echo "$gen"
}

# asm_directions MFH_COV TARGET DIR: branch directions the inputs of DIR hit.
asm_directions() {
  "$1" cov --quiet --binary --target="$2" "$3" 2>/dev/null |
    sed -nE 's/^total: .*branch directions ([0-9]+)\/.*/\1/p'
}

# corpus_row OUT TARGET WHEN FIELD: a field of state/corpus.tsv
# (3 generation, 4 inputs, 5 pending, 6 merge).
corpus_row() { awk -F'\t' -v t="$2" -v w="$3" -v f="$4" '$1 == t && $2 == w { print $f }' "$1/state/corpus.tsv"; }

# coverage_after_merge OUT TARGET
coverage_after_merge() { awk -F'\t' -v t="$2" '$1 == t && $6 == "after merge" { print $3 }' "$1/state/coverage.tsv"; }
