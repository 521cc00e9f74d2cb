#!/usr/bin/env bash
# setup.sh: make this checkout of Halo ready to build, test and run.
#
#   src/main/scripts/setup.sh [--no-build]
#
# Safe to run again and again: each step checks first and does its work only when
# something is missing or out of date, so a second run is quick and prints one line.
#
# What it makes sure of, in order:
#   1. a Java 17+ JDK (javac) and Maven; Debian's python3 with numpy, h5py, xarray,
#      h5netcdf and VTK 9, which the tests read the field files (--format) with;
#   2. MPJ Express 0.44: the upstream installation in $MPJ_HOME if there is one,
#      otherwise Debian's libmpj-java (+ the four jars its launchers need beside it);
#   3. the project's own MPJ_HOME, <project>/.mpj (git-ignored):
#        lib/   copies of the MPJ jars + log4j-1.2, commons-cli/codec/io
#               (+ halo-launcher.jar, Halo's launchers, which Maven packages: step 5)
#        conf/  a copy of the MPJ configuration
#        bin/   mpjrun.sh and vector-api.sh, which it sources (copied from src/main/scripts)
#   4. mpj.jar in the local Maven repository as mpjexpress:mpj:0.44 (not on Maven Central);
#   5. target/halo.jar and .mpj/lib/halo-launcher.jar (the package halo.launch alone, JDK
#      only: the multicore and niodev launchers, the rendezvous of niodev ranks), both made
#      by `mvn package`, again when older than their sources (skip with --no-build);
#   6. .mpj/cds/*.jsa, class data sharing archives made by short training runs of diff2d
#      (cds-archive.sh, which Maven's package phase runs too): one for multicore runs, one
#      for niodev ranks, one for the niodev launcher; remade when the jars, the launch
#      scripts, this script or the JDK are newer (mpjrun.sh and niodev-rank.sh map them in:
#      the JDK's, MPJ's, Log4j's and Halo's classes ready to use).
#
# Missing system packages are installed with apt-get when run as root; otherwise it
# stops with the one apt-get command to run.
set -euo pipefail

die() { echo "setup.sh: $*" >&2; exit 1; }

# Runs a command with its output kept back, shown only if it fails (Debian's Maven 3.8
# prints terminal escape codes even with -q).
quietly() {
  local log status=0
  log="$(mktemp)"
  "$@" >"$log" 2>&1 || status=$?
  (( status == 0 )) || cat "$log" >&2
  rm -f "$log"
  (( status == 0 )) || die "failed ($status): $*"
}

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$arg' (usage: setup.sh [--no-build])" ;;
  esac
done

# The project root is three directories above this script's directory
# (<root>/src/main/scripts/setup.sh); work from there whatever the caller's directory.
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
[[ -f "$root/pom.xml" ]] || die "cannot find the project root (no pom.xml in $root)"
cd "$root"

mpj="$root/.mpj"
debian_lib=/usr/share/mpj/lib
# Jars Debian's MPJ manifests name in their Class-Path (log4j-1.2.jar for every device
# jar, the commons ones for starter/daemon): they must sit beside the copies.
debian_extras=(log4j-1.2.jar commons-cli.jar commons-codec.jar commons-io.jar)
debian_extra_pkgs=(liblog4j1.2-java libcommons-cli-java libcommons-codec-java libcommons-io-java)

# ---------------------------------------------------------------- 1 + 2: packages
missing_pkgs=()

javac_major() {  # "javac 17.0.15" -> 17, "javac 21-ea" -> 21, "javac 1.8.0_392" -> 1
  local v
  v="$(javac -version 2>&1 | awk '{print $2}')"
  v="${v%%[!0-9]*}"
  echo "${v:-0}"
}
if ! command -v javac >/dev/null || (( $(javac_major) < 17 )); then
  missing_pkgs+=(openjdk-17-jdk-headless)
fi
command -v mvn >/dev/null || missing_pkgs+=(maven)
# Snapshot titles and the charts of `halo report` are text: a headless JDK draws it with the
# fonts fontconfig finds, and has none without them.
command -v fc-list >/dev/null || missing_pkgs+=(fontconfig)
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing_pkgs+=(fonts-dejavu-core)

# An upstream installation (MPJ_HOME with lib/mpj.jar) wins over Debian's package, unless
# MPJ_HOME is our own .mpj (someone exported it): then .mpj is its own source.
upstream=""
if [[ -n "${MPJ_HOME:-}" && -f "$MPJ_HOME/lib/mpj.jar" ]]; then
  upstream="$(cd "$MPJ_HOME" && pwd -P)"
  if [[ -d "$mpj" && "$upstream" == "$(cd "$mpj" && pwd -P)" ]]; then
    upstream="self"
  fi
fi
if [[ -z "$upstream" ]]; then
  [[ -f "$debian_lib/mpj.jar" ]] || missing_pkgs+=(libmpj-java)
  for i in "${!debian_extras[@]}"; do
    [[ -f "/usr/share/java/${debian_extras[$i]}" ]] || missing_pkgs+=("${debian_extra_pkgs[$i]}")
  done
fi

# The tools users read diff2d's field files with (--format), which FieldFormatsIT reads them
# with: Debian's Python and its packages (numpy, h5py, xarray + h5netcdf, VTK 9).
python_pkgs=(python3-numpy python3-h5py python3-xarray python3-h5netcdf python3-vtk9)
if ! /usr/bin/python3 -c 'import numpy, h5py, xarray, h5netcdf, vtk' >/dev/null 2>&1; then
  missing_pkgs+=("${python_pkgs[@]}")
fi

if (( ${#missing_pkgs[@]} > 0 )); then
  apt_cmd="apt-get install -y --no-install-recommends ${missing_pkgs[*]}"
  if (( EUID != 0 )); then
    die "missing ${missing_pkgs[*]}; as root run: apt-get update && $apt_cmd"
  fi
  echo "setup.sh: installing ${missing_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -qq update
  # other installers may hold dpkg's lock for a while: wait for it rather than fail
  apt-get -o DPkg::Lock::Timeout=600 -qq install -y --no-install-recommends "${missing_pkgs[@]}" >/dev/null
  if ! command -v javac >/dev/null || (( $(javac_major) < 17 )); then
    die "javac is still older than 17: select JDK 17 with update-alternatives --config javac"
  fi
fi

# ---------------------------------------------------------------- 3: <project>/.mpj
# Copies, not symbolic links: the JVM resolves a jar's manifest Class-Path relative to
# the file it opened after following links, i.e. beside Debian's originals.
# cp -p keeps the source's modification time, so "times differ" means "source changed"
# (newer or older: a downgrade counts too).
changed=0
sync_file() {  # sync_file SRC DST: copy SRC (links followed) to DST unless identical in time
  local src="$1" dst="$2"
  if [[ ! -e "$dst" || "$src" -nt "$dst" || "$src" -ot "$dst" ]]; then
    cp -pL "$src" "$dst.tmp.$$" && mv -f "$dst.tmp.$$" "$dst"
    changed=1
  fi
}

mkdir -p "$mpj/lib" "$mpj/conf" "$mpj/bin" "$mpj/logs"

# Where the MPJ jars come from (.mpj/.source); when that changes, start lib/ and conf/
# afresh so that nothing of the previous installation lingers.
case "$upstream" in
  "") source_desc="debian $debian_lib" ;;
  self) source_desc="$(cat "$mpj/.source" 2>/dev/null || echo "self $mpj")" ;;
  *) source_desc="upstream $upstream" ;;
esac
if [[ "$upstream" != self && "$(cat "$mpj/.source" 2>/dev/null || true)" != "$source_desc" ]]; then
  rm -f "$mpj"/lib/*.jar "$mpj"/conf/*
  echo "$source_desc" > "$mpj/.source"
fi

case "$upstream" in
  self) ;;  # MPJ_HOME is .mpj itself: its jars are already in place
  "")
    # Debian ships each jar as name-0.44.jar plus a link name.jar; the manifests and
    # the launchers use the link names, so copy each link under its own name.
    for link in "$debian_lib"/*.jar; do
      [[ -L "$link" ]] && sync_file "$link" "$mpj/lib/$(basename "$link")"
    done
    for jar in "${debian_extras[@]}"; do
      sync_file "/usr/share/java/$jar" "$mpj/lib/$jar"
    done
    for f in /usr/share/mpj/conf/*; do
      sync_file "$f" "$mpj/conf/$(basename "$f")"
    done
    ;;
  *)
    # Upstream's lib/ already holds what its manifests name (log4j-1.2.11.jar, ...).
    for jar in "$upstream"/lib/*.jar; do
      sync_file "$jar" "$mpj/lib/$(basename "$jar")"
    done
    for f in "$upstream"/conf/*; do
      [[ -f "$f" ]] && sync_file "$f" "$mpj/conf/$(basename "$f")"
    done
    ;;
esac
[[ -f "$mpj/lib/mpj.jar" ]] || die "no mpj.jar in $mpj/lib"

sync_file "$here/mpjrun.sh" "$mpj/bin/mpjrun.sh"
[[ -x "$mpj/bin/mpjrun.sh" ]] || chmod +x "$mpj/bin/mpjrun.sh"
sync_file "$here/vector-api.sh" "$mpj/bin/vector-api.sh"

if (( changed )); then
  echo "setup.sh: updated $mpj (MPJ Express from ${source_desc#* })"
fi

# ---------------------------------------------------------------- 4: Maven repository
# Maven's ~ is Java's user.home, the home directory in the password database (not $HOME).
user_home="$(getent passwd "$(id -u)" | cut -d: -f6)"
m2_jar="${user_home:-$HOME}/.m2/repository/mpjexpress/mpj/0.44/mpj-0.44.jar"
if [[ ! -f "$m2_jar" ]] || ! cmp -s "$mpj/lib/mpj.jar" "$m2_jar"; then
  quietly mvn -B -q install:install-file -Dfile="$mpj/lib/mpj.jar" \
      -DgroupId=mpjexpress -DartifactId=mpj -Dversion=0.44 -Dpackaging=jar
fi

# ---------------------------------------------------------------- 5: the jars
# One build path: Maven packages target/halo.jar and, from the same classes,
# .mpj/lib/halo-launcher.jar (pom.xml), which step 3 removes when the MPJ source changes.
launcher_jar="$mpj/lib/halo-launcher.jar"
if (( build )); then
  # Directories count too: deleting or renaming a file changes its directory's time.
  # conf/log4j2.xml is not in the jar: runs read it from conf/.
  sources=(src/main pom.xml)
  [[ -d conf ]] && sources+=(conf)
  if [[ ! -f target/halo.jar || ! -f "$launcher_jar" ]] \
     || [[ -n "$(find "${sources[@]}" -newer target/halo.jar ! -path conf/log4j2.xml -print -quit)" ]]; then
    echo "setup.sh: building target/halo.jar and $launcher_jar"
    quietly mvn -B -q -DskipTests package
  fi
fi

# ---------------------------------------------------------------- 6: CDS archive
# Maven's package phase makes it with the jar (cds-archive.sh); made again here when the
# launch scripts, this script or the JDK are newer, since the options the scripts give the
# JVM must be the archive's.
if (( build )) && [[ -f target/halo.jar ]]; then
  archive="$mpj/cds/halo.jsa"
  jdk="$(readlink -f "$(command -v java)")"
  if [[ ! -f "$archive" || ! -f "$mpj/cds/niodev.jsa" || target/halo.jar -nt "$archive" || "$launcher_jar" -nt "$archive" \
        || "$mpj/bin/mpjrun.sh" -nt "$archive" || "$mpj/bin/vector-api.sh" -nt "$archive" \
        || "$here/setup.sh" -nt "$archive" || "$here/cds-archive.sh" -nt "$archive" \
        || "$jdk" -nt "$archive" ]]; then
    "$here/cds-archive.sh"
  fi
fi

if (( build )); then
  echo "Halo ready: MPJ_HOME=$mpj, jar target/halo.jar"
else
  echo "Halo ready: MPJ_HOME=$mpj (jar not built: --no-build)"
fi
