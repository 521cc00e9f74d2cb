#!/usr/bin/env bash
# cds-archive.sh: make .mpj/cds/halo.jsa, the class data sharing archive of target/halo.jar,
# by a short training run of diff2d on 2 ranks through .mpj/bin/mpjrun.sh, which maps it in.
#
# Run by Maven's package phase right after it has built target/halo.jar (pom.xml), and by
# setup.sh when the launch scripts or the JDK changed. The JVM takes an archive only with
# the very jars it was made with (same size and time): a jar built again makes it unused
# until it is made again. A start-up speed-up only: when the training run fails, it says so
# and exits 0; runs are the same without an archive.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)"
mpj="$root/.mpj"
archive="$mpj/cds/halo.jsa"
if [[ ! -x "$mpj/bin/mpjrun.sh" || ! -f "$root/target/halo.jar" ]]; then
  echo "cds-archive.sh: no $mpj/bin/mpjrun.sh or target/halo.jar yet (src/main/scripts/setup.sh):" \
       "no class data sharing archive" >&2
  exit 0
fi
mkdir -p "$mpj/cds"
training="$(mktemp -d)"
trap 'rm -rf "$training" "$archive.tmp"' EXIT
rm -f "$archive"
# Scalar kernels: the Vector API's classes must stay out of the archive; mapped from it
# (JDK 17), they run the vector kernels 16 times slower.
if "$mpj/bin/mpjrun.sh" -XX:ArchiveClassesAtExit="$archive.tmp" "-Xlog:cds*=off" -np 2 \
     -jar "$root/target/halo.jar" diff2d --runtime 0.05 --kernels scalar --out "$training/run" \
     >"$training/log" 2>&1 && [[ -f "$archive.tmp" ]]; then
  mv -f "$archive.tmp" "$archive"
else
  echo "cds-archive.sh: no class data sharing archive (start-up is slower, runs are the same):" \
       "$(head -c 300 "$training/log")" >&2
fi
