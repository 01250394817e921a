#!/usr/bin/env bats
# The practice cluster for learners: `make cluster-up` starts a real
# single-node Slurm (simulate/practice-cluster.sh, the daemons of
# tests/slurm.bash), `make cluster-down` stops it.  This file starts one in a
# folder of its own (COURSE_CLUSTER_DIR), walks the guided tour of
# lessons/running.rst on it (submit, queue, output, cancel, array, dependency,
# a wrong --mpi, sacct), and stops it.  Jobs run in a copy of lesson 02's
# folder, so that the job outputs never mix with slurm.bats's.

setup_file() {
  load helpers
  load slurm
  slurm_available || skip "Slurm (slurm-wlm, munge) is not installed: docker/install-deps.sh installs it"
  export COURSE_CLUSTER_DIR; COURSE_CLUSTER_DIR="$(mktemp -d /tmp/course-practice.XXXXXX)"
  export WORK; WORK="$(mktemp -d /tmp/course-practice-work.XXXXXX)"
  cp -r "$COURSE_ROOT/solutions/02-hello" "$WORK/"
  make -s -C "$WORK/02-hello" all MPI=system > /dev/null
  make -s -C "$WORK/02-hello" all MPI=mpich > /dev/null
  cd "$COURSE_ROOT"
  make -s --no-print-directory cluster-up > "$COURSE_CLUSTER_DIR.up" 2>&1 < /dev/null || {
    cat "$COURSE_CLUSTER_DIR.up" >&2; return 1; }
}

teardown_file() {
  [ -n "${COURSE_CLUSTER_DIR:-}" ] || return 0
  cd "$COURSE_ROOT" && make -s --no-print-directory cluster-down > /dev/null 2>&1 < /dev/null
  load slurm
  slurm_stop "$COURSE_CLUSTER_DIR" 2> /dev/null
  rm -rf "$COURSE_CLUSTER_DIR" "$COURSE_CLUSTER_DIR.up" "$WORK"
}

setup() {
  load helpers
  export SLURM_CONF="$COURSE_CLUSTER_DIR/slurm.conf"
  cd "$WORK/02-hello"
}

# A test that fails half-way leaves no job behind to block the next one.
teardown() {
  # (not after cluster-down: scancel would retry the stopped controller for a minute)
  [ -e "$COURSE_CLUSTER_DIR/slurm.conf" ] || return 0
  scancel -u "$(id -un)" 2> /dev/null || true
}

# poll_job ID STATES: poll (up to 60 s) until job ID is in one of STATES (a
# pattern such as COMPLETED|FAILED); print that state.  (sbatch --wait polls
# every 2, 4, 8, then 10 s; this looks every 0.2 s, so a test waits for its
# job, not for sbatch.)
poll_job() {
  local i st
  for ((i = 0; i < 300; i++)); do
    st="$(squeue -h -j "$1" -t all -o %T 2> /dev/null)"
    [[ "$st" =~ ^($2)$ ]] && { echo "$st"; return 0; }
    sleep 0.2
  done
  echo "job $1 still ${st:-unknown} after 60 s" >&2; return 1
}

# wait_state ID STATE: until job ID is in STATE (RUNNING, ...).
wait_state() { poll_job "$1" "$2" > /dev/null; }

# wait_job ID: until job ID has ended; print how (COMPLETED, FAILED, ...).
wait_job() { poll_job "$1" 'COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY'; }

@test "cluster: make cluster-up prints how to use it; one idle node of 4 CPUs" {
  run cat "$COURSE_CLUSTER_DIR.up"
  assert_output --partial "export SLURM_CONF=$COURSE_CLUSTER_DIR/slurm.conf"
  for word in sbatch squeue sacct scancel --array --dependency "make cluster-down"; do
    assert_output --partial -- "$word"
  done
  run sinfo -h -o '%t %c'
  assert_success
  assert_output 'idle 4'
  # Free ports of its own, not Slurm's defaults (a real Slurm, or the test cluster, may use those).
  run grep -E '^Slurm(ctld|d)Port=' "$SLURM_CONF"
  refute_output --partial '=6817'
  refute_output --partial '=6818'
}

@test "cluster: make cluster-up again leaves the running cluster as it is" {
  local before after
  before="$(cat "$COURSE_CLUSTER_DIR"/*.pid)"
  cd "$COURSE_ROOT"
  run make -s --no-print-directory cluster-up < /dev/null
  assert_success
  assert_output --partial '(already up)'
  after="$(cat "$COURSE_CLUSTER_DIR"/*.pid)"
  [ "$before" = "$after" ]
}

@test "cluster: a lesson's job.sbatch runs and checks its size; sacct -c lists it" {
  local id
  id="$(sbatch --parsable job.sbatch < /dev/null)"
  run wait_job "$id"
  assert_output COMPLETED
  run cat "02-hello-$id.out"
  assert_value size 4
  assert_output --partial 'job check: size = 4'
  run sacct -c -n -o JobID,State,ExitCode -j "$id"
  assert_output --regexp "^$id +COMPLETED +0:0"
}

@test "cluster: a job waits in the queue while the CPUs are taken, and scancel frees them" {
  local blocker job
  blocker="$(sbatch --parsable --ntasks=4 --wrap 'sleep 120' < /dev/null)"
  # (the scheduler may take a moment, longer on a busy machine, to start it)
  wait_state "$blocker" RUNNING
  job="$(sbatch --parsable --ntasks=2 job.sbatch < /dev/null)"
  sleep 2
  run squeue -h -j "$job" -o '%T %r'
  assert_output --regexp '^PENDING (Resources|Priority|None)'
  run squeue -h -j "$blocker" -o '%T'
  assert_output RUNNING
  scancel "$blocker"
  run wait_job "$blocker"
  assert_output CANCELLED
  run wait_job "$job"
  assert_output COMPLETED
  run cat "02-hello-$job.out"
  assert_value size 2
}

@test "cluster: a job array runs one job per index; a dependency waits for its job" {
  local first array dep
  first="$(sbatch --parsable --ntasks=4 --wrap 'sleep 3' < /dev/null)"
  dep="$(sbatch --parsable --ntasks=1 --dependency=afterok:"$first" job.sbatch < /dev/null)"
  run squeue -h -j "$dep" -o '%T %r'
  assert_output 'PENDING Dependency'
  array="$(sbatch --parsable --array=1-3 --ntasks=1 job.sbatch < /dev/null)"
  run wait_job "$dep"
  assert_output COMPLETED
  local i st
  for i in 1 2 3; do
    run wait_job "${array}_$i"
    assert_output COMPLETED
  done
  run sacct -c -n -o JobName,State
  [ "$(printf '%s\n' "$output" | grep -c '02-hello .*COMPLETED')" -ge 4 ]
}

@test "cluster: a wrong srun --mpi plugin fails the job, and its output says why" {
  local id
  id="$(sbatch --parsable --ntasks=2 --export=ALL,MPI=mpich,SRUN_MPI=none job.sbatch < /dev/null)"
  run wait_job "$id"
  assert_output FAILED
  run cat "02-hello-$id.out"
  assert_output --partial 'error: the program reports size = 1 1 but the job has 2 tasks'
  run sacct -c -n -o JobID,State -j "$id"
  assert_output --regexp "^$id +FAILED"
}

@test "cluster: make cluster-down stops every daemon it started and removes its folder" {
  local pids p
  pids="$(cat "$COURSE_CLUSTER_DIR"/*.pid "$COURSE_CLUSTER_DIR"/munge/*.pid)"
  [ "$(printf '%s\n' "$pids" | wc -l)" -eq 3 ]
  cd "$COURSE_ROOT"
  run make -s --no-print-directory cluster-down < /dev/null
  assert_success
  assert_output --partial 'the practice cluster is stopped'
  for p in $pids; do
    ! kill -0 "$p" 2> /dev/null || { echo "daemon $p still runs" >&2; return 1; }
  done
  [ ! -e "$COURSE_CLUSTER_DIR" ]
  run make -s --no-print-directory cluster-down < /dev/null
  assert_success
  assert_output --partial 'is not running'
}
