#!/usr/bin/env bash
# bench-pairs.sh: two variants of a run compared in alternated pairs, the way
# docs/performance.md measures each lever ("Levers tried", "Levers that do not help").
#
#   src/main/scripts/bench-pairs.sh [--pairs N] [--np N] [--dev multicore|niodev]
#                                   [--b-root DIR] [--b-jvm 'OPTIONS'] [--b-args 'ARGUMENTS']
#                                   [-- PROGRAM ARGUMENTS...]
#
# A is this checkout's run: .mpj/bin/mpjrun.sh -np N -dev DEV -jar target/halo.jar PROGRAM
# (default: diff2d, the course problem); -np 2 and multicore by default. B is the same run
# with what the --b- options change: another checkout (DIR with its own .mpj and
# target/halo.jar, such as a git worktree of another commit after setup.sh or mvn package),
# JVM options for the ranks, or more program arguments (words, split at spaces).
# N pairs (default 12), the order alternating from pair to pair so that what a run leaves to the
# next (page cache, CPU frequency) falls on both sides alike; a warm-up run of each first.
# Per run: the whole process (mpjrun.sh to exit), the CPU time of it and its children, and
# from summary.json MPI.Init, the run directory, the logs' set-up and the slowest rank's compute
# and halo exchange.
# Prints per figure the medians of A and B, the median of the pairs' B/A ratios with its 95%
# confidence interval (distribution-free, pairs.awk), and in how many pairs B was below A.
# Samples go to target/bench/pairs/samples.csv.
set -euo pipefail

die() { echo "bench-pairs.sh: $*" >&2; exit 1; }

pairs=12 np=2 dev=multicore b_root="" b_jvm="" b_args="" program=(diff2d)
while (( $# > 0 )); do
  case "$1" in
    --pairs) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--pairs wants a positive integer"; pairs="$2"; shift 2 ;;
    --np) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--np wants a positive integer"; np="$2"; shift 2 ;;
    --dev) [[ "${2:-}" == multicore || "${2:-}" == niodev ]] || die "--dev wants multicore or niodev"
           dev="$2"; shift 2 ;;
    --b-root) [[ -x "${2:-}/.mpj/bin/mpjrun.sh" && -f "${2:-}/target/halo.jar" ]] ||
                die "--b-root wants a checkout with .mpj/bin/mpjrun.sh and target/halo.jar, got '${2:-}'"
              b_root="$(cd "$2" && pwd)"; shift 2 ;;
    --b-jvm) (( $# >= 2 )) || die "--b-jvm wants JVM options"; b_jvm="$2"; shift 2 ;;
    --b-args) (( $# >= 2 )) || die "--b-args wants program arguments"; b_args="$2"; shift 2 ;;
    --) shift; (( $# > 0 )) || die "-- wants a program (diff2d, auc) and its arguments"; program=("$@"); break ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown option '$1' (usage: bench-pairs.sh [--pairs N] [--np N] [--dev D] [--b-root DIR] [--b-jvm 'OPTIONS'] [--b-args 'ARGUMENTS'] [-- PROGRAM ARGUMENTS...])" ;;
  esac
done
[[ -n "$b_root$b_jvm$b_args" ]] || die "B is A: give --b-root, --b-jvm or --b-args"

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
source "$here/bench-setup.sh"
b_root="${b_root:-$root}"

out="$root/target/bench/pairs"
work="$out/runs"
rm -rf "$work"
mkdir -p "$work"
samples="$out/samples.csv"
echo "pair,variant,process,cpu,mpj_init,run_directory,logging,compute,halo_exchange" > "$samples"

# Sets cpu to the CPU time (s) this shell's finished children have used: the second line of
# `times`, which must run in this shell, not in a $(...) subshell (whose children are others).
children_cpu() {
  local user sys
  times > "$work/times"
  { read -r _; read -r user sys; } < "$work/times"
  cpu=$(awk -v u="$user" -v s="$sys" 'function sec(t,   m) { m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t)
                                                             return 60 * m + t }
                                     BEGIN { printf "%.3f", sec(u) + sec(s) }')
}

# run PAIR A|B: one run and its sample line
run() {
  local pair="$1" variant="$2" dir start end cpu cpu_before cpu_after checkout="$root" jvm=() args=()
  if [[ "$variant" == B ]]; then
    checkout="$b_root"
    read -r -a jvm <<< "$b_jvm"
    read -r -a args <<< "$b_args"
  fi
  dir="$work/$pair-$variant"
  children_cpu; cpu_before=$cpu
  start=$(date +%s%N)
  "$checkout/.mpj/bin/mpjrun.sh" -np "$np" -dev "$dev" "${jvm[@]}" -jar "$checkout/target/halo.jar" \
    "${program[@]}" "${args[@]}" --out "$dir" >/dev/null 2>"$dir.err" ||
    die "run $variant failed: $(head -c 300 "$dir.err")"
  end=$(date +%s%N)
  children_cpu; cpu_after=$cpu
  echo "$pair,$variant,$(( (end - start) / 1000 ))e-6,$(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { printf "%.3f", b - a }'),$(
    jq -r '[.startup_seconds.mpj_init, .startup_seconds.run_directory, .startup_seconds.logging,
            (.phase_seconds.compute.max // 0),
            (.phase_seconds.halo_exchange.max // 0)] | join(",")' "$dir/summary.json")" >> "$samples"
  rm -rf "$dir" "$dir.err"
}

run 0 A; run 0 B   # warm-up, dropped: page cache, the JDK's class data, each checkout's archives
sed -i '/^0,/d' "$samples"
echo "bench-pairs.sh: $pairs alternated pairs, mpjrun.sh -np $np -dev $dev ... ${program[*]}" >&2
for ((pair = 1; pair <= pairs; pair++)); do
  if (( pair % 2 )); then run "$pair" A; run "$pair" B; else run "$pair" B; run "$pair" A; fi
done

[[ "$b_root" == "$root" ]] || echo "A: $root; B: $b_root"
[[ -z "$b_jvm" ]] || echo "B's JVM options: $b_jvm"
[[ -z "$b_args" ]] || echo "B's program arguments: $b_args"
awk -F, -f "$here/pairs.awk" -f /dev/stdin "$samples" <<'AWK'
  NR == 1 { for (c = 3; c <= NF; c++) name[c] = $c; columns = NF; next }
  { for (c = 3; c <= NF; c++) v[$1 "," $2 "," c] = $c; if ($1 > n) n = $1 }
  END {
    printf "%-14s %12s %12s %7s %17s %7s\n", "ms", "A median", "B median", "B/A", "95% interval", "B < A"
    for (c = 3; c <= columns; c++) {
      k = 0; fewer = 0
      for (p = 1; p <= n; p++) {
        a[p] = v[p ",A," c]; b[p] = v[p ",B," c]
        if (a[p] > 0) ratio[++k] = b[p] / a[p]
        fewer += b[p] < a[p]
      }
      sort(a, n); sort(b, n); sort(ratio, k)
      if (k == 0) {
        printf "%-14s %12.1f %12.1f\n", name[c], 1000 * median(a, n), 1000 * median(b, n)
        continue
      }
      printf "%-14s %12.1f %12.1f %7.3f %7.3f..%-7.3f %4d/%d\n", name[c], 1000 * median(a, n), 1000 * median(b, n),
        median(ratio, k), ratio[low(k)], ratio[high(k)], fewer, n
    }
  }
AWK
