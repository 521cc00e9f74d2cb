#!/usr/bin/env bash
# bench.sh: how fast Halo is on this machine, against a C baseline and the memory roofline.
#
#   src/main/scripts/bench.sh [--reps N] [--quick]
#
# One run measures, in this order (warm-up runs dropped, N repetitions each, default 5):
#   1. memory bandwidth: STREAM-like copy and scale in C (OpenMP), on 1 core and on all;
#   2. the C baselines (src/bench/c, gcc -O3 -march=native -ffp-contract=off): the diff2d
#      update on the course grid (266x266, 7075 steps, in cache) and on 2000x2000 (2000
#      steps, memory bound), and auc with ntot = 30,000,000; and the course problem as a
#      C + Open MPI program (mpicc, mpirun), whole process (in step 5's rounds);
#   3. Halo's kernels under JMH (src/bench/jmh): the same cases, vector and scalar forms;
#   4. whole processes through .mpj/bin/mpjrun.sh: the course problem at -np 1, 2, 4, 8 (more
#      ranks than cores share them), each performance option on and off (also the rank
#      JVMs' JIT warm-up and collector, by JVM option), 2000x2000 at
#      -np 1 and 2 (--kernels scalar), 1, 2, 4, 8 (vector kernels, the default) and 1, 2
#      without temporal blocking, auc at -np 1, 2, 4, 8; --trace on and off in 60 alternated
#      pairs of the course problem at -np 2 (bench-trace.sh; 20 with --quick);
#   5. start-up: the course problem on the multicore device at -np 2 and 8 against the C +
#      Open MPI program, on niodev at -np 2 and 4 against it over TCP, and each against
#      Halo's floor, `halo --version` through the same launcher (JVM, MPI.Init, exit);
#   6. MPJ Express alone: one halo exchange between 2 ranks (src/bench/mpj/MpjExchange.java)
#      on each device, over a fresh JVM's first exchanges and once compiled;
# then checks that the C fields and sum are bitwise Halo's, and prints the tables (medians,
# [min..max]), headed by the machine: date, CPU, cores, memory, JDK, bandwidth, load. Raw samples and
# the results go to target/bench/ (samples.csv, bench.json), and the tables into
# docs/performance.md, between its bench:begin and bench:end markers (commit them when they
# come from a full run on a quiet machine).
# --quick: 2 repetitions and no 2000x2000 runs, for trying the script, not for figures.
#
# Needs what setup.sh installs, plus gcc, libgomp, jq and Open MPI (Debian packages,
# installed here when missing and run as root). Takes about 15 minutes on 2 cores; other load
# on the machine shows in the spread.
set -euo pipefail

die() { echo "bench.sh: $*" >&2; exit 1; }

command="src/main/scripts/bench.sh${*:+ $*}"
reps=5 quick=0
while (( $# > 0 )); do
  case "$1" in
    --reps) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--reps wants a positive integer"; reps="$2"; shift 2 ;;
    --quick) quick=1; reps=2; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown option '$1' (usage: bench.sh [--reps N] [--quick])" ;;
  esac
done

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"

# ---------------------------------------------------------------- tools
missing=()
command -v gcc >/dev/null || missing+=(gcc)
command -v jq >/dev/null || missing+=(jq)
[[ -n "$(gcc -print-file-name=libgomp.so 2>/dev/null | grep /)" ]] || missing+=(libgomp1)
# openmpi-bin alone (which Slurm's test set-up may bring) has an mpicc but no mpi.h
echo '#include <mpi.h>' | mpicc -E -x c - >/dev/null 2>&1 || missing+=(libopenmpi-dev)
command -v mpirun >/dev/null || missing+=(openmpi-bin)
if (( ${#missing[@]} > 0 )); then
  (( EUID == 0 )) || die "missing ${missing[*]}; as root run: apt-get install -y ${missing[*]}"
  echo "bench.sh: installing ${missing[*]}"
  # the lock option: another apt-get (a second set-up, say) may be running
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq install -y --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
"$here/setup.sh" >/dev/null

out="$root/target/bench"
work="$out/runs"
rm -rf "$work"
mkdir -p "$out/bin" "$work"
samples="$out/samples.csv"
echo "group,case,metric,value" > "$samples"
sample() { echo "$1,$2,$3,$4" >> "$samples"; }
note() { echo "bench.sh: $*" >&2; }

# ---------------------------------------------------------------- the machine
cores=$(nproc)
cpu=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)
grep -qw avx512f /proc/cpuinfo && cpu="$cpu with AVX-512"
sample meta run date "$(date -u +%Y-%m-%d)"
sample meta run command "$command"
sample meta run reps "$reps"
sample meta machine cpu "${cpu:-unknown CPU}"
sample meta machine cores "$cores"
sample meta machine memory "$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
sample meta run load-start "$(cut -d' ' -f1 /proc/loadavg)"   # other work on the machine
sample meta machine jdk "$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.name/ {n=$2} /java.runtime.version/ {v=$2} END {print n " " v}')"

# ---------------------------------------------------------------- builds
cflags=(-O3 -march=native -ffp-contract=off)
gcc "${cflags[@]}" -o "$out/bin/diff2d" src/bench/c/diff2d.c -lm
gcc "${cflags[@]}" -o "$out/bin/auc" src/bench/c/auc.c
gcc "${cflags[@]}" -fopenmp -fno-tree-loop-distribute-patterns -o "$out/bin/stream" src/bench/c/stream.c
mpicc "${cflags[@]}" -o "$out/bin/diff2d_mpi" src/bench/c/diff2d_mpi.c -lm
(cd src/bench/jmh && mvn -B -q package >/dev/null 2>&1) || die "cannot build the JMH benchmarks (src/bench/jmh)"
jmh_jar="$root/target/bench/jmh/benchmarks.jar"
javac -cp "$root/.mpj/lib/mpj.jar" -d "$out/mpj" src/bench/mpj/MpjExchange.java

# ---------------------------------------------------------------- 1. bandwidth
note "memory bandwidth"
for threads in $( (( cores > 1 )) && echo 1 "$cores" || echo 1); do
  # ten rounds at least: a round with another process on a core is far off the rate (the
  # roofline takes the best)
  OMP_NUM_THREADS=$threads OMP_PROC_BIND=spread "$out/bin/stream" 40000000 $(( reps > 9 ? reps + 1 : 11 )) |
    awk -v t=$threads '$4 > 0 {printf "stream,%s-%dcore,GBps,%.6f\n", $2, t, $8 / $6 / 1e9}' >> "$samples"
done

# ---------------------------------------------------------------- 2. C baselines
note "C baselines"
c_diff2d() {  # c_diff2d CASE RUNTIME DX REPS
  "$out/bin/diff2d" 1.0 -10.0 10.0 "$2" "$3" "$4" "$out/c-$1.raw" |
    awk -v c="$1" '$3 > 0 {printf "c,%s,seconds,%s\nc,%s,cells,%s\n", c, $5, c, $7}' >> "$samples"
}
c_diff2d course 10.0 0.075 $((reps + 1))
(( quick )) || c_diff2d big 0.0500125 0.01 $(( reps > 3 ? 4 : reps + 1 ))
"$out/bin/auc" 30000000 $((reps + 1)) |
  awk '$3 > 0 {printf "c,auc,seconds,%s\nc,auc,samples,%s\n", $5, $7} END {printf "check,auc-area,c,%s\n", $9}' >> "$samples"

# whole processes of the C + Open MPI program (oversubscribed beyond the cores, as Halo's)
mpirun_opts=(--oversubscribe)
(( EUID != 0 )) || mpirun_opts+=(--allow-run-as-root)
c_mpi() {  # c_mpi NP [GROUP MPIRUN OPTIONS...]: one run, its process time (group c-mpi by default)
  local np="$1" group="${2:-c-mpi}" start end
  shift $(( $# > 1 ? 2 : 1 ))
  start=$(date +%s%N)
  mpirun "${mpirun_opts[@]}" "$@" -np "$np" "$out/bin/diff2d_mpi" 1.0 -10.0 10.0 10.0 0.075 0.5 \
    "$out/$group-np$np.raw" >/dev/null 2>"$out/c-mpi.err" || die "C + Open MPI run failed: $(head -c 300 "$out/c-mpi.err")"
  end=$(date +%s%N)
  sample "$group" "course-np$np" process "$(( (end - start) / 1000 ))e-6"
}
c_mpi 2 >/dev/null; sed -i '/^c-mpi,/d' "$samples"   # warm-up; the runs measured are in the start-up rounds

# ---------------------------------------------------------------- 3. JMH
note "JMH (Halo's kernels, steady state)"
jmh() {  # jmh LABEL KERNELS [JVM options]: the kernels in form KERNELS (--kernels' words)
  local label="$1" kernels="$2"; shift 2
  local jvm="${*:-}"
  java -jar "$jmh_jar" -f 1 -wi 3 -w 1s -i "$reps" -r 1s -rf json -rff "$out/jmh-$label.json" \
       -p kernels="$kernels" ${jvm:+-jvmArgsAppend "$jvm"} "halo.bench.*" >/dev/null
  jq -r --arg l "$label" '.[] | (.benchmark | split(".") | last) as $b |
      (if .params.rows then "stencil-" + .params.rows else "auc" end) as $c |
      .primaryMetric.rawData[0][] | "jmh,\($c)-\($l),us,\(.)"' "$out/jmh-$label.json" >> "$samples"
}
jmh vector vector
jmh scalar scalar
jmh scalar-nosuperword scalar -XX:-UseSuperWord

# ---------------------------------------------------------------- 4. whole processes
mpjrun="$root/.mpj/bin/mpjrun.sh"
jar="$root/target/halo.jar"
# whole CASE NP PROGRAM ARGS: one run, its samples; $jvm_options (words) go to the JVM
jvm_options=""
whole() {
  local case="$1" np="$2"; shift 2
  local dir start end
  dir="$work/$case-np$np-$(date +%s%N)"
  start=$(date +%s%N)
  # shellcheck disable=SC2086 # a list of words
  "$mpjrun" -np "$np" $jvm_options -jar "$jar" "$@" --out "$dir" >/dev/null 2>"$dir.err" ||
    die "run failed: mpjrun.sh -np $np ... $*: $(head -c 300 "$dir.err")"
  end=$(date +%s%N)
  local c="$case-np$np"
  sample run "$c" process "$(( (end - start) / 1000 ))e-6"
  jq -r --arg c "$c" '
      "run,\($c),wall,\(.wall_seconds)",
      (.phase_seconds | to_entries[] | select(.key != "wall") | "run,\($c),\(.key),\(.value.max)"),
      (.startup_seconds | to_entries[] | "run,\($c),startup_\(.key),\(.value)"),
      "run,\($c),steps,\(.steps)",
      "run,\($c),cells,\([.per_rank[].cell_updates] | add)"' "$dir/summary.json" >> "$samples"
  echo "$dir"
}
# rounds N SPEC... : N rounds, each running every SPEC once ("case|np|arguments[|JVM options]"),
# so that a burst of other load on the machine spreads over the variants instead of falling
# on one of them
rounds() {
  local n="$1" i spec case np args jvm_options
  shift
  for ((i = 0; i < n; i++)); do
    for spec in "$@"; do
      IFS='|' read -r case np args jvm_options <<< "$spec"
      # shellcheck disable=SC2086 # args is a list of words
      whole "$case" "$np" $args >/dev/null
    done
  done
}
# the run directory of the last run of CASE at NP ranks
last_run() { ls -d "$work/$1-np$2-"*/ | tail -1; }
# warm-up (dropped): page cache, the JDK's class data, CPU frequency
warm_up() { whole warm-up 1 "$@" >/dev/null; sed -i '/^run,warm-up-np1,/d' "$samples"; }

note "whole processes: course problem, each option on and off"
warm_up diff2d
options=()
for np in 2 8; do
  options+=("blocking-depth1|$np|diff2d --halo-depth 1 --overlap False"
            "overlap-depth1|$np|diff2d --halo-depth 1 --overlap True"
            "overlap-depth8|$np|diff2d --halo-depth 8 --overlap True"
            "overlap-depth16|$np|diff2d --halo-depth 16 --overlap True"
            "blocking|$np|diff2d --overlap False"
            "scalar|$np|diff2d --kernels scalar"
            "no-temporal-blocking|$np|diff2d --temporal-blocking False"
            "no-warm-up|$np|diff2d|-Dhalo.jit-warm-up=false"
            "g1|$np|diff2d|-XX:+UseG1GC")
done
rounds "$reps" "course|1|diff2d" "course|2|diff2d" "course|4|diff2d" "course|8|diff2d" "${options[@]}" \
  "graphics-foreground|2|diff2d --graphics --background-io False" \
  "graphics-background|2|diff2d --graphics --background-io True"
for np in 1 2 4 8; do
  cp "$(last_run course "$np")/final.npy" "$out/halo-course-np$np.npy"
done
if (( ! quick )); then
  note "whole processes: 2000x2000, 2000 steps"
  big="diff2d --dx 0.01 --runtime 0.0500125"
  warm_up $big
  rounds $(( reps > 3 ? 3 : reps )) "big|1|$big --kernels scalar" "big|2|$big --kernels scalar" \
    "big-vector|1|$big" "big-vector|2|$big" "big-vector|4|$big" "big-vector|8|$big" \
    "big-vector-threads2|1|$big --threads 2" \
    "big-vector-notb|1|$big --temporal-blocking False" "big-vector-notb|2|$big --temporal-blocking False"
  cp "$(last_run big 1)/final.npy" "$out/halo-big-np1.npy"
fi
# ---------------------------------------------------------------- --trace overhead
# The timeline's cost, in alternated pairs of the course problem at -np 2 (its own script)
note "whole processes: --trace on and off"
"$here/bench-trace.sh" --pairs $(( quick ? 20 : 60 ))
cp "$out/trace/trace-overhead.txt" "$out/trace-overhead.txt"

# ---------------------------------------------------------------- start-up against C + Open MPI
# The course problem through mpjrun.sh on both devices against the C + Open MPI program at the
# same rank count (niodev against Open MPI over TCP, --mca btl tcp,self), and against Halo's
# floor: `halo --version` through the same launcher, a JVM per rank (or one for all) that
# starts, calls MPI.Init and MPI.Finalize, and exits. All in alternated rounds.
floor() {  # floor DEVICE NP: one run of halo --version, its process time
  local start end
  start=$(date +%s%N)
  "$mpjrun" -dev "$1" -np "$2" -jar "$jar" --version >/dev/null 2>"$out/floor.err" ||
    die "halo --version failed: $(head -c 300 "$out/floor.err")"
  end=$(date +%s%N)
  sample floor "$1-np$2" process "$(( (end - start) / 1000 ))e-6"
}
note "start-up: the course problem against C + Open MPI and against halo --version"
for ((i = 0; i < reps; i++)); do
  c_mpi 2; c_mpi 8; c_mpi 2 c-tcp --mca btl tcp,self; c_mpi 4 c-tcp --mca btl tcp,self
  floor multicore 2; floor multicore 8; floor niodev 2; floor niodev 4
  rounds 1 "startup-multicore|2|diff2d" "startup-multicore|8|diff2d" \
    "startup-niodev|2|diff2d|-dev niodev" "startup-niodev|4|diff2d|-dev niodev"
done
for np in 2 4; do
  cp "$(last_run startup-niodev "$np")/final.npy" "$out/halo-course-niodev-np$np.npy"
done

# ---------------------------------------------------------------- MPJ Express alone
# One halo exchange of the course problem in MPJ Express without Halo (src/bench/mpj/
# MpjExchange.java, 2 ranks): one row, and the automatic halo depth at -np 2 (63 rows on
# multicore, 61 within niodev's eager limit); timed over a fresh JVM's first exchanges, as many as
# a rank of the course problem made at -np 2 above, and once compiled.
note "MPJ Express alone: one halo exchange"
course_exchanges=$(jq -r '.per_rank[0].halo_exchanges' "$(last_run course 2)/summary.json")
mpj_exchange() {  # mpj_exchange DEVICE ROWS
  local figures
  figures=$("$mpjrun" -np 2 -dev "$1" -cp "$out/mpj" MpjExchange "$2" 266 "$course_exchanges" 4000 \
            2>"$out/mpj.err") || die "MpjExchange failed: $(head -c 300 "$out/mpj.err")"
  awk -v c="$1-rows$2" '{printf "mpj,%s,%s,%s\n", c, $1, $2}' <<< "$figures" >> "$samples"
  sample "mpj" "$1-rows$2" first_exchanges "$course_exchanges"
}
for ((i = 0; i < reps; i++)); do
  mpj_exchange multicore 1; mpj_exchange multicore 63; mpj_exchange niodev 1; mpj_exchange niodev 61
done

note "whole processes: auc"
rounds "$reps" "auc|1|auc" "auc|2|auc" "auc|4|auc" "auc|8|auc"
sample check auc-area halo "$(jq -r .result.area "$(last_run auc 1)/summary.json")"

# ---------------------------------------------------------------- bitwise checks
same_field() {  # same_field NAME HALO.npy C.raw: the .npy's data is its last bytes
  local size
  size=$(stat -c %s "$3")
  if tail -c "$size" "$2" | cmp -s - "$3"; then sample check "$1" bitwise equal; else sample check "$1" bitwise DIFFERENT; fi
}
same_field diff2d-course "$out/halo-course-np2.npy" "$out/c-course.raw"
same_field diff2d-course-c-mpi-np2 "$out/halo-course-np2.npy" "$out/c-mpi-np2.raw"
same_field diff2d-course-c-mpi-np8 "$out/halo-course-np2.npy" "$out/c-mpi-np8.raw"
(( quick )) || same_field diff2d-big "$out/halo-big-np1.npy" "$out/c-big.raw"
for np in 2 4; do
  if cmp -s "$out/halo-course-niodev-np$np.npy" "$out/halo-course-np2.npy"; then
    sample check "course-niodev-np$np-vs-np2" bitwise equal
  else
    sample check "course-niodev-np$np-vs-np2" bitwise DIFFERENT
  fi
done
for np in 1 4 8; do
  if cmp -s "$out/halo-course-np$np.npy" "$out/halo-course-np2.npy"; then
    sample check "course-np$np-vs-np2" bitwise equal
  else
    sample check "course-np$np-vs-np2" bitwise DIFFERENT
  fi
done

sample meta run load-end "$(cut -d' ' -f1 /proc/loadavg)"
java "$root/src/bench/report/BenchReport.java" "$samples" "$out/bench.json" "$root/docs/performance.md"
echo "Samples: $samples; results: $out/bench.json; tables: docs/performance.md"

# ---------------------------------------------------------------- 5. output of a large grid
# bench-io.sh: write time and peak memory per rank, 8000x8000 at -np 2 and 4, against the path
# that gathered the field on rank 0 (its own table, and target/bench/io/samples.csv)
(( quick )) || "$here/bench-io.sh" --reps "$(( reps > 3 ? 3 : reps ))"
