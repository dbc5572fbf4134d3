# shellcheck shell=bash
# corpus_store.sh - the corpus kept from one campaign to the next (sourced by
# ci/campaign.sh).  One folder per target under $corpus_dir:
#
#   <target>/current -> gen-NNNN   the corpus: a symbolic link to the newest
#                                  complete generation, replaced atomically
#   <target>/gen-NNNN/             a generation: the output of one merge, every
#                                  file named by the SHA-1 of its bytes
#   <target>/pending/<run>-<who>/  inputs the engines found and no merge has
#                                  taken in yet (a libFuzzer worker's output,
#                                  an AFL++ sync directory, afl-cmin's output)
#   <target>/merging/              the merge under way: gen/ (its output),
#                                  merge.ctl (libFuzzer's control file), args,
#                                  artifacts/ (inputs the merge's child crashed on)
#
# Why it survives SIGKILL at any moment: a generation is written completely,
# flushed to disk, and only then made current by renaming a new link over
# the old one (rename is atomic); pending inputs are deleted only after the
# generation that took them in is current.  A kill before that rename leaves
# the old generation current and the pending inputs for the next merge; a
# kill after it leaves a complete new generation.  store_recover removes the
# leftovers (generations that never became current).

store_dir() { echo "$corpus_dir/$1"; }

# The current generation's path, or nothing when there is none yet.
store_current() {
  local link
  link=$(store_dir "$1")/current
  if [[ -L $link && -d $link ]]; then echo "$link"; fi
}

# How many inputs the current generation holds.
store_count() {
  local current
  current=$(store_current "$1")
  if [[ -z $current ]]; then
    echo 0
  else
    find -L "$current" -maxdepth 1 -type f | wc -l
  fi
}

# The folders of inputs in pending/, one per line: a worker's folder, or the
# queue/ folders of an AFL++ sync directory (its other files are AFL's own).
store_pending_dirs() {
  local pending sub q
  pending=$(store_dir "$1")/pending
  for sub in "$pending"/*/; do
    [[ -d $sub ]] || continue
    sub=${sub%/}
    if compgen -G "$sub/*/queue" >/dev/null; then
      for q in "$sub"/*/queue; do echo "$q"; done
    else
      echo "$sub"
    fi
  done
}

# How many inputs wait in pending/.
store_pending_count() {
  local n=0 d
  while read -r d; do
    n=$((n + $(find "$d" -maxdepth 1 -type f ! -name '.*' | wc -l)))
  done < <(store_pending_dirs "$1")
  echo "$n"
}

# The generation number the link points to (0 when none).
store_generation() {
  local current
  current=$(store_current "$1")
  if [[ -z $current ]]; then
    echo 0
    return
  fi
  local name
  name=$(readlink "$current")
  echo $((10#${name#gen-}))
}

# Makes the folder usable after whatever ended the last campaign: creates
# it, and deletes generations that are not current and a half-made link.
# A merge folder stays: store_resume_merge may finish it.
store_recover() {
  local dir current_name gen
  dir=$(store_dir "$1")
  mkdir -p "$dir/pending" || return 1
  rm -f "$dir/current.next"
  if [[ -L $dir/current && ! -d $dir/current ]]; then
    echo "campaign: $dir/current points to a missing generation; starting $1 from the seeds" >&2
    rm -f "$dir/current"
  fi
  current_name=
  [[ -L $dir/current ]] && current_name=$(readlink "$dir/current")
  for gen in "$dir"/gen-*; do
    [[ -e $gen ]] || continue
    [[ $(basename "$gen") == "$current_name" ]] || rm -rf "$gen"
  done
}

# store_new_pending TARGET NAME: a new pending folder; prints its path.
store_new_pending() {
  local dir
  dir=$(store_dir "$1")/pending/$2
  mkdir -p "$dir" && echo "$dir"
}

# store_commit TARGET GEN_DIR PENDING_DIR...: makes GEN_DIR (a complete merge
# output) the current generation, then deletes the previous generation and
# the pending folders it took in.
store_commit() {
  local target=$1 made=$2
  shift 2
  local dir next old=
  dir=$(store_dir "$target")
  next=$(printf 'gen-%04d' $(($(store_generation "$target") + 1)))
  [[ -L $dir/current ]] && old=$(readlink "$dir/current")
  # Every file and the folder itself on disk before anything points to them.
  find "$made" -type f -exec sync {} + 2>/dev/null
  mv -T "$made" "$dir/$next" || return 1
  sync "$dir/$next" "$dir"
  ln -s "$next" "$dir/current.next" || return 1
  mv -T "$dir/current.next" "$dir/current" || return 1
  sync "$dir"
  [[ -n $old && $old != "$next" ]] && rm -rf "${dir:?}/$old"
  local consumed
  for consumed in "$@"; do rm -rf "$consumed"; done
  return 0
}
