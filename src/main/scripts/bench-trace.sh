#!/usr/bin/env bash
# bench-trace.sh: what --trace costs a run, in alternated pairs of runs with it and without.
#
#   src/main/scripts/bench-trace.sh [--pairs N] [--np N]
#
# Runs the course problem (diff2d with conf/diff2d.properties) through .mpj/bin/mpjrun.sh at
# -np N (default 2), N pairs (default 60; 20 at least), each pair one run with --trace and one
# without, the order alternating from pair to pair so that what a run leaves to the next (page
# cache, CPU frequency) falls on both sides alike. Per run it records the whole process
# (mpjrun.sh to exit), the run's wall_seconds (summary.json: start to the loop's end), the
# loop where spans are recorded (compute + halo exchange of the slowest rank) and rank 0's
# end_seconds (its log's end record: from the loop's end to summary.json written, which with
# --trace includes gathering the spans and the wait for trace.json).
# Prints, as medians of the pairs with 95% confidence intervals (distribution-free: order
# statistics of the pairs, binomial): the whole process on/off ratio, the loop's on/off
# ratio, and the end's extra time on - off in ms and as a share of the process without
# --trace.
# Samples go to target/bench/trace/samples.csv, the lines also to
# target/bench/trace/trace-overhead.txt. About 2.5 s a pair on the course problem at -np 2.
set -euo pipefail

die() { echo "bench-trace.sh: $*" >&2; exit 1; }

pairs=60 np=2
while (( $# > 0 )); do
  case "$1" in
    --pairs) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] && (( $2 >= 20 )) || die "--pairs wants an integer of 20 or more"
             pairs="$2"; shift 2 ;;
    --np) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--np wants a positive integer"; np="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown option '$1' (usage: bench-trace.sh [--pairs N] [--np N])" ;;
  esac
done

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
source "$here/bench-setup.sh"

out="$root/target/bench/trace"
work="$out/runs"
rm -rf "$work"
mkdir -p "$work"
samples="$out/samples.csv"
echo "pair,trace,process,wall,loop,end" > "$samples"

# run PAIR on|off: one run and its sample line
run() {
  local pair="$1" trace="$2" dir start end
  dir="$work/$pair-$trace"
  start=$(date +%s%N)
  # shellcheck disable=SC2046 # no word or one
  .mpj/bin/mpjrun.sh -np "$np" -jar target/halo.jar diff2d $([[ "$trace" == on ]] && echo --trace) \
    --out "$dir" >/dev/null 2>"$dir.err" || die "run failed: $(head -c 300 "$dir.err")"
  end=$(date +%s%N)
  echo "$pair,$trace,$(( (end - start) / 1000 ))e-6,$(jq -r '.wall_seconds, ([.per_rank[] | .compute + .halo_exchange] | max)' \
    "$dir/summary.json" | paste -sd,),$(
    jq -r 'select(.record.event == "end") | .record.end_seconds' "$dir/logs/rank-0.json")" >> "$samples"
  rm -rf "$dir" "$dir.err"
}

run 0 off # warm-up, dropped: page cache, the JDK's class data
sed -i '/^0,/d' "$samples"
echo "bench-trace.sh: $pairs alternated pairs at -np $np" >&2
for ((pair = 1; pair <= pairs; pair++)); do
  if (( pair % 2 )); then run "$pair" on; run "$pair" off; else run "$pair" off; run "$pair" on; fi
done

awk -F, -v np="$np" -f "$here/pairs.awk" -f /dev/stdin "$samples" <<'AWK' | tee "$out/trace-overhead.txt"
  NR > 1 { v[$1 "," $2 ",process"] = $3; v[$1 "," $2 ",loop"] = $5; v[$1 "," $2 ",end"] = $6
    if ($1 > n) n = $1 }
  END {
    for (p = 1; p <= n; p++) {
      ratio[p] = v[p ",on,process"] / v[p ",off,process"]
      loop[p] = v[p ",on,loop"] / v[p ",off,loop"]
      extra[p] = 1000 * (v[p ",on,end"] - v[p ",off,end"])
      share[p] = 100 * (v[p ",on,end"] - v[p ",off,end"]) / v[p ",off,process"]
      process[p] = v[p ",off,process"]
    }
    sort(ratio, n); sort(loop, n); sort(extra, n); sort(share, n); sort(process, n)
    printf "--trace overhead, course problem at -np %d, %d alternated pairs (medians, 95%% confidence intervals):\n", np, n
    printf "  whole process on/off: %.4f (%.4f..%.4f); without --trace %.3f s\n",
      median(ratio, n), ratio[low(n)], ratio[high(n)], median(process, n)
    printf "  the loop (compute + halo exchange, slowest rank) on/off: %.4f (%.4f..%.4f)\n",
      median(loop, n), loop[low(n)], loop[high(n)]
    printf "  end of the run on rank 0, on - off: %+.1f ms (%+.1f..%+.1f), %.2f%% (%.2f..%.2f%%) of the process\n",
      median(extra, n), extra[low(n)], extra[high(n)], median(share, n), share[low(n)], share[high(n)]
  }
AWK
