#!/usr/bin/env bash
# bench-io.sh: what writing the field costs each rank, against the gathered path.
#
#   src/main/scripts/bench-io.sh [--reps N] [--grid N] [--np "2 4"] [--gathered-jar JAR]
#
# Runs diff2d on an N x N grid (default 8000: 512 MB a field) with one JVM per rank
# (mpjrun.sh -dev niodev), a few steps, one checkpoint and final.npy, at each rank count
# (default 2 and 4), with this jar (every rank writes its own rows) and with the jar of the
# last commit that gathered the whole field on rank 0 to write it (built aside in a git
# worktree under target/bench/io/, or given with --gathered-jar). Per run and rank it records:
#   output seconds: the rank's io + reduction phases (gather or row writes, the sum, the centre);
#   VmHWM: the rank JVM's peak resident memory, from /proc/PID/status while it runs;
#   peak heap: the rank's heap high-water (its log's peak_heap_mib).
# Samples go to target/bench/io/samples.csv; the table (medians over --reps, default 2, of the
# rank with the largest value) is printed.
set -euo pipefail

die() { echo "bench-io.sh: $*" >&2; exit 1; }

reps=2 grid=8000 nps="2 4" gathered_jar=""
while (( $# > 0 )); do
  case "$1" in
    --reps) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--reps wants a positive integer"; reps="$2"; shift 2 ;;
    --grid) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--grid wants a positive integer"; grid="$2"; shift 2 ;;
    --np) [[ "${2:-}" =~ ^[0-9\ ]+$ ]] || die "--np wants rank counts, e.g. \"2 4\""; nps="$2"; shift 2 ;;
    --gathered-jar) [[ -f "${2:-}" ]] || die "--gathered-jar wants a jar file"; gathered_jar="$(readlink -f "$2")"; shift 2 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
command -v jq >/dev/null || die "needs jq"

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
"$here/setup.sh" >/dev/null
out="$root/target/bench/io"
mkdir -p "$out"
samples="$out/samples.csv"
echo "path,np,rank,metric,value" > "$samples"

if [[ -z "$gathered_jar" ]]; then
  # the parent of the commit that removed the gather: the last one that wrote through rank 0
  removal="$(git rev-list -1 HEAD -- src/main/java/halo/parallel/StripGather.java)"
  [[ -n "$removal" ]] || die "no commit removed StripGather.java here; give --gathered-jar"
  aside="$out/gathered-src"
  if [[ ! -f "$aside/target/halo.jar" || "$(git -C "$aside" rev-parse HEAD 2>/dev/null)" != "$(git rev-parse "$removal^")" ]]; then
    git worktree remove --force "$aside" 2>/dev/null || rm -rf "$aside"
    git worktree add --detach "$aside" "$removal^" >/dev/null 2>&1 || die "cannot check out $removal^ aside"
    (cd "$aside" && mvn -B -q -o -DskipTests package >/dev/null 2>&1 || mvn -B -q -DskipTests package >/dev/null) ||
      die "cannot build the gathered jar in $aside"
  fi
  gathered_jar="$aside/target/halo.jar"
fi

dx="$(awk -v n="$grid" 'BEGIN { printf "%.17g", 20.0 / (n + 0.5) }')"  # int(20/dx) = n
# dt = 0.25 dx^2: four steps, a checkpoint after two
runtime="$(awk -v d="$dx" 'BEGIN { printf "%.17g", 4.5 * 0.25 * d * d }')"
every="$(awk -v d="$dx" 'BEGIN { printf "%.17g", 2.5 * 0.25 * d * d }')"

# run PATH JAR NP: one run; per rank: output seconds, VmHWM (MiB), peak heap (MiB)
run() {
  local path="$1" jar="$2" np="$3" dir pid rank hwm
  dir="$out/run-$path-np$np"
  rm -rf "$dir"
  "$root/.mpj/bin/mpjrun.sh" -dev niodev -np "$np" -jar "$jar" diff2d --dx "$dx" --runtime "$runtime" \
    --checkpoint-every "$every" --out "$dir" >/dev/null 2>"$dir.err" &
  pid=$!
  declare -A peak=()
  while kill -0 "$pid" 2>/dev/null; do
    for rank in $(seq 0 $((np - 1))); do
      for p in $(pgrep -f "halo.cli.Main $rank .*$dir" || true); do
        hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
        [[ -n "$hwm" ]] && (( hwm > ${peak[$rank]:-0} )) && peak[$rank]=$hwm
      done
    done
    sleep 0.2
  done
  wait "$pid" || die "run failed ($path, -np $np): $(head -c 300 "$dir.err")"
  for rank in $(seq 0 $((np - 1))); do
    echo "$path,$np,$rank,vmhwm_mib,$(( ${peak[$rank]:-0} / 1024 ))" >> "$samples"
    jq -r --arg p "$path" --argjson n "$np" --argjson r "$rank" '.per_rank[$r] |
        "\($p),\($n),\($r),output_seconds,\(.io + .reduction)"' "$dir/summary.json" >> "$samples"
    jq -r --arg p "$path" --argjson n "$np" --argjson r "$rank" 'select(.record.peak_heap_mib != null) |
        "\($p),\($n),\($r),peak_heap_mib,\(.record.peak_heap_mib)"' "$dir/logs/rank-$rank.json" >> "$samples"
  done
  rm -rf "$dir" # a few GB a run
}

echo "bench-io.sh: ${grid}x${grid} grid, ranks: $nps, $reps repetitions; gathered path: $gathered_jar" >&2
for ((i = 0; i < reps; i++)); do
  for np in $nps; do
    run strips "$root/target/halo.jar" "$np"
    run gathered "$gathered_jar" "$np"
  done
done

# the table: per path and rank count, the median over repetitions of the largest rank's value
# median PATH NP METRIC
median() {
  awk -F, -v p="$1" -v n="$2" -v m="$3" '$1 == p && $2 == n && $4 == m { v[++c] = $5 }
      END { ranks = n; for (i = 0; i * ranks < c; i++) { mx = 0
              for (r = 1; r <= ranks; r++) if (v[i * ranks + r] + 0 > mx) mx = v[i * ranks + r] + 0
              print mx } }' "$samples" |
    sort -g | awk '{ v[++c] = $1 } END { printf "%.2f", (c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }'
}
printf '%-9s %3s %16s %12s %15s\n' path np "output seconds" "VmHWM MiB" "peak heap MiB"
for np in $nps; do
  for path in strips gathered; do
    printf '%-9s %3s %16s %12s %15s\n' "$path" "$np" "$(median "$path" "$np" output_seconds)" \
      "$(median "$path" "$np" vmhwm_mib)" "$(median "$path" "$np" peak_heap_mib)"
  done
done
echo "Samples: $samples" >&2
