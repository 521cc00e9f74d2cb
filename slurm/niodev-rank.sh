#!/usr/bin/env bash
# niodev-rank.sh: one rank of a multi-node Halo job, as srun starts it on every task (see
# halo_niodev in halo-job.sh): a plain JVM on MPJ Express's niodev device whose rank is the
# Slurm task number, and which finds the other ranks through the job's rendezvous at HOST:PORT.
#
#   niodev-rank.sh RANKS HOST PORT APP [Halo options...]
#       (MPJ_HOME, HALO_JAR, HALO_JOB_SECRET, HALO_RENDEZVOUS_TIMEOUT: from the job)
#
# halo.launch.NiodevRank checks the rank in at the rendezvous with the job's secret (from the
# environment, never on this command line) before MPJ Express starts, and watches MPI.Init.
# The line after the rank is the one halo.launch.Rendezvous.rankConfiguration gives the ranks
# of mpjrun.sh -dev niodev on one machine. halo.cli.Main ends the JVM with System.exit(status)
# on the niodev device, so a failing rank's exit reaches srun at once. As under mpjrun.sh, the
# JVM has the JDK's Vector API when the JDK has the module, without the JDK's warning about it
# (vector-api.sh: this script stays the JVM's parent, passes signals on, exits with its status).
set -euo pipefail
source "$MPJ_HOME/bin/vector-api.sh"
ranks=$1 host=$2 port=$3
shift 3
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
rank_jvm_options
cds_archive_options niodev
jvm_opts=("${cds_options[@]}" "${rank_options[@]}")
! jdk_has_vector_api "$java" || jvm_opts+=("$vector_api_option")
# The class path of mpjrun.sh -dev niodev's ranks: so their class data sharing archive serves here too.
run_without_incubator_warning "$java" "${jvm_opts[@]}" \
    -cp "$MPJ_HOME/lib/halo-launcher.jar:$MPJ_HOME/lib/mpj.jar:$HALO_JAR" \
    halo.launch.NiodevRank halo.cli.Main \
    "$SLURM_PROCID" "#Number of Processes;$ranks;#Protocol Switch Limit;131072;#Server Name;$host;#Server Port;$port" \
    niodev "$@"
