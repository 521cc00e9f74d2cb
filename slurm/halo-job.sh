# halo-job.sh: what every Halo job script shares. Sourced by jobs/*.slurm, never run alone:
#
#   source "${HALO_HOME:-$SLURM_SUBMIT_DIR}/slurm/halo-job.sh" || exit 1
#   halo_job APP [Halo options...]
#
# halo_job runs Halo's program APP on every task Slurm gave the job and ends the job with the
# truth: exit status 0 (state COMPLETED) only when rank 0 wrote summary.json saying
# "completed"; otherwise non-zero (FAILED), Halo's own status when it has one.
#
#   one node      all ranks are threads of one JVM: .mpj/bin/mpjrun.sh -np N (MPJ's
#                 multicore device), no network, no daemons.
#   several nodes one JVM per rank on the node Slurm placed it (MPJ's niodev device), started
#                 by srun --kill-on-bad-exit=1 (a rank that fails ends them all within
#                 seconds); the ranks find each other through halo.launch.Rendezvous, started
#                 for this job only on a port the system chose (two jobs never collide), which
#                 admits only ranks that prove the job's secret (docs/security.md): made by the
#                 rendezvous, kept in a file of mode 0600 in a directory of mode 0700, passed
#                 to the ranks in the environment (HALO_JOB_SECRET, carried by srun), never on
#                 a command line.
#
# The ranks run in the job's working directory (where sbatch ran, or sbatch --chdir); the run
# directory is runs/APP-<job id> there unless the options name one with --out.
#
# Before the time limit (#SBATCH --signal=B:USR1@SECONDS, or scancel --batch --signal=USR1):
# SIGUSR1 to this script asks the ranks to stop (halo.run.StopRequest: the file HALO_STOP_FILE,
# created in the run directory); diff2d writes a checkpoint at its next output and stops with
# status 3, and the job requeues itself (#SBATCH --requeue) or, when it cannot, says the one
# sbatch command that goes on. A requeued job (SLURM_RESTART_COUNT > 0) goes on from the newest of
# its run directories that has a checkpoint, into a new one (runs/APP-<job id>-2, -3, ...).
# Ended by Slurm (scancel, the time limit), it names its last checkpoint and that command too.
#
# Environment: HALO_HOME, Halo's project directory (default: the directory sbatch ran in);
# HALO_RENDEZVOUS_TIMEOUT, seconds the ranks of a multi-node job have to find each other
# (default 60); the SLURM_* variables of the job. SLURM_CPUS_PER_TASK reaches every rank.

# Every line of ours in the job's output starts with this.
halo_job_label="halo job ${SLURM_JOB_ID:-?}"

halo_fail() {
  echo "$halo_job_label: error: $*" >&2
  exit 1
}

[[ -n "${SLURM_JOB_ID:-}" ]] || halo_fail "not a Slurm job: submit the job script with sbatch"

# ---------------------------------------------------------------- Halo and MPJ Express
HALO_HOME=$(cd "${HALO_HOME:-$SLURM_SUBMIT_DIR}" && pwd) || halo_fail "no directory ${HALO_HOME:-$SLURM_SUBMIT_DIR}"
[[ -x "$HALO_HOME/.mpj/bin/mpjrun.sh" && -f "$HALO_HOME/target/halo.jar" ]] \
  || halo_fail "no Halo set up in $HALO_HOME (.mpj/, target/halo.jar): run src/main/scripts/setup.sh" \
               "there, then submit from that directory or set HALO_HOME"
export HALO_HOME
export MPJ_HOME=$HALO_HOME/.mpj      # the project's own MPJ Express, made by setup.sh
export HALO_JAR=$HALO_HOME/target/halo.jar
halo_java=${JAVA_HOME:+$JAVA_HOME/bin/}java

# ---------------------------------------------------------------- the job's shape

# One rank per Slurm task. SLURM_NPROCS and SLURM_NTASKS exist only when the job asked for
# tasks (-n, --ntasks-per-node); otherwise Slurm's default, one task per node.
halo_rank_count() {
  echo "${SLURM_NPROCS:-${SLURM_NTASKS:-$(( SLURM_JOB_NUM_NODES * ${SLURM_NTASKS_PER_NODE:-1} ))}}"
}

# The job's nodes, one host name a line.
halo_hosts() {
  scontrol show hostnames "$SLURM_JOB_NODELIST"
}

# The run directory Halo will create: the --out among the options, else runs/APP-<job id>.
halo_run_directory() {
  local app=$1; shift
  while (( $# > 0 )); do
    case "$1" in
      --out) echo "${2:-}"; return ;;
      --out=*) echo "${1#--out=}"; return ;;
    esac
    shift
  done
  echo "runs/$app-$SLURM_JOB_ID"
}

# halo_drop_option NAME [options...]: sets the array halo_kept to the options without NAME and
# its value (NAME VALUE or NAME=VALUE), for an option the job gives itself.
halo_drop_option() {
  local name=$1; shift
  halo_kept=()
  while (( $# > 0 )); do
    if [[ "$1" == "$name" ]]; then
      shift; (( $# == 0 )) || shift
    elif [[ "$1" == "$name="* ]]; then
      shift
    else
      halo_kept+=("$1"); shift
    fi
  done
}

# This job's run directories so far, oldest first: BASE, BASE-2, BASE-3... (every run of a
# requeued job gets a new one, as Halo names a taken one).
halo_job_runs() {
  local base=$1 n=2
  [[ -e "$base" ]] || return 0
  echo "$base"
  while [[ -e "$base-$n" ]]; do
    echo "$base-$n"
    n=$((n + 1))
  done
}

# The newest of this job's run directories (from BASE) that holds a checkpoint, if any: a run
# killed before its first checkpoint has none.
halo_newest_checkpoint() {
  local run newest=""
  while read -r run; do
    [[ ! -f "$run/checkpoint.bin" ]] || newest=$run
  done < <(halo_job_runs "$1")
  echo "$newest"
}

# The one command that goes on from run directory DIR after this job: the job script as the
# user submitted it, told to restart from DIR.
halo_how_to_go_on() {
  local script
  script=$(scontrol show job --oneliner "$SLURM_JOB_ID" 2>/dev/null | grep -o 'Command=[^ ]*')
  script=${script#Command=}
  echo "sbatch ${script#"$SLURM_SUBMIT_DIR/"} --restart $1"
}

# ---------------------------------------------------------------- launching

# halo_multicore RANKS APP [options...]: every rank a thread of one JVM on this node.
halo_multicore() {
  local ranks=$1; shift
  "$MPJ_HOME/bin/mpjrun.sh" -np "$ranks" -jar "$HALO_JAR" "$@"
}

# halo_niodev RANKS APP [options...]: one JVM per task, wherever Slurm placed it.
halo_niodev() {
  local ranks=$1; shift
  local port_file secret_file rendezvous srun_pid status
  # mktemp -d: mode 0700, so the secret file in it is this user's alone twice over
  halo_work=$(mktemp -d "${TMPDIR:-/tmp}/halo-job-$SLURM_JOB_ID.XXXXXX") || halo_fail "cannot create a temporary directory"
  trap halo_cleanup EXIT
  trap 'exit 143' TERM INT   # scancel, time limit: clean up on the way out too
  port_file=$halo_work/rendezvous-port
  secret_file=$halo_work/secret
  # Listens only on this node's address towards the job's other nodes, and reads only
  # connections from the job's nodes.
  "$halo_java" -cp "$MPJ_HOME/lib/halo-launcher.jar" halo.launch.RendezvousCommand --ranks "$ranks" \
      --timeout "${HALO_RENDEZVOUS_TIMEOUT:-60}" --port-file "$port_file" --secret-file "$secret_file" \
      --hosts "$(halo_hosts | paste -sd,)" &
  halo_rendezvous_pid=$!
  halo_await_port "$port_file"
  read -r -a rendezvous < "$port_file"   # ADDRESS PORT

  # --kill-on-bad-exit: a rank that fails ends every rank at once (niodev ranks left alone
  # would wait for it forever). --wait: once one rank has ended, the others have 60 s.
  # --cpus-per-task: since Slurm 22.05, srun no longer takes it from the job by itself.
  # The secret reaches the ranks in srun's environment (srun passes it on to every task).
  HALO_JOB_SECRET=$(< "$secret_file") HALO_RENDEZVOUS_TIMEOUT=${HALO_RENDEZVOUS_TIMEOUT:-60} \
  srun --kill-on-bad-exit=1 --wait=60 --ntasks="$ranks" \
      ${SLURM_CPUS_PER_TASK:+--cpus-per-task="$SLURM_CPUS_PER_TASK"} \
      "$HALO_HOME/slurm/niodev-rank.sh" "$ranks" "${rendezvous[0]}" "${rendezvous[1]}" "$@" &
  srun_pid=$!

  # A rendezvous that fails (a rank never reported) ends the ranks too.
  while kill -0 "$srun_pid" 2>/dev/null; do
    if [[ -n "$halo_rendezvous_pid" ]] && ! kill -0 "$halo_rendezvous_pid" 2>/dev/null; then
      wait "$halo_rendezvous_pid" || kill "$srun_pid" 2>/dev/null
      halo_rendezvous_pid=""
    fi
    sleep 0.5
  done
  wait "$srun_pid" && status=0 || status=$?
  return "$status"
}

halo_cleanup() {
  [[ -z "${halo_rendezvous_pid:-}" ]] || kill "$halo_rendezvous_pid" 2>/dev/null
  [[ -z "${halo_work:-}" ]] || rm -rf "$halo_work"
}

# Waits until the rendezvous has written its port (a JVM start, normally well under 10 s).
halo_await_port() {
  local port_file=$1 deadline=$((SECONDS + 30))
  until [[ -s "$port_file" ]]; do
    kill -0 "$halo_rendezvous_pid" 2>/dev/null || halo_fail "the rendezvous ended before it listened"
    (( SECONDS < deadline )) || halo_fail "the rendezvous did not listen within 30 s"
    sleep 0.1
  done
}

# ---------------------------------------------------------------- stopping before the time limit

# SIGUSR1: Slurm's warning that the time limit is near. A signal may come at any moment, so the
# ranks are only told (halo_await_ranks creates the stop file); they agree among themselves on
# the step.
halo_on_warning() {
  halo_stop_wanted=1
  echo "$halo_job_label: SIGUSR1, the time limit is near: asking the ranks to write a checkpoint" \
       "at their next output and stop"
}

# SIGTERM: scancel, the time limit, or our own requeue.
halo_on_termination() {
  local last
  last=$(halo_newest_checkpoint "$halo_run_base")
  if [[ -z "${halo_requeued:-}" && -n "$last" ]]; then
    echo "$halo_job_label: ended by Slurm (scancel or the time limit); last checkpoint" \
         "$last/checkpoint.bin; to go on: $(halo_how_to_go_on "$last")" >&2
  fi
  exit 143
}

# Waits for the ranks (PID: the launcher in the background) and returns their status; meanwhile
# passes a stop request on, once the run directory exists.
halo_await_ranks() {
  local pid=$1
  while kill -0 "$pid" 2>/dev/null; do
    if (( ${halo_stop_wanted:-0} )) && [[ -d "$halo_run_dir" && ! -e "$HALO_STOP_FILE" ]]; then
      echo "SIGUSR1 to job $SLURM_JOB_ID at $(date '+%F %T'): its time limit is near" > "$HALO_STOP_FILE"
    fi
    sleep 0.5   # short: a trap runs only between commands
  done
  wait "$pid"
}

# The ranks stopped at a checkpoint as asked: requeue, or say how to go on. Ends the job.
halo_requeue() {
  local refusal
  halo_requeued=1   # the SIGTERM that a requeue brings is no news
  # Said before asking: a granted requeue may end this script before its next line.
  echo "$halo_job_label: stopped at a checkpoint in $halo_run_dir; requeuing: the job goes on" \
       "from there when Slurm runs it again (after a requeue, by default 2 minutes or more)"
  if ! refusal=$(scontrol requeue "$SLURM_JOB_ID" 2>&1); then
    echo "$halo_job_label: cannot requeue (${refusal:-scontrol requeue failed});" \
         "to go on: $(halo_how_to_go_on "$halo_run_dir")" >&2
  fi
  exit 3
}

# ---------------------------------------------------------------- the job

# halo_job APP [options...]: runs APP on every task and exits with the job's truth.
halo_job() {
  local app=$1; shift
  local ranks run_dir runs resume_from nodes cpus status=0
  ranks=$(halo_rank_count)
  [[ "$ranks" =~ ^[1-9][0-9]*$ ]] || halo_fail "cannot tell the number of ranks (got '$ranks')"
  halo_run_base=$(halo_run_directory "$app" "$@")
  run_dir=$halo_run_base
  if (( ${SLURM_RESTART_COUNT:-0} > 0 )); then
    # Requeued: on from the newest checkpoint of this job's runs, into a run directory of its own.
    resume_from=$(halo_newest_checkpoint "$halo_run_base")
    runs=$(halo_job_runs "$halo_run_base" | wc -l)
    (( runs == 0 )) || run_dir="$halo_run_base-$((runs + 1))"
    # This run's own --restart and --out replace the user's: Halo refuses an option given twice.
    if [[ -n "$resume_from" ]]; then
      halo_drop_option --restart "$@"
      set -- --restart "$resume_from" "${halo_kept[@]}"
    fi
    halo_drop_option --out "$@"
    set -- --out "$run_dir" "${halo_kept[@]}"
    echo "$halo_job_label: requeued, run $((SLURM_RESTART_COUNT + 1)) of this job: going on from" \
         "${resume_from:-the start (no run of this job wrote a checkpoint)}"
  else
    halo_drop_option --out "$@"
    (( ${#halo_kept[@]} < $# )) || set -- "$@" --out "$run_dir"   # when the options name none
  fi
  halo_run_dir=$run_dir
  HALO_STOP_FILE=$([[ "$run_dir" == /* ]] || echo "$PWD/")$run_dir/stop-requested
  export HALO_STOP_FILE
  trap halo_on_warning USR1
  trap halo_on_termination TERM
  nodes=$(halo_hosts | paste -sd ' ')
  cpus=${SLURM_CPUS_PER_TASK:+, $SLURM_CPUS_PER_TASK CPUs each,}

  # In the background: the traps run while this script waits.
  if (( SLURM_JOB_NUM_NODES == 1 )); then
    echo "$halo_job_label: $app on $ranks ranks$cpus in one JVM on $nodes (multicore);" \
         "run directory $run_dir"
    halo_multicore "$ranks" "$app" "$@" &
  else
    echo "$halo_job_label: $app on $ranks ranks$cpus on $SLURM_JOB_NUM_NODES nodes: $nodes (niodev);" \
         "run directory $run_dir"
    halo_niodev "$ranks" "$app" "$@" &
  fi
  halo_await_ranks $! || status=$?
  # A stop ends every rank with status 3 at about the same moment, but srun
  # (--kill-on-bad-exit) may end the last of them first, with SIGTERM, and report 143 or
  # another status of its own: the ranks stopped all the same when rank 0 logged its stop,
  # after the checkpoint all of them wrote. As with summary.json below, what rank 0 wrote is
  # the truth, whatever status srun makes of the ending.
  if (( status != 0 && status != 3 && ${halo_stop_wanted:-0} )) && [[ -f "$run_dir/checkpoint.bin" ]] &&
     grep -q '"event":"stopped"' "$run_dir/logs/rank-0.json" 2>/dev/null; then
    status=3
  fi
  (( status != 3 )) || halo_requeue
  # scancel and the time limit send SIGTERM to the launcher and this script together, and the
  # launcher may end first: a moment for this script's own trap (halo_on_termination) to run
  # before the status is taken for a failure (srun also ends with 143 after losing a rank).
  (( status != 143 )) || sleep 1

  # The truth is what rank 0 wrote: summary.json comes last, and only when the run completed.
  if (( status == 0 )) && grep -q '"status"[[:space:]]*:[[:space:]]*"completed"' "$run_dir/summary.json" 2>/dev/null; then
    echo "$halo_job_label: completed; results in $run_dir"
    exit 0
  fi
  echo "$halo_job_label: failed: $app ended with status $status; no completed $run_dir/summary.json" >&2
  exit $(( status == 0 ? 1 : status ))
}
