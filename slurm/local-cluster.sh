#!/usr/bin/env bash
# local-cluster.sh: a real Slurm on this one machine, to try Halo's job scripts and to test them.
#
#   slurm/local-cluster.sh start [--nodes N] [--cpus C] [--dir DIR]
#   slurm/local-cluster.sh stop [--dir DIR]
#
# start  first stops whatever a previous cluster left behind (also after a crash), then starts
#        munged, slurmctld and one slurmd per node from Debian's packages (installed with
#        apt-get when missing), in the background, without systemd, every file under DIR
#        (default /tmp/halo-slurm), and waits until every node is idle. It ends by printing the
#        line that points sbatch, squeue, scontrol... at the cluster: export SLURM_CONF=DIR/slurm.conf
#          --nodes 1 (default): one node, this machine, at 127.0.0.1.
#          --nodes N (2 to 8): nodes halo-n1 ... halo-nN, each in its own network namespace with
#            its own address 10.200.0.11, .12, ... on the bridge halo-br0 (this machine, where
#            slurmctld runs, is 10.200.0.1), its own hostname and its own /etc/hosts: ranks on
#            two nodes really talk over a network.
#          --cpus C: CPUs each node claims (default 8, more than most laptops have, so that
#            sbatch -n 8 runs; SlurmdParameters=config_overrides lets a node claim them).
# stop   stops the daemons by the PIDs recorded in DIR/pids (every job process dies with its
#        node), removes the namespaces and the bridge. The logs stay in DIR/log.
#
# One such cluster per machine: the namespaces, the bridge and the ports (6817, 6818) are
# machine-wide. Needs root (daemons, network namespaces, munge credentials for any user).
set -euo pipefail

die() { echo "local-cluster.sh: $*" >&2; exit 1; }
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

readonly NAMESPACE_PREFIX=halo-n BRIDGE=halo-br0 SUBNET=10.200.0
readonly CONTROLLER_NET_ADDR=$SUBNET.1
# Every node runs in its own PID namespace: when its first process ends, the kernel ends every
# process of the node (slurmd, job scripts, steps, ranks), so nothing outlives the cluster.
# --kill-child: when unshare (the PID recorded for the node) dies, so does that first process.
readonly -a NODE_UNSHARE=(unshare --pid --fork --kill-child --mount-proc)
# That first process: gives the node its hostname and /etc/hosts (when its arguments name
# one), starts slurmd, and stays to reap the orphans that a namespace's first process
# inherits (finished job steps), which slurmd would leave as zombies.
readonly NODE_INIT='
  if [ -n "$3" ]; then hostname "$2" && mount --bind "$3" /etc/hosts || exit 1; fi
  slurmd -D -f "$1" -N "$2" &
  wait'

command=${1:-}
(( $# > 0 )) && shift
nodes=1 cpus=8 dir=/tmp/halo-slurm
while (( $# > 0 )); do
  case "$1" in
    --nodes|--cpus|--dir) (( $# >= 2 )) || die "$1 needs a value" ;;&
    --nodes) nodes=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (accepted: --nodes N, --cpus C, --dir DIR)" ;;
  esac
done
[[ "$nodes" =~ ^[1-8]$ ]] || die "--nodes wants 1 to 8, got '$nodes'"
[[ "$cpus" =~ ^[1-9][0-9]{0,2}$ ]] || die "--cpus wants 1 to 999, got '$cpus'"
[[ "$dir" == /* ]] || dir="$PWD/$dir"
(( EUID == 0 )) || die "must run as root (Slurm's daemons, network namespaces)"

conf=$dir/slurm.conf
export SLURM_CONF=$conf
host=$(hostname -s)
# Job ids go on where the previous cluster stopped, as on a real cluster: a restart must not
# hand out runs/diff2d-1 and diff2d-1.out again.
next_job_id_file=$dir/next-job-id

# ------------------------------------------------------------------ stopping

# The PID recorded in FILE, if that process is still one of ours (its command line names
# DIR): after a crash or a reboot the number may belong to someone else by now.
recorded_pid() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -qF -- "$dir/" \
    && echo "$pid"
}

# True while one of the PIDs runs (a zombie, dead but not yet reaped by init, does not count).
any_alive() {
  local pid state
  for pid in "$@"; do
    state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) && [[ "$state" != Z* ]] && return 0
  done
  return 1
}

stop_cluster() {
  local pidfile pid ns daemons=()
  if [[ -e "$dir/pids/slurmctld.pid" ]]; then
    scontrol show config 2>/dev/null | awk '$1 == "NEXT_JOB_ID" {print $3}' > "$next_job_id_file.new" \
      && [[ -s "$next_job_id_file.new" ]] && mv "$next_job_id_file.new" "$next_job_id_file"
    rm -f "$next_job_id_file.new"
  fi
  # A node's recorded process (unshare) ignores SIGTERM while it waits for the namespace's
  # first process; SIGKILL ends it, which ends the namespace and so every process of the node.
  for pidfile in "$dir"/pids/slurmd-*.pid; do
    if pid=$(recorded_pid "$pidfile"); then kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$pidfile"
  done
  for pidfile in "$dir"/pids/slurmctld.pid "$dir"/pids/munged.pid; do
    if pid=$(recorded_pid "$pidfile"); then kill -TERM "$pid" 2>/dev/null && daemons+=("$pid"); fi
    rm -f "$pidfile"
  done
  for _ in $(seq 100); do   # 10 s to shut down cleanly, then no more asking
    any_alive "${daemons[@]}" || break
    sleep 0.1
  done
  if any_alive "${daemons[@]}"; then kill -KILL "${daemons[@]}" 2>/dev/null || true; fi
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$NAMESPACE_PREFIX[0-9]+\$" || true); do
    # Anything still running in a node's network (there should be nothing) would keep it alive.
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns delete "$ns"
  done
  ip link show "$BRIDGE" >/dev/null 2>&1 && ip link delete "$BRIDGE"
  return 0
}

# ------------------------------------------------------------------ starting

install_packages() {
  local missing=()
  command -v munged >/dev/null || missing+=(munge)
  command -v slurmctld >/dev/null || missing+=(slurmctld)
  command -v slurmd >/dev/null || missing+=(slurmd)
  command -v sbatch >/dev/null || missing+=(slurm-client)
  command -v ip >/dev/null || missing+=(iproute2)
  (( ${#missing[@]} == 0 )) && return 0
  echo "local-cluster.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -qq update
  apt-get -qq install -y --no-install-recommends "${missing[@]}" >/dev/null
  # The packages would start daemons of their own with systemd; there is none here, and
  # this cluster uses its own configuration anyway.
}

# Runs a daemon in the background, its output in DIR/log/NAME.out, its PID in DIR/pids/NAME.pid.
start_daemon() {
  local name=$1; shift
  "$@" </dev/null >>"$dir/log/$name.out" 2>&1 &
  echo $! > "$dir/pids/$name.pid"
}

# Waits up to SECONDS for COMMAND to succeed.
await() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || return 1
    sleep 0.2
  done
}

# Stops with WHAT and the last lines of LOG, where the daemon said why.
die_with_log() {
  echo "local-cluster.sh: $1; last lines of $2:" >&2
  tail -n 15 "$2" >&2 2>/dev/null || true
  exit 1
}

start_munge() {
  # A private munged (own key and socket): /etc/munge and any system munged stay untouched.
  mkdir -p "$dir/munge"
  chmod 755 "$dir" "$dir/munge"   # munged insists that everyone may reach its socket
  mungekey --create --keyfile="$dir/munge/munge.key" --force
  chmod 400 "$dir/munge/munge.key"
  start_daemon munged munged --foreground --socket="$dir/munge/munge.socket" \
      --key-file="$dir/munge/munge.key" --pid-file="$dir/munge/munged.pid" \
      --seed-file="$dir/munge/munged.seed" --log-file="$dir/log/munged.log"
  await 10 munge -S "$dir/munge/munge.socket" -n || die_with_log "munged did not start" "$dir/log/munged.out"
}

# slurm.conf for CONTROLLER_ADDR and the given node lines. The settings work without systemd
# and without cgroups (proctrack/linuxproc, task/none).
write_conf() {
  local controller_addr=$1; shift
  cat > "$conf" <<EOF
# Written by slurm/local-cluster.sh: a local test cluster, state under $dir.
ClusterName=halo
SlurmctldHost=$host($controller_addr)
AuthType=auth/munge
CredType=cred/munge
# cred_expire: a requeued job may start again 6 s after its requeue (default 121 s), for the
# jobs that requeue themselves before their time limit.
AuthInfo=socket=$dir/munge/munge.socket,cred_expire=5
SlurmUser=root
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.log
MpiDefault=none
ReturnToService=2
FirstJobId=$first_job_id
# Nodes may claim more CPUs than the machine has (else they go INVAL, "Low CPUs").
SlurmdParameters=config_overrides
# A request no node can ever satisfy is refused by sbatch instead of pending forever.
EnforcePartLimits=ALL
# scancel and time limits: SIGKILL 5 s after SIGTERM (default 30).
KillWait=5
$(printf '%s\n' "$@")
PartitionName=halo Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

start_controller() {
  start_daemon slurmctld slurmctld -D -f "$conf"
  await 20 scontrol ping || die_with_log "slurmctld did not start" "$dir/log/slurmctld.log"
}

start_single_node() {
  write_conf 127.0.0.1 "NodeName=$host NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN"
  start_controller
  mkdir -p "$dir/spool/$host"
  start_daemon "slurmd-$host" "${NODE_UNSHARE[@]}" sh -c "$NODE_INIT" node-init "$conf" "$host" ""
}

start_namespaced_nodes() {
  local i node node_lines=()
  for i in $(seq "$nodes"); do
    node_lines+=("NodeName=$NAMESPACE_PREFIX$i NodeHostname=$NAMESPACE_PREFIX$i NodeAddr=$SUBNET.$((10 + i)) CPUs=$cpus State=UNKNOWN")
  done

  ip link add "$BRIDGE" type bridge
  ip address add "$CONTROLLER_NET_ADDR/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  for i in $(seq "$nodes"); do
    node=$NAMESPACE_PREFIX$i
    ip netns add "$node"
    ip link add "$node-br" type veth peer name eth0 netns "$node"
    ip link set "$node-br" master "$BRIDGE" up
    ip -n "$node" address add "$SUBNET.$((10 + i))/24" dev eth0
    ip -n "$node" link set eth0 up
    ip -n "$node" link set lo up
  done

  write_conf "$CONTROLLER_NET_ADDR" "${node_lines[@]}"
  start_controller

  for i in $(seq "$nodes"); do
    node=$NAMESPACE_PREFIX$i
    mkdir -p "$dir/spool/$node"
    # Each node's /etc/hosts as Debian writes one: its own name on a loopback address (a trap
    # for launchers, which must never hand 127.x addresses to ranks on other nodes), the
    # others by their addresses.
    {
      echo "127.0.0.1 localhost"
      echo "127.0.1.1 $node"
      echo "$CONTROLLER_NET_ADDR $host"
      for j in $(seq "$nodes"); do
        (( j == i )) || echo "$SUBNET.$((10 + j)) $NAMESPACE_PREFIX$j"
      done
    } > "$dir/hosts/$node"
    # nsenter --net, not "ip netns exec", which remounts /sys (slurmd then fails to start its
    # cgroup plugin). unshare gives the node its own hostname, /etc/hosts and processes.
    start_daemon "slurmd-$node" nsenter --net="/run/netns/$node" "${NODE_UNSHARE[@]}" --uts --mount \
        sh -c "$NODE_INIT" node-init "$conf" "$node" "$dir/hosts/$node"
  done
}

all_nodes_idle() {
  local states
  states=$(sinfo -h -N -o %T)
  [[ -n "$states" && -z "$(grep -v '^idle$' <<< "$states")" ]]
}

start_cluster() {
  # DIR is emptied: never a directory that is not a local cluster's (a mistyped --dir).
  if [[ -e "$dir" && -n "$(ls -A "$dir")" ]] && ! grep -qs '^# Written by slurm/local-cluster.sh' "$conf"; then
    die "$dir is not empty and holds no local cluster; choose another --dir"
  fi
  install_packages
  stop_cluster
  first_job_id=$(cat "$next_job_id_file" 2>/dev/null || echo 1)
  rm -rf "$dir"
  mkdir -p "$dir"/{pids,log,run,state,spool,hosts}
  echo "$first_job_id" > "$next_job_id_file"
  start_munge
  if (( nodes == 1 )); then
    start_single_node
  else
    start_namespaced_nodes
  fi
  if ! await 30 all_nodes_idle; then
    die_with_log "not every node became idle: $(sinfo -h -N -o '%N %T' | paste -sd ' ')" \
        "$(ls -t "$dir"/log/slurmd-*.log | head -n 1)"
  fi
  echo "Slurm is up: $nodes node(s) with $cpus CPUs each, state in $dir. To use it:"
  echo "export SLURM_CONF=$conf"
}

case "$command" in
  start) start_cluster ;;
  stop) stop_cluster; echo "Slurm stopped (logs in $dir/log)" ;;
  -h|--help) usage ;;
  "") die "no command (accepted: start, stop; --help shows more)" ;;
  *) die "unknown command '$command' (accepted: start, stop; --help shows more)" ;;
esac
