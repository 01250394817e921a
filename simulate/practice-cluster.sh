#!/usr/bin/env bash
# practice-cluster.sh up|down|status — a real Slurm cluster on this machine, to practise on.
#
#   make cluster-up      start it (this script's `up`) and print how to use it
#   make cluster-down    stop every daemon it started and remove its folder
#
# One node with 4 CPUs whatever the hardware, one partition `debug`, started
# the way the course's tests start theirs (tests/slurm.bash: munged, slurmctld
# and slurmd with a configuration in a folder of their own, on free ports, so
# it keeps clear of a real Slurm and of a test run).  For practice, three
# things differ from the test cluster: jobs do not share CPUs (a fifth task
# waits in the queue, as on a real cluster), finished jobs stay visible for 10
# minutes (squeue -t all, scontrol show job), and every finished job is written
# to a completion log that `sacct -c` reads (no accounting database needed).
#
# The folder: $COURSE_CLUSTER_DIR, default /tmp/course-cluster-$USER.
# Slurm's commands find this cluster through SLURM_CONF=<folder>/slurm.conf;
# `. <folder>/env.sh` sets it.
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tests/slurm.bash
. "$root/tests/slurm.bash"
dir="${COURSE_CLUSTER_DIR:-${TMPDIR:-/tmp}/course-cluster-$(id -un)}"

pidfiles=("$dir/slurmctld.pid" "$dir/slurmd.pid" "$dir/munge/munged.pid")

# alive: every daemon of the cluster runs.  any_alive: at least one does.
alive() {
  local f
  for f in "${pidfiles[@]}"; do [ -s "$f" ] && kill -0 "$(cat "$f")" 2> /dev/null || return 1; done
}
any_alive() {
  local f
  for f in "${pidfiles[@]}"; do [ -s "$f" ] && kill -0 "$(cat "$f")" 2> /dev/null && return 0; done
  return 1
}

usage() {
  cat <<EOF
The practice cluster is up: one node, 4 CPUs, partition debug ($dir).
Point Slurm's commands at it in your shell first:

  export SLURM_CONF=$dir/slurm.conf        (or: . $dir/env.sh)

Then, in a lesson folder (cd solutions/05-collectives):
  sbatch job.sbatch                        submit the lesson's job; prints its number
  squeue                                   the queue: R running, PD pending (and why)
  cat 05-collectives-JOBID.out             the job's output, when it has run
  sbatch --ntasks=2 --export=ALL,PROG=scatter_sum job.sbatch    change a job without editing it
  scancel JOBID                            cancel a job, queued or running
  sacct -c                                 finished jobs with their exit codes (-c: the completion log)
  sbatch --array=1-3 --ntasks=1 job.sbatch         a job array: 3 jobs from one script
  sbatch --dependency=afterok:JOBID job.sbatch     start only after JOBID has ended well
  sinfo; scontrol show job JOBID           the node; everything about one job
Or from the course root: make submit LESSON=05 NP=4 (submits and waits).
Stop it with: make cluster-down
EOF
}

up() {
  if ! slurm_available; then
    echo "error: the practice cluster needs Slurm and munge (Debian packages slurm-wlm, munge): make deps installs them" >&2
    exit 2
  fi
  if [ -f "$dir/slurm.conf" ] && alive; then
    echo "(already up)"
    usage
    return 0
  fi
  [ ! -d "$dir" ] || slurm_stop "$dir"
  rm -rf "$dir"
  mkdir -p "$dir" || exit 1
  # tests/slurm.bash writes the test cluster's configuration and starts the
  # daemons; the practice cluster changes three lines of that configuration
  # just before slurmctld reads it (see the top of this file).
  slurmctld() {
    sed -i -e 's/^MinJobAge=.*/MinJobAge=600/' -e 's/OverSubscribe=FORCE:4/OverSubscribe=NO/' "$SLURM_CONF"
    printf '%s\n' "JobCompType=jobcomp/filetxt" "JobCompLoc=$dir/jobcomp.log" >> "$SLURM_CONF"
    command slurmctld "$@"
  }
  if ! slurm_start "$dir"; then
    slurm_stop "$dir"
    echo "error: the practice cluster did not start (its logs are in $dir/log)" >&2
    exit 1
  fi
  unset -f slurmctld
  echo "export SLURM_CONF=$dir/slurm.conf" > "$dir/env.sh"
  usage
}

down() {
  if [ ! -d "$dir" ]; then
    echo "the practice cluster is not running ($dir does not exist)"
    return 0
  fi
  slurm_stop "$dir"
  if any_alive; then
    echo "error: a daemon of the practice cluster is still running (pid files in $dir)" >&2
    exit 1
  fi
  rm -rf "$dir"
  echo "the practice cluster is stopped (slurmd, slurmctld, munged) and $dir removed"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) if alive; then echo "up: $dir"; else echo "down"; exit 1; fi ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
