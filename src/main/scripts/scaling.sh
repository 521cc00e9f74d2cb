#!/usr/bin/env bash
# scaling.sh: a scaling study on this machine: one problem at 1, 2, 4, ... ranks, each run in a
# run directory of its own under one study directory, then `halo.jar report` on them all.
#
#   src/main/scripts/scaling.sh [--max-np N] [--weak] [--study DIR] APP [Halo options...]
#   src/main/scripts/scaling.sh --plan [--max-np N] [--weak] APP [Halo options...]
#
# APP is diff2d or auc; the options go to every run. Rank counts: the powers of two up to N,
# and N itself (--max-np, default the processors of this machine). Runs go through
# .mpj/bin/mpjrun.sh -np R (all ranks in one JVM); a Slurm job does the same across nodes
# (jobs/scaling.slurm, which asks this script for the plan).
#
#   strong scaling (default): the same problem at every rank count.
#   --weak: the problem grows with the ranks, the work per rank stays: at R ranks diff2d runs
#     round(sqrt(R) * n1) grid rows, n1 those of the 1-rank run (exactly twice as many at 4 ranks,
#     so the same cells per rank; within rounding at other counts), with the runtime, outtime
#     and checkpoint-every that give the 1-rank run's step counts (dt shrinks with dx^2, so the
#     simulated times shrink with it: (steps + 1/2) * dt at R ranks); auc sums R * ntot samples.
#
# The study directory (--study, default runs/scaling-<date-time>) ends with np1/, np2/, ...,
# plots/ and report.txt (report's table). Exit status 0 when every run and the report did;
# a failed run is said, the study goes on, and the status is 1.
# --plan prints, without running anything, one line per run: the rank count, then the options
# the study sets, which replace the user's of the same names (and --out).
set -euo pipefail

die() { echo "scaling.sh: $*" >&2; exit 2; }
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

max_np=$(nproc) weak=0 plan=0 study=""
while (( $# > 0 )); do
  case "$1" in
    --max-np) [[ "${2:-}" =~ ^[1-9][0-9]{0,3}$ ]] || die "--max-np ${2:-}: accepted 1 to 9999"; max_np=$2; shift 2 ;;
    --weak) weak=1; shift ;;
    --plan) plan=1; shift ;;
    --study) [[ -n "${2:-}" ]] || die "--study needs a directory"; study=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) break ;;
  esac
done
app=${1:-}
[[ "$app" == diff2d || "$app" == auc ]] || die "APP '${app}': accepted diff2d or auc (see --help)"
shift
options=("$@")

# The rank counts: 1, 2, 4, ... up to max_np, and max_np.
rank_counts() {
  local n=1
  while (( n < max_np )); do echo "$n"; n=$((n * 2)); done
  echo "$max_np"
}

# A parameter's value as Halo takes it: the first --NAME among the options, else the --conf
# file's, else the default (conf/APP.properties, the jar's defaults).
parameter() {
  local name=$1 i conf=""
  for ((i = 0; i < ${#options[@]}; i++)); do
    case "${options[i]}" in
      --"$name") echo "${options[i + 1]:-}"; return ;;
      --"$name"=*) echo "${options[i]#*=}"; return ;;
      --conf) [[ -n "$conf" ]] || conf=${options[i + 1]:-} ;;
      --conf=*) [[ -n "$conf" ]] || conf=${options[i]#*=} ;;
    esac
  done
  local file value
  local files=("$root/conf/$app.properties")
  [[ -z "$conf" ]] || files=("$conf" "${files[@]}")
  for file in "${files[@]}"; do
    value=$(awk -v key="$name" -F'[=:]' '
        { k = $1; gsub(/^[ \t]+|[ \t]+$/, "", k) }
        k == key { sub(/^[^=:]*[=:][ \t]*/, ""); sub(/[ \t\r]+$/, ""); print; exit }' "$file" 2>/dev/null || true)
    if [[ -n "$value" ]]; then echo "$value"; return; fi
  done
  die "cannot find the value of $name (in the options, --conf, $root/conf/$app.properties)"
}

# The options of the run at R ranks that the study sets (weak scaling), one line: R OPTIONS...
# diff2d's arithmetic is Halo's (halo.params.Diff2dParams), in the same doubles and order:
#   nrows = int((x2-x1)/dx), dx = (x2-x1)/nrows, dt = 0.25*dx^2/D, steps = int(T/dt).
plan_line() {
  local ranks=$1
  if (( ! weak )); then
    echo "$ranks"
  elif [[ "$app" == auc ]]; then
    echo "$ranks --ntot $(( $(parameter ntot | tr -d _) * ranks ))"
  else
    awk -v r="$ranks" -v D="$(parameter D)" -v x1="$(parameter x1)" -v x2="$(parameter x2)" \
        -v dx="$(parameter dx)" -v runtime="$(parameter runtime)" -v outtime="$(parameter outtime)" \
        -v every="$(parameter checkpoint-every)" 'BEGIN {
      width = x2 - x1
      n1 = int(width / dx); h1 = width / n1; dt1 = 0.25 * (h1 * h1) / D
      steps = int(runtime / dt1); per = int(outtime / dt1); if (per < 1) per = 1
      n = int(n1 * sqrt(r) + 0.5); h = width / n; dt = 0.25 * (h * h) / D
      line = sprintf("%d --dx %.17g --runtime %.17g --outtime %.17g", r, width / (n + 0.5),
                     (steps + 0.5) * dt, (per + 0.5) * dt)
      if (every > 0) {
        interval = int(every / dt1); if (interval < 1) interval = 1
        line = line sprintf(" --checkpoint-every %.17g", (interval + 0.5) * dt)
      }
      print line }'
  fi
}

if (( plan )); then
  while read -r ranks; do plan_line "$ranks"; done < <(rank_counts)
  exit 0
fi

jar="$root/target/halo.jar"
mpjrun="$root/.mpj/bin/mpjrun.sh"
[[ -x "$mpjrun" && -f "$jar" ]] || die "no Halo set up in $root (.mpj/, target/halo.jar): run src/main/scripts/setup.sh"
study=${study:-runs/scaling-$(date +%Y%m%d-%H%M%S)}
[[ ! -e "$study" ]] || die "--study $study: exists already; accepted a new directory"
mkdir -p "$study"
mapfile -t lines < <(rank_counts | while read -r ranks; do plan_line "$ranks"; done)

# The user's options without those the study sets (Halo refuses an option given twice).
user_options() {
  local i skip
  for ((i = 0; i < ${#options[@]}; i++)); do
    skip=0
    for name in --out "${derived[@]:1}"; do
      [[ "$name" == --* ]] || continue
      if [[ "${options[i]}" == "$name" ]]; then skip=2; elif [[ "${options[i]}" == "$name="* ]]; then skip=1; fi
    done
    if (( skip == 2 )); then i=$((i + 1)); elif (( skip == 0 )); then printf '%s\0' "${options[i]}"; fi
  done
}

runs=() failed=0
for line in "${lines[@]}"; do
  read -r -a derived <<< "$line"
  ranks=${derived[0]}
  run="$study/np$ranks"
  mapfile -d '' -t kept < <(user_options)
  echo "scaling.sh: $app at -np $ranks${derived[1]:+ (${derived[*]:1})}: $run"
  if "$mpjrun" -np "$ranks" -jar "$jar" "$app" --out "$run" "${derived[@]:1}" "${kept[@]}" > "$run.out" 2>&1; then
    :
  else
    echo "scaling.sh: the run at -np $ranks failed (status $?): $(tail -n 1 "$run.out")" >&2
    failed=1
  fi
  [[ ! -d "$run" ]] || runs+=("$run")
done

(( ${#runs[@]} > 0 )) || { echo "scaling.sh: no run started; nothing to report" >&2; exit 1; }
echo "scaling.sh: report: $study/report.txt, $study/plots/"
if ! java -jar "$jar" report --plots "$study/plots" "${runs[@]}" > "$study/report.txt"; then
  echo "scaling.sh: the report failed" >&2
  exit 1
fi
cat "$study/report.txt"
exit "$failed"
