#!/usr/bin/env bash
# mpjrun.sh: run an MPJ Express program, with the usage of MPJ Express's own mpjrun.sh:
#
#   mpjrun.sh [-np N] [-dev multicore|niodev|hybdev] [-wdir DIR] [-cp|-classpath CP]
#             [JVM options: -Xmx4g -Dk=v -XX:... -ea ...] (-jar JAR | MAINCLASS) [args...]
#
# Installed by src/main/scripts/setup.sh as <project>/.mpj/bin/mpjrun.sh; MPJ_HOME is the
# directory above this script (exported for MPJ, which reads its conf/ through it).
#
# multicore (the default device): ONE JVM running halo.launch.MulticoreLauncher, which
#   makes the ranks exactly like MPJ's MulticoreStarter does, and exits with the truth:
#   0 every rank's main returned, 1 a rank threw (reported as "rank R failed: ..."),
#   2 bad command line, n a rank called System.exit(n). Stock mpjrun starts a second JVM
#   and exits 0 whatever happened in it.
# niodev: one JVM per rank on THIS machine, no MPJ daemons: halo.launch.NiodevLauncher holds
#   the ranks' rendezvous on a loopback port picked for the run, passes their output through,
#   ends every rank as soon as one exits non-zero or is killed, and exits with that rank's
#   status (128 + N for signal N), 0 only when every rank exited 0. JVM options go to every
#   rank. Across machines, submit a Slurm job instead (jobs/*.slurm), or use stock -yarn.
# any other device: handed to MPJ's stock starter (java -jar $MPJ_HOME/lib/starter.jar),
#   which needs MPJ daemons on the hosts and reports what it reports.
#
# Differences from stock in multicore and niodev mode: relative -cp entries are taken relative to
# the directory mpjrun.sh was started in (stock: relative to -wdir); without -cp a class
# is looked up in that directory (stock: in -wdir, always); options stop at the program,
# so everything after -jar JAR or MAINCLASS goes to the program; nothing is printed
# before the program's own output. The ranks' JVMs have the JDK's Vector API
# (--add-modules=jdk.incubator.vector, when the JDK has the module), without the JDK's
# warning about it on stderr; mpjrun.sh stays the JVM's parent for that (vector-api.sh).
set -euo pipefail

die() { echo "mpjrun.sh: $*" >&2; exit 2; }

# Always this script's own installation: an MPJ_HOME in the environment may name the
# upstream MPJ Express that setup.sh copied its jars from, which has no halo-launcher.jar.
# Shell builtins where they do (every process started costs milliseconds):
# readlink only when the script was started through a symbolic link.
self="${BASH_SOURCE[0]}"
[[ ! -L "$self" ]] || self="$(readlink -f "$self")"
[[ "$self" == */* ]] || self="./$self"
start_dir="$PWD"
CDPATH="" cd -- "${self%/*}/.." && MPJ_HOME="$PWD" && cd -- "$start_dir"
export MPJ_HOME
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
source "$MPJ_HOME/bin/vector-api.sh"

usage() { sed -n '2,5p' "$(readlink -f "${BASH_SOURCE[0]}")" | sed 's/^# \{0,1\}//'; }

original_args=("$@")
np=1 dev=multicore wdir="" cp="" have_cp=0 jar="" main="" jvm_opts=() stock_only=0 machines=""
(( $# > 0 )) || { usage >&2; exit 2; }
while (( $# > 0 )) && [[ -z "$jar$main" ]]; do
  opt="$1"
  case "$opt" in
    -np|-dev|-wdir|-cp|-classpath|-jar|-debug|-machinesfile|-dport|-sport|-psl|-mxboardnum|\
    -headnodeip|-mpjport|-amMem|-amCores|-containerMem|-containerCores|-yarnQueue|-appName|\
    -amPriority|-mpjContainerPriority|-hdfsFolder)
      (( $# >= 2 )) || die "$opt needs a value"
      val="$2"; shift 2 ;;
    *) val=""; shift ;;
  esac
  case "$opt" in
    -np) np="$val" ;;
    -dev) dev="$val" ;;
    -wdir) wdir="$val" ;;
    -cp|-classpath) cp="$val"; have_cp=1 ;;
    -jar) jar="$val" ;;
    -h|-help|--help) usage; exit 0 ;;
    # Remote debugging of the (one) JVM, as stock does it.
    -debug) jvm_opts+=("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=$val") ;;
    -machinesfile) machines="$val" ;;
    # Cluster and YARN settings: meaningless without MPJ daemons.
    -dport|-sport|-psl|-mxboardnum|-headnodeip|-mpjport|-amMem|-amCores|\
    -containerMem|-containerCores|-yarnQueue|-appName|-amPriority|-mpjContainerPriority|\
    -hdfsFolder|-src|-profile|-debugYarn) ;;
    -yarn) stock_only=1 ;;
    -*) jvm_opts+=("$opt") ;;   # -Xmx4g, -Dk=v, -XX:..., -ea, -server, ...
    *) main="$opt" ;;
  esac
done

[[ "$np" =~ ^[1-9][0-9]*$ ]] || die "-np wants a positive integer, got '$np'"
case "$dev" in
  multicore|niodev|hybdev|mxdev|native) ;;
  *) die "unknown device '$dev' (multicore, niodev, hybdev, mxdev or native)" ;;
esac

if [[ ( "$dev" != multicore && "$dev" != niodev ) || $stock_only == 1 ]]; then
  exec "$java" -jar "$MPJ_HOME/lib/starter.jar" "${original_args[@]}"
fi
if [[ "$dev" == niodev && -n "$machines" ]]; then
  die "-machinesfile $machines: -dev niodev runs every rank on this machine (no MPJ daemons);" \
      "across machines, submit a Slurm job (jobs/*.slurm)"
fi

[[ -n "$jar$main" ]] || die "no program given: -jar JAR or MAINCLASS"
# First, so that the user's own options come after it.
! jdk_has_vector_api "$java" || jvm_opts=("$vector_api_option" "${jvm_opts[@]}")

# Make paths absolute before moving to the working directory (a JVM cannot change its
# own working directory, so -wdir is a cd here, and the ranks inherit it).
absolute() { [[ "$1" == /* ]] && absolute_path="$1" || absolute_path="$PWD/$1"; }
launcher_args=(-np "$np")
rank_jvm_options "${jvm_opts[@]}"
# niodev: the JVM options are for the ranks' JVMs; the launcher's own JVM only waits. The
# options of rank JVMs (vector-api.sh) come first: a user's own come later and win.
if [[ "$dev" == niodev ]]; then
  cds_archive_options niodev "${jvm_opts[@]}"
  launcher_args+=("${cds_options[@]}" "${rank_options[@]}" "${jvm_opts[@]}")
fi
if (( have_cp )); then
  entries=()
  IFS=: read -r -a parts <<< "$cp:"   # the trailing ':' keeps a final empty entry out
  for e in "${parts[@]}"; do absolute "${e:-.}"; entries+=("$absolute_path"); done
  launcher_args+=(-cp "$(IFS=:; echo "${entries[*]}")")
fi
# The JVM's own class path: the launcher (its manifest names MPJ's device jars) and a -jar
# JAR, whose classes the ranks share when JAR asks for it (MulticoreLauncher) and whose
# pre-flight check the launcher runs (both devices): loaded by the JVM's own loader, they
# come ready from the class data sharing archive.
jvm_class_path="$MPJ_HOME/lib/halo-launcher.jar"
if [[ -n "$jar" ]]; then
  absolute "$jar"
  launcher_args+=(-jar "$absolute_path")
  jvm_class_path+=":$absolute_path"
else
  (( have_cp )) || launcher_args+=(-cp "$PWD")
  launcher_args+=("$main")
fi
if [[ -n "$wdir" ]]; then
  cd "$wdir" 2>/dev/null || die "cannot change to the working directory '$wdir'"
fi

# The class data sharing archives setup.sh makes by a training run (vector-api.sh): the
# JDK's, the launcher's and the libraries' classes mapped in ready-parsed and verified
# instead of loaded.
if [[ "$dev" == niodev ]]; then
  cds_archive_options launcher
  run_without_incubator_warning "$java" "${rank_cds_options[@]}" "${cds_options[@]}" \
      -cp "$jvm_class_path" halo.launch.NiodevLauncher "${launcher_args[@]}" "$@"
fi
cds_archive_options halo "${jvm_opts[@]}"
run_without_incubator_warning "$java" "${cds_options[@]}" "${rank_options[@]}" "${jvm_opts[@]}" \
    -cp "$jvm_class_path" halo.launch.MulticoreLauncher "${launcher_args[@]}" "$@"
