# vector-api.sh: what starting a JVM with the JDK's Vector API takes, for Halo's launchers.
# Sourced by mpjrun.sh (setup.sh installs both in <project>/.mpj/bin/) and by
# slurm/niodev-rank.sh; never run alone.
#
#   jdk_has_vector_api JAVA          succeeds when the JDK of the command JAVA has the module
#                                    jdk.incubator.vector (then add $vector_api_option)
#   rank_jvm_options [USER_OPTIONS...]
#                                    sets the array rank_options: the class data sharing,
#                                    memory and JIT options of a rank's JVM (below), without
#                                    the collector ones when USER_OPTIONS (the user's JVM
#                                    options) choose a collector
#   run_without_incubator_warning COMMAND [ARGS...]
#                                    runs COMMAND (a JVM) and exits with its exit status,
#                                    with the JDK's line about that module taken out of its
#                                    stderr
#
# JDK 17 resolves the incubator module only with --add-modules, and then prints
# "WARNING: Using incubator modules: jdk.incubator.vector" on stderr before main, with no
# option to silence it; Halo promises one line on stderr for bad input. So the JVM's stderr
# goes through a filter that drops exactly that line (each JVM prints it once: with
# mpjrun.sh -dev niodev the ranks share the filter) and passes every other byte through.
#
# The script stays between its caller and the JVM, so that it can wait for the filter:
#   - exit status: the JVM's (128 + N when a signal N killed it);
#   - order: it returns only after the filter has written the JVM's last byte of stderr, so a
#     caller that reads a 2>file right after finds it whole;
#   - signals: SIGTERM, SIGINT, SIGHUP and SIGQUIT sent to the script are passed on to the
#     JVM, which ends as it would have ended alone (shutdown hooks run). Sent to the whole
#     process group (Ctrl-C), the JVM gets them directly as well, harmlessly twice. The
#     filter ignores them and ends when every process writing to it has. SIGKILL cannot be
#     passed on: it ends the script alone, and the JVM, told the script's PID, notices and
#     ends itself within seconds (halo.launch.ParentWatch).

vector_api_option=--add-modules=jdk.incubator.vector

# Ranks run the same start-up code (options, MPI.Init, logs), in multicore mode together N
# times as often as one: at the JIT's usual thresholds C2 then compiles hundreds of start-up
# methods on the cores the ranks need. Thresholds 3 times higher leave those to C1; the
# kernels' (halo.kernel) 100 times lower bring the time-step loop to C2 within its first
# steps, which the Vector API forms need most (they are slow until C2 makes them vector
# instructions, and the JIT warm-up's steps compete with the ranks' start-up until then).
# See docs/performance.md (start-up).
rank_jit_options=(-XX:CompileThresholdScaling=3 -XX:CompileCommand=quiet
                  "-XX:CompileCommand=CompileThresholdScaling,halo.kernel.*::*,0.01")

# A rank JVM allocates most of what it ever allocates in its first second (class loading,
# MPI.Init, the Vector API forms until C2 compiles them) and little after. G1's young
# generation grows to hundreds of MB, so that garbage lands on fresh pages, one page fault
# each (tens of µs on a virtual machine); 16 MB collected often reuses the same pages. The
# parallel collector: the throughput one, for batch jobs. See docs/performance.md (start-up).
rank_gc_options=(-XX:+UseParallelGC -Xmn16m)

# Debian's JDK 17 maps its class data sharing archives at a random address and then rewrites
# every pointer in them (ArchiveRelocationMode=1, JDK 20's default, backported): tens of ms
# of every JVM's start, before the first class loads. Mode 0 maps them where they
# were made to go (the JDK's own default before), and relocates only if that address is taken.
rank_cds_options=(-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0)

# The class data sharing archives cds-archive.sh makes, one per kind of JVM, since an archive
# serves only the class path it was made with: halo (the multicore JVM of mpjrun.sh), niodev
# (a niodev rank's JVM, also under Slurm) and launcher (the JVM of mpjrun.sh -dev niodev).
#   cds_archive_options NAME [USER_OPTIONS...]
# sets the array cds_options to map in $MPJ_HOME/cds/NAME.jsa, when it is there and the
# user's options do not make an archive themselves. A stale archive (another JDK, rebuilt
# jars) is left unused without a word.
cds_archive_options() {
  local archive="$MPJ_HOME/cds/$1.jsa" option
  shift
  cds_options=()
  [[ -f "$archive" ]] || return 0
  for option in "$@"; do
    [[ "$option" != -XX:ArchiveClassesAtExit=* ]] || return 0
  done
  cds_options=(-XX:SharedArchiveFile="$archive" "-Xlog:cds*=off")
}

# Transparent huge pages for the Java heap where the kernel gives them on request (its
# setting "madvise" or "always"; with "never" the JVM would print a warning): the young
# generation on 8 pages of 2 MB instead of 4,096 of 4 kB, a page fault each (about ten µs on a
# virtual machine). See docs/performance.md (start-up).
rank_memory_options=()
thp_setting=""
[[ ! -r /sys/kernel/mm/transparent_hugepage/enabled ]] \
  || read -r thp_setting < /sys/kernel/mm/transparent_hugepage/enabled || true
[[ "$thp_setting" != *"[madvise]"* && "$thp_setting" != *"[always]"* ]] \
  || rank_memory_options=(-XX:+UseTransparentHugePages)

rank_jvm_options() {
  rank_options=("${rank_cds_options[@]}" "${rank_memory_options[@]}" "${rank_jit_options[@]}")
  local option
  for option in "$@"; do
    [[ "$option" != -XX:+Use*GC ]] || return 0   # two collectors: the JVM would not start
  done
  rank_options+=("${rank_gc_options[@]}")
}

# The JDK's release file lists its modules (MODULES="java.base ..."): read in no time, where
# asking a JVM (java --list-modules) would take one start. No release file: no module.
jdk_has_vector_api() {
  local java line module='^MODULES=.*[" ]jdk\.incubator\.vector[" ]'
  java="$1"
  [[ "$java" == */* ]] || java=$(type -P "$java") || return 1
  java=$(readlink -f "$java") && [[ -r "${java%/bin/*}/release" ]] || return 1
  while IFS= read -r line; do
    if [[ "$line" =~ $module ]]; then
      return 0
    fi
  done < "${java%/bin/*}/release"
  return 1
}

run_without_incubator_warning() {
  local to_filter filter signal status defaults=()
  # Unbuffered (sed -u), so that lines come out as the JVM writes them; sed keeps a last line
  # without a newline as it is.
  exec {to_filter}> >(trap '' INT TERM HUP QUIT
                      LC_ALL=C exec sed -u '/^WARNING: Using incubator modules: jdk\.incubator\.vector$/d' >&2)
  filter=$!
  # The JVM runs in the background, so that the traps run while the script waits (a trap
  # waits for a foreground command to end). A non-interactive shell starts background
  # commands with SIGINT and SIGQUIT ignored and stdin from /dev/null: env and <&0 undo that,
  # unless the script itself started with them ignored (its traps cannot change that either),
  # for then the JVM would have ignored them too.
  local ignored=0 key value
  # SigIgn: the signals this shell was started with ignored (hex mask, bit N-1 for signal N).
  while read -r key value; do
    [[ "$key" != SigIgn: ]] || ignored=$(( 16#$value ))
  done < /proc/$$/status
  (( ignored & (1 << 1) )) || defaults+=("--default-signal=INT")
  (( ignored & (1 << 2) )) || defaults+=("--default-signal=QUIT")
  vector_api_jvm="" vector_api_signal=""
  for signal in TERM INT HUP QUIT; do
    trap "vector_api_pass_on $signal" "$signal"
  done
  # HALO_PARENT_PID: the JVM ends itself when this script is killed with kill -9 (ParentWatch).
  env "${defaults[@]}" HALO_PARENT_PID=$$ "$@" <&0 2>&"$to_filter" {to_filter}>&- &
  vector_api_jvm=$!
  exec {to_filter}>&-
  [[ -z "$vector_api_signal" ]] || kill -s "$vector_api_signal" "$vector_api_jvm" 2>/dev/null || true
  vector_api_wait "$vector_api_jvm"
  status=$vector_api_status
  vector_api_jvm=""   # reaped: its PID may be another process's by now
  vector_api_wait "$filter"
  exit "$status"
}

# A signal for the JVM: passed on, or kept until it has started.
vector_api_pass_on() {
  vector_api_interrupted=1
  if [[ -n "$vector_api_jvm" ]]; then
    kill -s "$1" "$vector_api_jvm" 2>/dev/null || true
  else
    vector_api_signal=$1
  fi
}

# Waits until the background process PID has ended; its exit status in vector_api_status. A
# trap ends a wait early, and then it waits again (the shell keeps the status of a child it
# has reaped).
vector_api_wait() {
  while :; do
    vector_api_interrupted=0
    # 2>/dev/null: not the shell's "Killed" notice for a JVM killed by a signal; the status says it
    wait "$1" 2>/dev/null && vector_api_status=0 || vector_api_status=$?
    (( vector_api_interrupted )) || break
  done
}
