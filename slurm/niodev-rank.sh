#!/usr/bin/env bash
# niodev-rank.sh: one rank of a multi-node Halo job, as srun starts it on every task (see
# halo_niodev in halo-job.sh): a plain JVM on MPJ Express's niodev device whose rank is the
# Slurm task number, and which finds the other ranks through the job's rendezvous at HOST:PORT.
#
#   niodev-rank.sh RANKS HOST PORT APP [Halo options...]     (MPJ_HOME, HALO_JAR: from the job)
#
# The line after the rank is the one halo.launch.Rendezvous.rankConfiguration gives the ranks
# of mpjrun.sh -dev niodev on one machine. halo.cli.Main ends the JVM with System.exit(status)
# on the niodev device, so a failing rank's exit reaches srun at once.
set -euo pipefail
ranks=$1 host=$2 port=$3
shift 3
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$MPJ_HOME/lib/mpj.jar:$HALO_JAR" halo.cli.Main "$SLURM_PROCID" \
    "#Number of Processes;$ranks;#Protocol Switch Limit;131072;#Server Name;$host;#Server Port;$port" \
    niodev "$@"
