#!/usr/bin/env bash
# cds-archive.sh: make the class data sharing archives of target/halo.jar, by short training
# runs of diff2d through .mpj/bin/mpjrun.sh, which maps them in (vector-api.sh,
# cds_archive_options): .mpj/cds/halo.jsa for the multicore JVM (2 ranks), niodev.jsa for a
# niodev rank's JVM (also under Slurm) and launcher.jsa for the JVM of mpjrun.sh -dev niodev.
#
# Run by Maven's package phase right after it has built target/halo.jar (pom.xml), and by
# setup.sh when the launch scripts or the JDK changed. The JVM takes an archive only with
# the very jars it was made with (same size and time): a jar built again makes it unused
# until it is made again. A start-up speed-up only: when the training run fails, it says so
# and exits 0; runs are the same without an archive.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)"
mpj="$root/.mpj"
if [[ ! -x "$mpj/bin/mpjrun.sh" || ! -f "$root/target/halo.jar" ]]; then
  echo "cds-archive.sh: no $mpj/bin/mpjrun.sh or target/halo.jar yet (src/main/scripts/setup.sh):" \
       "no class data sharing archive" >&2
  exit 0
fi
mkdir -p "$mpj/cds"
training="$(mktemp -d)"
trap 'rm -rf "$training" "$mpj"/cds/*.tmp' EXIT
rm -f "$mpj"/cds/*.jsa
# train NAME... -- MPJRUN ARGUMENTS: one run through mpjrun.sh whose JVMs write the archives
# NAME.jsa.tmp (each named by its own -XX:ArchiveClassesAtExit); all of them or none are kept.
train() {
  local names=() name
  while [[ "$1" != -- ]]; do names+=("$1"); shift; done
  shift
  if "$mpj/bin/mpjrun.sh" "$@" -jar "$root/target/halo.jar" diff2d --runtime 0.05 --kernels scalar --trace \
       --out "$training/${names[0]}" >"$training/log" 2>&1; then
    for name in "${names[@]}"; do [[ -f "$mpj/cds/$name.jsa.tmp" ]] || return 1; done
    for name in "${names[@]}"; do mv -f "$mpj/cds/$name.jsa.tmp" "$mpj/cds/$name.jsa"; done
  else
    return 1
  fi
}
# Scalar kernels: the Vector API's classes stay out of the archives. An archive holding them
# has been seen to run the vector kernels 16 times slower under JDK 17, and holding them saves
# no start-up beyond the noise (docs/performance.md). --trace: the timeline's classes too,
# whose loading a traced run would otherwise pay at its end (trace.json).
# multicore: the one JVM of 2 ranks.
train halo -- -XX:ArchiveClassesAtExit="$mpj/cds/halo.jsa.tmp" "-Xlog:cds*=off" -np 2 ||
  echo "cds-archive.sh: no class data sharing archive for multicore runs (start-up is slower, runs are the same):" \
       "$(head -c 300 "$training/log")" >&2
# niodev: a rank's JVM (the option on mpjrun.sh's command line goes to the ranks; one rank, one
# writer) and the launcher's, which takes the option from JDK_JAVA_OPTIONS; the rank's own
# command line overrides that for the rank.
JDK_JAVA_OPTIONS="-XX:ArchiveClassesAtExit=$mpj/cds/launcher.jsa.tmp -Xlog:cds*=off" \
  train niodev launcher -- -dev niodev -XX:ArchiveClassesAtExit="$mpj/cds/niodev.jsa.tmp" "-Xlog:cds*=off" -np 1 ||
  echo "cds-archive.sh: no class data sharing archive for niodev runs (start-up is slower, runs are the same):" \
       "$(head -c 300 "$training/log")" >&2
