# shellcheck shell=bash
# options.sh - the campaign's command line (sourced by ci/campaign.sh).
#
# Sets: budget_seconds jobs targets[] engines[] corpus_dir out build_dir
#       skip_setup skip_build known_file regressions_dir.  Prints the usage for --help and exits; refuses anything
#       it does not know with status 2, before anything has run.

campaign_usage() {
  cat <<'USAGE'
usage: bash ci/campaign.sh [--minutes N] [--jobs N] [--targets T,...] [--engines E,...]
                           [--corpus-dir DIR] [--out DIR] [--known FILE] [--regressions DIR]
                           [--build-dir DIR]
                           [--skip-setup] [--no-build]

Sets everything up, builds, and runs a differential fuzz campaign: every
engine checks the assembly against the reference model, in parallel, on a
corpus kept from one campaign to the next; then the corpus is merged and
minimised, every finding is triaged, and the reports are written.

  --minutes N       hard wall-clock cap for everything after the build: fuzzing,
                    merging, triage and reports (default 3; decimals allowed)
  --jobs N          cores to use (default: all of them, here nproc)
  --targets LIST    comma-separated, of arena pool alloc builtins mixed meminfo daemon (default: all)
  --engines LIST    comma-separated, of libfuzzer afl property (default: all)
  --corpus-dir DIR  the kept corpus, one folder per target (default: corpus-kept/,
                    git-ignored); created when missing, resumed when it exists
  --out DIR         output directory (default campaign-out/<UTC timestamp>); must be
                    new or empty
  --known FILE      known findings, 'SIGNATURE | reason' per line: reported, not failing
                    (default corpus/known_findings.txt)
  --regressions DIR regression traces: their '# signature:' lines are known too, and they
                    seed the corpus with corpus/traces/ (default corpus/regressions)
  --build-dir DIR   build directory (default build-campaign)
  --skip-setup      do not run ci/setup.sh (the packages are installed already)
  --no-build        use the programs in --build-dir as they are (configured with clang)
  --help            print this and run nothing

Output (in --out): report.md, report.html, report.json (schema in docs/guide.md),
findings.sarif, plots/<target>.svg, coverage/<target>.html, findings/<target>/
(one folder per new divergence signature: regression.trace, the raw input,
note.md), and work/ (every engine's log).

Exit status: 0 no new finding; 1 new findings; 2 an error (bad usage, set-up,
build, an engine, merge or triage that could not run); 130 interrupted (the
kept corpus is intact and the next campaign merges what this one found).
USAGE
}

campaign_parse_options() {
  local minutes=3
  local target_list="arena,pool,alloc,builtins,mixed,meminfo,daemon" engine_list="libfuzzer,afl,property"
  # Defaults are in the repository; paths given are from where the script
  # was started (caller_dir).
  jobs=$(nproc)
  corpus_dir=$repo_root/corpus-kept
  out=$repo_root/campaign-out/$(date -u +%Y%m%dT%H%M%SZ)
  build_dir=$repo_root/build-campaign
  skip_setup=0
  skip_build=0
  known_file=$repo_root/corpus/known_findings.txt
  regressions_dir=$repo_root/corpus/regressions
  while (($# > 0)); do
    local flag=$1 value=
    case $flag in
      --help | -h)
        campaign_usage
        exit 0
        ;;
      --skip-setup | --no-build)
        [[ $flag == --skip-setup ]] && skip_setup=1
        [[ $flag == --no-build ]] && skip_build=1
        shift
        continue
        ;;
      --*=*)
        value=${flag#*=}
        flag=${flag%%=*}
        shift
        ;;
      --minutes | --jobs | --targets | --engines | --corpus-dir | --out | --known | --regressions | --build-dir)
        (($# >= 2)) || campaign_usage_error "$flag needs a value"
        value=$2
        shift 2
        ;;
      *) campaign_usage_error "unknown argument '$flag'" ;;
    esac
    case $flag in
      --minutes) minutes=$value ;;
      --jobs) jobs=$value ;;
      --targets) target_list=$value ;;
      --engines) engine_list=$value ;;
      --corpus-dir) corpus_dir=$(from_caller "$value") ;;
      --out) out=$(from_caller "$value") ;;
      --known) known_file=$(from_caller "$value") ;;
      --regressions) regressions_dir=$(from_caller "$value") ;;
      --build-dir) build_dir=$(from_caller "$value") ;;
      *) campaign_usage_error "unknown option '$flag'" ;;
    esac
  done

  [[ $minutes =~ ^[0-9]+(\.[0-9]+)?$ ]] || campaign_usage_error "--minutes wants a number, not '$minutes'"
  budget_seconds=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 + 0.5 }')
  ((budget_seconds >= 20)) || campaign_usage_error "--minutes $minutes is less than 20 seconds: too short to fuzz, merge and triage"
  [[ $jobs =~ ^[1-9][0-9]*$ ]] || campaign_usage_error "--jobs wants a whole number of cores, not '$jobs'"
  [[ -f $known_file && -r $known_file ]] || campaign_usage_error "--known: cannot read '$known_file'"
  [[ -d $regressions_dir ]] || campaign_usage_error "--regressions: no folder '$regressions_dir'"

  IFS=, read -r -a targets <<<"$target_list"
  IFS=, read -r -a engines <<<"$engine_list"
  ((${#targets[@]} > 0)) || campaign_usage_error "--targets names no target"
  ((${#engines[@]} > 0)) || campaign_usage_error "--engines names no engine"
  local t e
  for t in "${targets[@]}"; do
    case $t in arena | pool | alloc | builtins | mixed | meminfo | daemon) ;; *) campaign_usage_error "unknown target '$t' (arena pool alloc builtins mixed meminfo daemon)" ;; esac
  done
  for e in "${engines[@]}"; do
    case $e in libfuzzer | afl | property) ;; *) campaign_usage_error "unknown engine '$e' (libfuzzer afl property)" ;; esac
  done
}

# A path as given on the command line, made absolute from caller_dir.
from_caller() {
  [[ -n $1 ]] || campaign_usage_error "an empty path"
  if [[ $1 == /* ]]; then echo "$1"; else echo "$caller_dir/$1"; fi
}

campaign_usage_error() {
  echo "campaign: $* (bash ci/campaign.sh --help)" >&2
  exit 2
}
